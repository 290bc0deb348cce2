"""`sotay import members` and `sotay export members` on a database of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.cli import app as cli
from app.core.db import Database
from app.members.models import Member
from tests.factories.imports import csv_bytes, fresh_database, person, xlsx_bytes
from tests.factories.units import make_unit

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    with fresh_database(tmp_path / "data", "cli") as database:
        with database.session() as session:
            make_unit(session, "Chi bộ Khu phố 7", code="KP7")
            make_unit(session, "Chi bộ Khu phố 8", code="KP8")
        yield database


def count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(Member.id))) or 0


def test_import_then_export_round_trip(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "ds.xlsx"
    source.write_bytes(xlsx_bytes([person(1, "KP7"), person(2, unit=None)]))
    result = runner.invoke(cli, ["import", "members", str(source), "--unit-code", "KP8"])
    assert result.exit_code == 0, result.output
    assert "2 đảng viên mới" in result.output
    assert count(db) == 2

    for name in ("all.csv", "all.xlsx"):
        out = tmp_path / name
        result = runner.invoke(cli, ["export", "members", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "2 members" in result.output
        again = runner.invoke(cli, ["import", "members", str(out), "--on-duplicate", "update"])
        assert again.exit_code == 0, again.output
        assert "0 đảng viên mới, 0 cập nhật, 2 không thay đổi" in again.output
        refused = runner.invoke(cli, ["import", "members", str(out)])
        assert refused.exit_code == 1
    assert count(db) == 2
    result = runner.invoke(
        cli, ["export", "members", "-o", str(tmp_path / "kp7.csv"), "--unit-code", "KP7"]
    )
    assert "1 members" in result.output


def test_bad_row_prints_the_error_table_and_imports_nothing(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "ds.csv"
    source.write_bytes(csv_bytes([person(3, "KP7"), person(4, "KP7", cccd="12345")]))
    result = runner.invoke(cli, ["import", "members", str(source)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].split() == ["Dòng", "Cột", "Lỗi"]
    assert lines[1].split()[:3] == ["3", "Số", "CCCD"]
    assert "12 chữ số" in lines[1]
    assert "Không nhập dòng nào" in result.output
    assert count(db) == 0


def test_dry_run_and_bad_options(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "ds.csv"
    source.write_bytes(csv_bytes([person(5, "KP7")]))
    result = runner.invoke(cli, ["import", "members", str(source), "--dry-run"])
    assert result.exit_code == 0 and "không ghi" in result.output
    assert count(db) == 0
    bad = runner.invoke(cli, ["import", "members", str(source), "--on-duplicate", "merge"])
    assert bad.exit_code == 2
    nounit = runner.invoke(cli, ["import", "members", str(source), "--unit-code", "NOPE"])
    assert nounit.exit_code == 1 and "NOPE" in nounit.output
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    result = runner.invoke(cli, ["import", "members", str(empty)])
    assert result.exit_code == 1 and "Tệp trống" in result.output
    result = runner.invoke(cli, ["export", "members", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert count(db) == 0
