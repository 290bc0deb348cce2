"""Member export: layout, scope, CCCD masking, audit, and the export → import round trip."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.config import ImportSettings
from app.imports.service import import_members
from app.imports.service_export import export_members
from app.imports.service_format import CCCD_MASK, COLUMNS
from app.members.models import Member
from tests.factories.accounts import bearer
from tests.factories.members import make_member
from tests.factories.org import Org

URL = "/api/v1/exports/members"
CTX = AuditContext(ip="test")


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def by_name(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["Họ và tên"]: r for r in rows}


def test_csv_export_has_the_import_layout(client: TestClient, session: Session, org: Org) -> None:
    m = org.members["mem_a"]
    m.official_date = date(2011, 5, 19)
    m.phone = "0912345678"
    session.flush()
    resp = client.get(URL, params={"format": "csv"}, headers=bearer(session, org.accounts["admin"]))
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/csv")
    assert "attachment;" in resp.headers["content-disposition"]
    rows = read_csv(resp.content)
    assert list(rows[0]) == [c.header for c in COLUMNS]
    row = by_name(rows)["Nguyễn Văn An"]
    assert row["Ngày vào Đảng"] == "19/05/2010" and row["Ngày chính thức"] == "19/05/2011"
    assert (row["Mã chi bộ"], row["Giới tính"], row["Trạng thái"]) == ("A", "Nam", "Đang sinh hoạt")
    assert row["Số CCCD"] == m.cccd


def test_scope_and_cccd_masking(client: TestClient, session: Session, org: Org) -> None:
    def export(account: str, **params: object) -> dict[str, dict[str, str]]:
        resp = client.get(
            URL, params={"format": "csv", **params}, headers=bearer(session, org.accounts[account])
        )
        assert resp.status_code == 200, resp.text
        return by_name(read_csv(resp.content))

    secretary = export("sec_a")
    # Cell A and its party group only; the secretary may see CCCD there.
    assert set(secretary) == {"Trần Thị Bình", "Nguyễn Văn An", "Lê Văn Tổ"}
    assert secretary["Nguyễn Văn An"]["Số CCCD"] == org.members["mem_a"].cccd
    # Staff and auditors list members but may not see CCCD: the column is masked.
    staff = export("staff_w1", unit_id=org.units["W1"].id)
    assert "Đặng Văn Em" not in staff
    assert {r["Số CCCD"] for r in staff.values()} == {CCCD_MASK}
    assert {r["Số CCCD"] for r in export("auditor").values()} == {CCCD_MASK}
    entry = session.scalars(
        select(AuditLog).where(AuditLog.action == "members.export").order_by(AuditLog.id)
    ).all()
    assert [(e.detail["with_cccd"], e.detail["count"]) for e in entry][:2] == [
        (True, 3),
        (False, len(staff)),
    ]


def test_denials(client: TestClient, session: Session, org: Org) -> None:
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=bearer(session, org.accounts["mem_a"])).status_code == 403
    sec = bearer(session, org.accounts["sec_a"])
    assert client.get(URL, params={"unit_id": org.units["B"].id}, headers=sec).status_code == 404
    assert client.get(URL, params={"unit_id": org.units["W1"].id}, headers=sec).status_code == 404
    assert client.get(URL, params={"format": "pdf"}, headers=sec).status_code == 422


def test_xlsx_export_keeps_text_as_text_and_dates_as_dates(
    client: TestClient, session: Session, org: Org
) -> None:
    make_member(session, org.units["B"], "Đỗ Thị Công Thức", address='=HYPERLINK("x")')
    resp = client.get(
        URL,
        params={"unit_id": org.units["B"].id, "format": "xlsx"},
        headers=bearer(session, org.accounts["admin"]),
    )
    assert resp.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in COLUMNS]
    found = {r[2]: r for r in rows[1:]}
    assert set(found) == {"Phạm Văn Cường", "Hoàng Thị Dung", "Đỗ Thị Công Thức"}
    formula = found["Đỗ Thị Công Thức"]
    assert formula[10] == '=HYPERLINK("x")'
    assert sheet.cell(row=2, column=11).data_type == "s"
    assert formula[14].date() == date(2010, 5, 19)
    assert formula[8].startswith("0010")  # CCCD keeps its leading zeros


def test_xlsx_export_drops_control_characters(
    client: TestClient, session: Session, org: Org
) -> None:
    # XML cannot carry them: openpyxl raised IllegalCharacterError and the export was a 500.
    make_member(session, org.units["B"], "Lê Văn Điều Khiển", hometown="xã\x1bYên\x07 Bái")
    resp = client.get(
        URL,
        params={"unit_id": org.units["B"].id, "format": "xlsx"},
        headers=bearer(session, org.accounts["admin"]),
    )
    assert resp.status_code == 200, resp.text
    rows = list(openpyxl.load_workbook(io.BytesIO(resp.content)).worksheets[0].values)
    assert any(r[2] == "Lê Văn Điều Khiển" and "xãYên Bái" in r for r in rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_with_update_changes_nothing(
    session: Session, org: Org, fmt: str
) -> None:
    odd = make_member(
        session,
        org.units["A1"],
        "Lương  Thị  Ô'Hara",
        address='+84 phố Cổ; "ngõ" 5',
        phone="+84 912 000 111",
        official_date=date(2011, 6, 1),
        hometown="=1+1",
    )
    before = {
        m.id: {c.field: getattr(m, c.field, None) for c in COLUMNS} | {"unit": m.unit_id}
        for m in session.scalars(select(Member))
    }
    export = export_members(session, CTX, actor=None, fmt=fmt)
    assert export.count == len(before) and export.with_cccd
    result = import_members(
        session,
        CTX,
        actor=None,
        data=export.content,
        filename=export.filename,
        settings=ImportSettings(),
        on_duplicate="update",
    )
    assert [e.render() for e in result.errors] == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(before))
    session.expire_all()
    after = {
        m.id: {c.field: getattr(m, c.field, None) for c in COLUMNS} | {"unit": m.unit_id}
        for m in session.scalars(select(Member))
    }
    assert after == before
    assert session.get(Member, odd.id).hometown == "=1+1"  # type: ignore[union-attr]
