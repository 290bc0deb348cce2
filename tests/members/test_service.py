"""Member service: scoped lookup, list and search, create and update with validation and audit."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.permissions import Actor, Perm, load_actor
from app.members import service
from app.members.models import Member, UnitMembership
from app.members.schemas import MemberCreate, MemberUpdate
from app.members.service_profile import build_profile
from app.units.models import Unit
from tests.factories.members import make_member
from tests.factories.org import Org


def actor(session: Session, org: Org, name: str) -> Actor:
    a = load_actor(session, org.accounts[name].id)
    assert a is not None
    return a


CTX = AuditContext(ip="127.0.0.1")


def test_mask_cccd() -> None:
    assert service.mask_cccd("001234567890") == "********7890"
    assert service.mask_cccd(None) is None


def test_load_member_answers_404_outside_scope_and_403_without_the_right(
    session: Session, org: Org
) -> None:
    sec_a = actor(session, org, "sec_a")
    with pytest.raises(NotFound):
        service.load_member(session, actor=sec_a, member_id=org.members["mem_b"].id)
    staff = actor(session, org, "staff_w1")
    with pytest.raises(Forbidden):
        service.load_member(
            session, actor=staff, member_id=org.members["mem_a"].id, perm=Perm.member_view_sensitive
        )
    # A member may see their own record, sensitive part included, but not edit it.
    mem_a = actor(session, org, "mem_a")
    own = org.members["mem_a"].id
    service.load_member(session, actor=mem_a, member_id=own, perm=Perm.member_view_sensitive)
    with pytest.raises(Forbidden):
        service.load_member(session, actor=mem_a, member_id=own, perm=Perm.member_edit)
    with pytest.raises(NotFound):
        service.load_member(session, actor=mem_a, member_id=org.members["sec_a"].id)


def test_list_scoping(session: Session, org: Org) -> None:
    def names(who: str, **kw: object) -> set[str]:
        page = service.list_members(session, actor=actor(session, org, who), **kw)  # type: ignore[arg-type]
        return {i.full_name for i in page.items}

    assert names("sec_a") == {"Trần Thị Bình", "Nguyễn Văn An", "Lê Văn Tổ"}
    assert names("staff_w1") >= {"Nguyễn Văn An", "Hoàng Thị Dung", "Đỗ Văn Phường"}
    assert "Đặng Văn Em" not in names("staff_w1")
    assert names("staff_w1", unit_id=org.units["A"].id, subtree=False) == {
        "Trần Thị Bình",
        "Nguyễn Văn An",
    }
    with pytest.raises(Forbidden):
        names("mem_a")
    with pytest.raises(NotFound):
        names("sec_a", unit_id=org.units["B"].id)


def test_search_folds_accents_and_pages(session: Session, org: Org) -> None:
    admin = actor(session, org, "admin")
    page = service.list_members(session, actor=admin, q="nguyen van a")
    assert [i.full_name for i in page.items] == ["Nguyễn Văn An"]
    page = service.list_members(session, actor=admin, q="đang")
    assert [i.full_name for i in page.items] == ["Đặng Văn Em"]
    page = service.list_members(session, actor=admin, q="100%_")
    assert page.total == 0
    # On PostgreSQL the pattern is rendered into the SQL text: quotes and backslashes stay data.
    for odd in ("o'brien", "a\\' OR 1=1 --", "/%"):
        assert service.list_members(session, actor=admin, q=odd).total == 0
    page = service.list_members(session, actor=admin, page=2, page_size=4)
    assert page.total == 9 and len(page.items) == 4 and page.page == 2


def test_count_stops_at_the_cap_and_says_so(
    session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = actor(session, org, "admin")
    monkeypatch.setattr(service, "COUNT_CAP", 5)
    page = service.list_members(session, actor=admin, page=1, page_size=4)
    assert (page.total, page.total_exact, len(page.items)) == (5, False, 4)
    # Paging past the cap still works: the rows come from the page query, not the count.
    page = service.list_members(session, actor=admin, page=3, page_size=4)
    assert len(page.items) == 1 and page.total_exact is False
    monkeypatch.setattr(service, "COUNT_CAP", 9)
    page = service.list_members(session, actor=admin)
    assert (page.total, page.total_exact) == (9, True)


def test_create_stores_nfc_and_the_first_membership(session: Session, org: Org) -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    data = MemberCreate(
        unit_id=org.units["A"].id,
        full_name=decomposed,
        cccd="0791 2345 6789",
        phone="+84 912 345 678",
        admission_date=date(2015, 3, 2),
    )
    member = service.create_member(session, CTX, actor=actor(session, org, "sec_a"), data=data)
    assert member.full_name == "Nguyễn Thị Hằng"
    assert unicodedata.is_normalized("NFC", member.full_name)
    assert member.name_folded == "nguyen thi hang"
    assert (member.cccd, member.phone) == ("079123456789", "0912345678")
    (row,) = session.scalars(select(UnitMembership).where(UnitMembership.member_id == member.id))
    assert (row.unit_id, row.start_date) == (org.units["A"].id, date(2015, 3, 2))
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "member.create")).one()
    assert "079123456789" not in str(entry.detail)
    assert "cccd" in entry.detail["fields"]


def test_create_outside_scope_or_with_a_taken_cccd(session: Session, org: Org) -> None:
    sec_a = actor(session, org, "sec_a")
    with pytest.raises(NotFound):
        service.create_member(
            session,
            CTX,
            actor=sec_a,
            data=MemberCreate(unit_id=org.units["B"].id, full_name="Ai Đó"),
        )
    with pytest.raises(Conflict) as exc:
        service.create_member(
            session,
            CTX,
            actor=sec_a,
            data=MemberCreate(
                unit_id=org.units["A"].id, full_name="Ai Đó", cccd=org.members["mem_b"].cccd
            ),
        )
    assert exc.value.details[0]["field"] == "cccd"
    assert org.members["mem_b"].cccd not in exc.value.render()


def test_schema_validation() -> None:
    with pytest.raises(ValidationError) as exc:
        MemberCreate(
            unit_id=1, full_name="A B", cccd="12345", phone="abc", birth_date=date(2999, 1, 1)
        )
    fields = {e["loc"][0] for e in exc.value.errors()}
    assert fields == {"cccd", "phone", "birth_date"}
    with pytest.raises(ValidationError) as exc:
        MemberCreate(
            unit_id=1,
            full_name="A B",
            admission_date=date(2020, 1, 1),
            official_date=date(2019, 1, 1),
        )
    assert exc.value.errors()[0]["loc"] == ("official_date",)
    with pytest.raises(ValidationError):
        MemberUpdate.model_validate({"unit_id": 3})  # transfers change the unit, not updates


def test_update_checks_against_stored_values_and_audits_names_only(
    session: Session, org: Org
) -> None:
    sec_a = actor(session, org, "sec_a")
    m = org.members["mem_a"]  # admitted 2010-05-19
    with pytest.raises(Invalid) as exc:
        service.update_member(
            session,
            CTX,
            actor=sec_a,
            member_id=m.id,
            data=MemberUpdate(official_date=date(2009, 1, 1)),
        )
    assert exc.value.details[0]["field"] == "official_date"
    with pytest.raises(Invalid):
        service.update_member(
            session,
            CTX,
            actor=sec_a,
            member_id=m.id,
            data=MemberUpdate.model_validate({"full_name": None}),
        )
    service.update_member(
        session,
        CTX,
        actor=sec_a,
        member_id=m.id,
        data=MemberUpdate(full_name="Nguyễn Văn Ánh", cccd="001199000001"),
    )
    assert m.name_folded == "nguyen van anh"
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "member.update")).one()
    assert entry.detail == {"fields": ["cccd", "full_name"]}
    assert "001199000001" not in str(entry.detail)


def test_count_live_by_unit(session: Session, org: Org) -> None:
    make_member(session, org.units["B"], "Người Đã Mất", status="deceased")
    counts = service.count_live_by_unit(session, actor=actor(session, org, "staff_w1"))
    assert counts[org.units["B"].id] == 2
    assert org.units["D"].id not in counts
    assert session.get(Member, org.members["mem_b"].id) is not None


def test_profile_shows_this_year_as_not_rated_for_a_newcomer(session: Session, org: Org) -> None:
    newcomer = make_member(session, org.units["A"], "Phan Văn Mới", admission_date=date(2024, 9, 2))
    unit = session.get(Unit, newcomer.unit_id)
    assert unit is not None
    prof = build_profile(
        session,
        actor=actor(session, org, "sec_a"),
        member=newcomer,
        unit=unit,
        today=date(2024, 11, 5),
    )
    (row,) = prof.ratings
    assert (row.year, row.grade, row.synthetic) == (2024, None, True)
    assert "chưa đủ 6 tháng" in row.label
    later = build_profile(
        session,
        actor=actor(session, org, "sec_a"),
        member=newcomer,
        unit=unit,
        today=date(2025, 11, 5),
    )
    assert later.ratings == []


def test_search_index_follows_inserts_and_renames(session: Session, org: Org) -> None:
    admin = actor(session, org, "admin")  # the whole tree: the trigram index is used

    def found(q: str) -> list[str]:
        return [i.full_name for i in service.list_members(session, actor=admin, q=q).items]

    m = make_member(session, org.units["D"], "Quách Thị Ngọc Ánh")
    assert found("ngoc anh") == ["Quách Thị Ngọc Ánh"]
    service.update_member(
        session, CTX, actor=admin, member_id=m.id, data=MemberUpdate(full_name="Quách Thị Hồng")
    )
    assert found("ngoc anh") == []
    assert found("thi hong") == ["Quách Thị Hồng"]
    assert found('quach "') == [] and found("qu%h") == [] and found("a_") == []
    assert found("qua") == ["Quách Thị Hồng"]  # three letters: the shortest indexed needle
    assert "Quách Thị Hồng" in found("q")  # shorter needles fall back to a scan
