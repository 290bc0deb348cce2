"""Unit tree service: create, rename, move (with its subtree), dissolve, history, scoping."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.core.audit import AuditContext, AuditLog
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.permissions import Actor, load_actor
from app.members.models import MemberStatus
from app.units import service
from app.units.models import Unit, UnitKind
from tests.factories.accounts import make_account
from tests.factories.members import make_member
from tests.factories.org import Org
from tests.factories.units import make_unit


def actor(session: Session, org: Org, name: str) -> Actor:
    a = load_actor(session, org.accounts[name].id)
    assert a is not None
    return a


def ctx(org: Org, name: str = "admin") -> AuditContext:
    return AuditContext(actor_account_id=org.accounts[name].id, ip="127.0.0.1")


def test_create_rename_dissolve_keeps_history(session: Session, org: Org) -> None:
    admin = actor(session, org, "admin")
    unit = service.create_unit(
        session,
        ctx(org),
        actor=admin,
        code="CB-KP9",
        name="Chi bộ Khu phố 9",
        kind=UnitKind.cell,
        parent_id=org.units["W1"].id,
    )
    assert unit.path == f"{org.units['W1'].path}{unit.id}/"
    assert unit.depth == org.units["W1"].depth + 1

    service.rename_unit(session, ctx(org), actor=admin, unit_id=unit.id, name="Chi bộ Khu phố 10")
    service.dissolve_unit(session, ctx(org), actor=admin, unit_id=unit.id)
    assert unit.dissolved_at is not None

    events = service.unit_history(session, actor=admin, unit_id=unit.id)
    assert [e.kind for e in events] == ["created", "renamed", "dissolved"]
    assert (events[1].old_value, events[1].new_value) == ("Chi bộ Khu phố 9", "Chi bộ Khu phố 10")
    actions = session.scalars(
        select(AuditLog.action).where(
            AuditLog.object_type == "unit", AuditLog.object_id == str(unit.id)
        )
    ).all()
    assert actions == ["unit.created", "unit.renamed", "unit.dissolved"]


def test_move_rewrites_the_whole_subtree(session: Session, org: Org) -> None:
    admin = actor(session, org, "admin")
    a, a1, w2 = org.units["A"], org.units["A1"], org.units["W2"]
    grandchild = make_unit(session, "Tổ 1a", UnitKind.other, a1)

    service.move_unit(session, ctx(org), actor=admin, unit_id=a.id, parent_id=w2.id)

    for u in (a, a1, grandchild):
        session.refresh(u)
    assert a.parent_id == w2.id
    assert a.path == f"{w2.path}{a.id}/"
    assert a1.path == f"{w2.path}{a.id}/{a1.id}/"
    assert grandchild.path == f"{a1.path}{grandchild.id}/"
    assert (a.depth, a1.depth, grandchild.depth) == (2, 3, 4)
    event = service.unit_history(session, actor=admin, unit_id=a.id)[-1]
    assert (event.kind, event.old_value, event.new_value) == (
        "moved",
        org.units["W1"].name,
        w2.name,
    )


def test_move_refuses_a_cycle(session: Session, org: Org) -> None:
    admin = actor(session, org, "admin")
    w1, a1 = org.units["W1"], org.units["A1"]
    with pytest.raises(Invalid) as exc:
        service.move_unit(session, ctx(org), actor=admin, unit_id=w1.id, parent_id=a1.id)
    assert exc.value.details[0]["field"] == "parent_id"
    with pytest.raises(Invalid):
        service.move_unit(session, ctx(org), actor=admin, unit_id=w1.id, parent_id=w1.id)
    session.refresh(w1)
    assert w1.path == f"{org.units['C'].path}{w1.id}/"


def test_dissolve_refuses_live_members_and_open_children(session: Session, org: Org) -> None:
    admin = actor(session, org, "admin")
    with pytest.raises(Conflict):
        service.dissolve_unit(session, ctx(org), actor=admin, unit_id=org.units["W2"].id)

    cell = make_unit(session, "Chi bộ trống", UnitKind.cell, org.units["W2"])
    make_member(session, cell, "Ngô Văn Hết", status=MemberStatus.deceased)
    service.dissolve_unit(session, ctx(org), actor=admin, unit_id=cell.id)  # the dead do not count
    with pytest.raises(Conflict):
        service.rename_unit(session, ctx(org), actor=admin, unit_id=cell.id, name="Tên khác")
    with pytest.raises(Conflict):
        service.create_unit(
            session,
            ctx(org),
            actor=admin,
            code="UNDER-DEAD",
            name="Không được",
            kind=UnitKind.cell,
            parent_id=cell.id,
        )


def test_duplicate_code_is_a_conflict(session: Session, org: Org) -> None:
    with pytest.raises(Conflict) as exc:
        service.create_unit(
            session,
            ctx(org),
            actor=actor(session, org, "admin"),
            code="A",
            name="Trùng mã",
            kind=UnitKind.cell,
            parent_id=org.units["W1"].id,
        )
    assert exc.value.details[0]["field"] == "code"


def test_scope_hides_other_branches_and_refuses_management(session: Session, org: Org) -> None:
    sec = actor(session, org, "sec_a")
    staff = actor(session, org, "staff_w1")
    assert {u.code for u in service.list_units(session, actor=sec)} == {"A", "A1"}
    assert {u.code for u in service.list_units(session, actor=staff)} == {"W1", "A", "A1", "B"}
    with pytest.raises(NotFound):
        service.get_unit(session, actor=sec, unit_id=org.units["B"].id)
    with pytest.raises(Forbidden):
        service.rename_unit(
            session, ctx(org, "sec_a"), actor=sec, unit_id=org.units["A"].id, name="X"
        )
    with pytest.raises(Forbidden):
        service.dissolve_unit(session, ctx(org), actor=staff, unit_id=org.units["A1"].id)


def test_ward_admin_cannot_move_a_unit_out_of_its_ward(session: Session, org: Org) -> None:
    account = make_account(session, "admin_w1", role=Role.committee_admin, unit=org.units["W1"])
    ward_admin = load_actor(session, account.id)
    assert ward_admin is not None
    service.move_unit(  # inside the ward: fine
        session, ctx(org), actor=ward_admin, unit_id=org.units["A1"].id, parent_id=org.units["B"].id
    )
    with pytest.raises(NotFound):  # W2's cell is outside its scope altogether
        service.move_unit(
            session,
            ctx(org),
            actor=ward_admin,
            unit_id=org.units["A1"].id,
            parent_id=org.units["D"].id,
        )


def test_search_ignores_accents(session: Session, org: Org) -> None:
    admin = actor(session, org, "admin")
    found = service.list_units(session, actor=admin, q="ben nghe")
    assert [u.code for u in found] == ["W1"]
    assert [u.code for u in service.list_units(session, actor=admin, q="ấp 3")] == ["D"]


def test_root_unit_for_trusted_callers(session: Session) -> None:
    root = service.create_root_unit(
        session, AuditContext(), code="TU-X", name="Thành ủy X", kind=UnitKind.city_committee
    )
    assert root.path == f"/{root.id}/" and root.depth == 0 and root.parent_id is None
    assert session.get(Unit, root.id) is root


def test_build_forest_sums_subtrees(session: Session, org: Org) -> None:
    admin = actor(session, org, "admin")
    units = service.list_units(session, actor=admin)
    counts = {org.units["A"].id: 2, org.units["A1"].id: 1, org.units["B"].id: 2}
    (root,) = service.build_forest(units, counts)
    assert root.unit.code == "C" and root.total == 5
    w1 = next(n for n in root.children if n.unit.code == "W1")
    assert w1.total == 5 and w1.members == 0
