"""Builders for member import files (CSV and XLSX) and a throwaway database for CLI tests."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from app.core.config import Settings, set_settings
from app.core.db import Database
from app.core.migrate import upgrade
from tests.conftest import PG_URL, make_settings, recreate_pg_database

HEADER = [
    "Số lý lịch",
    "Số thẻ đảng viên",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Điện thoại",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Mã chi bộ",
    "Trạng thái",
]
_FIELDS = [
    "dossier",
    "card",
    "name",
    "birth",
    "gender",
    "cccd",
    "phone",
    "admitted",
    "official",
    "unit",
    "status",
]


def row(**values: Any) -> list[Any]:
    """A data row in HEADER order; unspecified cells are empty."""
    unknown = set(values) - set(_FIELDS)
    assert not unknown, unknown
    return [values.get(f) for f in _FIELDS]


def person(n: int, unit: str = "A", **overrides: Any) -> list[Any]:
    """A complete, valid row for a new member numbered n."""
    values: dict[str, Any] = {
        "dossier": f"NK{n:05d}",
        "card": f"TN{n:06d}",
        "name": f"Nguyễn Văn Nhập {n}",
        "birth": "15/04/1980",
        "gender": "Nam",
        "cccd": f"0792{n:08d}",
        "phone": "0912 345 678",
        "admitted": "03/02/2005",
        "official": "03/02/2006",
        "unit": unit,
        "status": "Đang sinh hoạt",
    }
    values.update(overrides)
    return row(**values)


def csv_bytes(
    rows: list[list[Any]],
    header: list[str] | None = None,
    *,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header or HEADER)
    for r in rows:
        writer.writerow(["" if v is None else v for v in r])
    text = buffer.getvalue()
    if encoding == "cp1258":
        return _cp1258(text)
    return text.encode(encoding)


def _cp1258(text: str) -> bytes:
    """Encode the way Vietnamese Windows does: base letter (maybe with a hat) + a tone mark."""
    import unicodedata

    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        letter, marks = parts[0], parts[1:]
        for i, mark in enumerate(marks):
            composed = unicodedata.normalize("NFC", letter + mark)
            if len(composed) == 1 and composed.encode("cp1258", "ignore"):
                out += composed.encode("cp1258") + (marks[:i] + marks[i + 1 :]).encode("cp1258")
                break
        else:
            out += parts.encode("cp1258")
    return bytes(out)


def xlsx_bytes(
    rows: list[list[Any]], header: list[str] | None = None, *, title_rows: int = 0
) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for i in range(title_rows):
        sheet.append(["DANH SÁCH ĐẢNG VIÊN" if i == 0 else None])
    sheet.append(header or HEADER)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@contextmanager
def fresh_database(data_dir: Path, name: str) -> Iterator[Database]:
    """A migrated database of its own (SQLite file, or `<test db>_<name>` on PostgreSQL),
    installed as the process settings so that CLI commands use it too."""
    url = ""
    if PG_URL:
        base = make_url(PG_URL)
        url = base.set(database=f"{base.database}_{name}").render_as_string(hide_password=False)
        recreate_pg_database(url)
    settings: Settings = make_settings(data_dir, url)
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    old = os.environ.get("SOTAY_DATA_DIR")
    os.environ["SOTAY_DATA_DIR"] = str(data_dir)
    set_settings(settings)
    try:
        yield db
    finally:
        set_settings(None)
        if old is None:
            os.environ.pop("SOTAY_DATA_DIR", None)
        else:
            os.environ["SOTAY_DATA_DIR"] = old
        db.dispose()
