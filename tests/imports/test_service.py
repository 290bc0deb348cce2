"""Member import service: parsing, validation, duplicate rules and all-or-nothing writes."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.config import ImportSettings
from app.core.permissions import load_actor
from app.imports.service import ImportResult, import_members
from app.members.models import Member, UnitMembership
from tests.factories.imports import HEADER, csv_bytes, person, row, xlsx_bytes
from tests.factories.members import make_member
from tests.factories.org import Org

CTX = AuditContext(ip="test")
LIMITS = ImportSettings()


def run(session: Session, data: bytes, **kw: object) -> ImportResult:
    kw.setdefault("actor", None)
    return import_members(
        session,
        CTX,
        data=data,
        filename=str(kw.pop("filename", "ds.csv")),
        settings=kw.pop("settings", LIMITS),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def members(session: Session) -> int:
    return session.scalar(select(func.count(Member.id))) or 0


def errors(result: ImportResult) -> list[tuple[int | None, str | None, str]]:
    return [(e.row, e.column, e.render()) for e in result.errors]


def test_csv_import_creates_members_with_their_first_membership(session: Session, org: Org) -> None:
    data = csv_bytes([person(1, "A"), person(2, "B", gender="Nữ", name="Trần Thị Nhập")])
    result = run(session, data, filename="chi-bo.csv")
    assert errors(result) == []
    assert (result.created, result.updated, result.rows) == (2, 0, 2)
    m = session.scalar(select(Member).where(Member.dossier_number == "NK00001"))
    assert m is not None
    assert m.unit_id == org.units["A"].id
    assert m.name_folded == "nguyen van nhap 1"
    assert (m.birth_date, m.admission_date, m.official_date) == (
        date(1980, 4, 15),
        date(2005, 2, 3),
        date(2006, 2, 3),
    )
    assert (m.gender, m.status, m.phone, m.cccd) == ("male", "active", "0912345678", "079200000001")
    history = session.scalars(select(UnitMembership).where(UnitMembership.member_id == m.id)).all()
    assert [(h.unit_id, h.end_date) for h in history] == [(org.units["A"].id, None)]
    entry = session.scalar(select(AuditLog).where(AuditLog.action == "members.import"))
    assert entry is not None
    assert entry.detail["created"] == 2 and entry.detail["file_name"] == "chi-bo.csv"
    assert len(entry.detail["sha256"]) == 64
    # Never row contents in the audit log.
    dumped = json.dumps(entry.detail, ensure_ascii=False)
    assert "Nhập" not in dumped and "0792" not in dumped


def test_xlsx_import_reads_real_dates_numbers_and_a_title_block(session: Session, org: Org) -> None:
    data = xlsx_bytes(
        [
            person(
                3,
                birth=datetime(1975, 9, 2),
                admitted=date(2000, 5, 19),
                official="2001-05-19",
                cccd=1200000003,  # a number cell that lost its leading zeros
                phone=912000111,
            )
        ],
        title_rows=2,
    )
    result = run(session, data, filename="ds.xlsx")
    assert errors(result) == []
    m = session.scalar(select(Member).where(Member.dossier_number == "NK00003"))
    assert m is not None
    assert (m.birth_date, m.admission_date, m.official_date) == (
        date(1975, 9, 2),
        date(2000, 5, 19),
        date(2001, 5, 19),
    )
    assert (m.cccd, m.phone) == ("001200000003", "0912000111")


def test_one_bad_row_imports_nothing_and_names_the_row_and_column(
    session: Session, org: Org
) -> None:
    before = members(session)
    data = xlsx_bytes([person(4), person(5, birth="31/02/1980"), person(6)], title_rows=1)
    result = run(session, data, filename="ds.xlsx")
    # Title on row 1, header on row 2, so the second person is spreadsheet row 4.
    assert [(e.row, e.column) for e in result.errors] == [(4, "Ngày sinh")]
    assert "31/02/1980" in result.errors[0].render()
    assert members(session) == before
    assert session.scalar(select(AuditLog).where(AuditLog.action == "members.import")) is None


def test_every_row_is_checked_and_every_problem_reported(session: Session, org: Org) -> None:
    data = csv_bytes(
        [
            person(7, birth="01/01/2090"),
            person(8, admitted="05/05/2010", official="05/05/2009"),
            person(9, cccd="0792000009"),
            person(10, phone="12-abc"),
            person(11, unit="KHONG-CO"),
            person(12, name=""),
            person(13, gender="X", status="đang nghỉ"),
            person(14, admitted="01/01/1985"),  # born 1980: aged 4
        ]
    )
    found = {(r, c) for r, c, _ in errors(run(session, data))}
    assert found == {
        (2, "Ngày sinh"),
        (3, "Ngày chính thức"),
        (4, "Số CCCD"),
        (5, "Điện thoại"),
        (6, "Mã chi bộ"),
        (7, "Họ và tên"),
        (8, "Giới tính"),
        (8, "Trạng thái"),
        (9, "Ngày vào Đảng"),
    }


def test_headers_match_without_case_accents_or_with_english_names(
    session: Session, org: Org
) -> None:
    header = [
        "STT",
        "so_ly_lich",
        "HO VA TEN",
        "date of birth",
        "Giới Tính",
        "unit code",
        "Ghi chú",
    ]
    decomposed = unicodedata.normalize("NFD", "Lê Thị Ánh Tuyết")
    data = csv_bytes([[1, "NK00020", decomposed, "1990-07-27", "nữ", "B", "x"]], header)
    result = run(session, data)
    assert errors(result) == []
    m = session.scalar(select(Member).where(Member.dossier_number == "NK00020"))
    assert m is not None
    assert m.full_name == unicodedata.normalize("NFC", "Lê Thị Ánh Tuyết")
    assert (m.gender, m.unit_id, m.birth_date) == ("female", org.units["B"].id, date(1990, 7, 27))


def test_semicolon_csv_in_windows_1258(session: Session, org: Org) -> None:
    data = csv_bytes(
        [row(name="Phạm Văn Đồng", birth="01/03/1906", unit="A")],
        encoding="cp1258",
        delimiter=";",
    )
    result = run(session, data)
    assert errors(result) == []
    assert session.scalar(select(Member).where(Member.name_folded == "pham van dong")) is not None


def test_default_unit_applies_to_rows_without_a_code(session: Session, org: Org) -> None:
    data = csv_bytes([person(21, unit=None), person(22, unit=None)])
    assert [c for _, c, _ in errors(run(session, data))] == ["Mã chi bộ", "Mã chi bộ"]
    result = run(session, data, default_unit_id=org.units["D"].id)
    assert result.created == 2
    assert {
        m.unit_id
        for m in session.scalars(select(Member).where(Member.dossier_number.like("NK0002%")))
    } == {org.units["D"].id}


# --- duplicates against the database --------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "column"),
    [("dossier", "Số lý lịch"), ("card", "Số thẻ đảng viên"), ("name", "Họ và tên")],
)
def test_duplicate_rules_refuse_then_update(
    session: Session, org: Org, key: str, column: str
) -> None:
    existing = make_member(
        session,
        org.units["A"],
        "Hồ Thị Trùng",
        birth_date=date(1970, 3, 8),
        dossier_number="LL-TRUNG",
        card_number="TH-TRUNG",
        cccd="001170000111",
    )
    values = {"name": "Hồ Thị Trùng", "birth": "08/03/1970", "status": "Miễn sinh hoạt"}
    if key == "dossier":
        values |= {"dossier": "LL-TRUNG", "birth": "09/03/1970"}
    elif key == "card":
        values |= {"card": "TH-TRUNG", "birth": "09/03/1970"}
    data = csv_bytes([row(**values)])
    before = members(session)

    refused = run(session, data)
    assert [(e.row, e.column) for e in refused.errors] == [(2, column)]

    updated = run(session, data, on_duplicate="update")
    assert errors(updated) == []
    assert (updated.created, updated.updated) == (0, 1)
    assert members(session) == before
    session.refresh(existing)
    assert existing.status == "exempted"
    # Empty cells keep what is stored.
    assert (existing.cccd, existing.dossier_number) == ("001170000111", "LL-TRUNG")


def test_keys_pointing_at_two_different_members_is_an_error(session: Session, org: Org) -> None:
    make_member(session, org.units["A"], "Một", dossier_number="LL-MOT", card_number="TH-MOT")
    make_member(session, org.units["A"], "Hai", dossier_number="LL-HAI", card_number="TH-HAI")
    data = csv_bytes([row(dossier="LL-MOT", card="TH-HAI", name="Một")])
    result = run(session, data, on_duplicate="update")
    assert [(e.row, e.column) for e in result.errors] == [(2, "Số thẻ đảng viên")]


def test_same_name_and_birth_with_other_dossier_numbers_are_different_people(
    session: Session, org: Org
) -> None:
    make_member(session, org.units["A"], "Ngô Văn Hai", birth_date=date(1960, 1, 1))
    data = csv_bytes(
        [
            row(dossier="NK-KHAC", name="Ngô Văn Hai", birth="01/01/1960", unit="A"),
            row(dossier="NK-KHAC-2", name="Ngô Văn Hai", birth="01/01/1960", unit="A"),
        ]
    )
    assert run(session, data).created == 2


def test_an_update_never_moves_a_member_or_reaches_outside_scope(
    session: Session, org: Org
) -> None:
    m = org.members["mem_d"]  # cell D, outside staff_w1's subtree
    staff = load_actor(session, org.accounts["staff_w1"].id)
    data = csv_bytes([row(dossier=m.dossier_number, name=m.full_name, unit="A")])
    moved = run(session, data, on_duplicate="update")
    assert [e.column for e in moved.errors] == ["Mã chi bộ"]
    outside = run(
        session,
        csv_bytes([row(dossier=m.dossier_number, name=m.full_name)]),
        on_duplicate="update",
        actor=staff,
    )
    assert [e.column for e in outside.errors] == ["Họ và tên"]
    into_d = run(session, csv_bytes([person(30, "D")]), actor=staff)
    assert [e.column for e in into_d.errors] == ["Mã chi bộ"]
    assert run(session, csv_bytes([person(31, "A")]), actor=staff).created == 1


def test_cccd_of_another_member_is_refused(session: Session, org: Org) -> None:
    data = csv_bytes([person(32, cccd=org.members["mem_b"].cccd)])
    assert [e.column for e in run(session, data).errors] == ["Số CCCD"]


def test_masked_cccd_means_keep_the_stored_one(session: Session, org: Org) -> None:
    m = org.members["mem_a"]
    stored = m.cccd
    data = csv_bytes(
        [row(dossier=m.dossier_number, name=m.full_name, cccd="************", phone="0987654321")]
    )
    result = run(session, data, on_duplicate="update")
    assert (result.updated, errors(result)) == (1, [])
    session.refresh(m)
    assert (m.cccd, m.phone) == (stored, "0987654321")


# --- duplicates inside the file -------------------------------------------------------------


def test_duplicates_inside_the_file_name_the_earlier_row(session: Session, org: Org) -> None:
    data = csv_bytes(
        [
            person(40),
            person(41, dossier="NK00040"),
            person(42, cccd="079200000040"),
            row(name="Lý Văn Đôi", birth="02/02/1982", unit="A"),
            row(name="Ly Van Doi", birth="02/02/1982", unit="A"),
        ]
    )
    result = run(session, data)
    assert errors(result) == [
        (3, "Số lý lịch", "Trùng số lý lịch với dòng 2"),
        (4, "Số CCCD", "Trùng số CCCD với dòng 2"),
        (6, "Họ và tên", "Trùng họ tên và ngày sinh với dòng 5"),
    ]


def test_dry_run_validates_and_writes_nothing(session: Session, org: Org) -> None:
    before = members(session)
    result = run(session, csv_bytes([person(50), person(51)]), dry_run=True)
    assert (result.ok, result.dry_run, result.created) == (True, True, 2)
    assert members(session) == before


def test_header_row_is_required(session: Session, org: Org) -> None:
    from app.imports.service_files import FileRejected

    with pytest.raises(FileRejected, match="Họ và tên"):
        run(session, b"a,b,c\n1,2,3\n")


def test_header_listed_twice_is_reported(session: Session, org: Org) -> None:
    header = [*HEADER, "Ho va ten"]
    result = run(session, csv_bytes([[*person(60), "x"]], header))
    assert [(e.row, e.column) for e in result.errors] == [(1, "Ho va ten")]
