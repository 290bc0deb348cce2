"""Transfers: request, incoming list, accept with history, reject, cancel, conflicts, scope."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.core.audit import AuditContext, AuditLog
from app.core.db import utcnow
from app.core.errors import Conflict, Invalid, NotFound
from app.core.permissions import load_actor
from app.members.models import Member, UnitMembership
from app.transfers import service
from app.transfers import service_queries as queries
from app.transfers.models import Transfer
from app.transfers.schemas import TransferCreate
from tests.factories.accounts import bearer, make_account
from tests.factories.org import Org
from tests.factories.transfers import make_transfer

CTX = AuditContext()


def _actor(session: Session, org: Org, name: str):  # type: ignore[no-untyped-def]
    actor = load_actor(session, org.accounts[name].id)
    assert actor is not None
    return actor


def _request_a_to_b(client: TestClient, session: Session, org: Org) -> dict:  # type: ignore[type-arg]
    resp = client.post(
        "/api/v1/transfers",
        headers=bearer(session, org.accounts["sec_a"]),
        json={
            "member_id": org.members["mem_a"].id,
            "kind": "internal",
            "to_unit_id": org.units["B"].id,
            "reason": "Chuyển nơi cư trú sang khu phố 2",
        },
    )
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def test_request_is_listed_incoming_and_accept_moves_the_member(
    client: TestClient, session: Session, org: Org
) -> None:
    body = _request_a_to_b(client, session, org)
    assert body["status"] == "pending"
    assert body["from_unit"]["code"] == "A" and body["to_unit"]["code"] == "B"

    sec_b = bearer(session, org.accounts["sec_b"])
    incoming = client.get("/api/v1/transfers", headers=sec_b, params={"direction": "incoming"})
    assert [t["id"] for t in incoming.json()] == [body["id"]]
    # The sending cell sees it as outgoing, not incoming.
    sec_a = bearer(session, org.accounts["sec_a"])
    assert client.get("/api/v1/transfers", headers=sec_a).json() == []
    outgoing = client.get("/api/v1/transfers", headers=sec_a, params={"direction": "outgoing"})
    assert [t["id"] for t in outgoing.json()] == [body["id"]]

    resp = client.post(f"/api/v1/transfers/{body['id']}/accept", headers=sec_b)
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "accepted" and resp.json()["decided_by"] == "sec_b"

    member = session.get(Member, org.members["mem_a"].id)
    assert member is not None and member.unit_id == org.units["B"].id
    history = session.scalars(
        select(UnitMembership)
        .where(UnitMembership.member_id == member.id)
        .order_by(UnitMembership.id)
    ).all()
    assert [h.unit_id for h in history] == [org.units["A"].id, org.units["B"].id]
    assert history[0].end_date is not None and history[1].end_date is None
    # Membership follows the unit: mem_a is now a member of B.
    actor = _actor(session, org, "mem_a")
    assert actor.member_unit_id == org.units["B"].id
    actions = set(
        session.scalars(select(AuditLog.action).where(AuditLog.object_type == "transfer"))
    )
    assert {"transfer.request", "transfer.accept"} <= actions
    pending = client.get(
        "/api/v1/transfers", headers=sec_b, params={"direction": "incoming", "status": "pending"}
    )
    assert pending.json() == []


def test_second_pending_transfer_is_409(client: TestClient, session: Session, org: Org) -> None:
    _request_a_to_b(client, session, org)
    again = client.post(
        "/api/v1/transfers",
        headers=bearer(session, org.accounts["sec_a"]),
        json={
            "member_id": org.members["mem_a"].id,
            "kind": "out",
            "external_org": "Đảng bộ Công ty X, tỉnh Y",
            "reason": "Đổi nơi công tác",
        },
    )
    assert again.status_code == 409


def test_sibling_cell_cannot_accept(client: TestClient, session: Session, org: Org) -> None:
    transfer = make_transfer(
        session, org.members["mem_a"], org.units["B"], requested_by=org.accounts["sec_a"]
    )
    # The sending cell sees the request but may not answer for the receiver: 403.
    resp = client.post(
        f"/api/v1/transfers/{transfer.id}/accept", headers=bearer(session, org.accounts["sec_a"])
    )
    assert resp.status_code == 403
    # A secretary of a cell in another ward does not even learn that it exists: 404.
    sec_d = make_account(session, "sec_d", role=Role.cell_secretary, unit=org.units["D"])
    resp = client.post(f"/api/v1/transfers/{transfer.id}/accept", headers=bearer(session, sec_d))
    assert resp.status_code == 404
    stored = session.get(Transfer, transfer.id)
    assert stored is not None and stored.status == "pending"


def test_reject_needs_a_note_and_keeps_the_member(
    client: TestClient, session: Session, org: Org
) -> None:
    body = _request_a_to_b(client, session, org)
    sec_b = bearer(session, org.accounts["sec_b"])
    url = f"/api/v1/transfers/{body['id']}/reject"
    assert client.post(url, headers=sec_b, json={"note": "   "}).status_code == 422
    resp = client.post(url, headers=sec_b, json={"note": "Chi bộ chưa đủ điều kiện tiếp nhận"})
    assert resp.status_code == 200
    assert resp.json()["status"] == "rejected"
    assert resp.json()["decision_note"] == "Chi bộ chưa đủ điều kiện tiếp nhận"
    assert session.get(Member, org.members["mem_a"].id).unit_id == org.units["A"].id  # type: ignore[union-attr]
    # Decided once; a second answer is a conflict.
    again = client.post(f"/api/v1/transfers/{body['id']}/accept", headers=sec_b)
    assert again.status_code == 409


def test_cancel_by_sender_only(client: TestClient, session: Session, org: Org) -> None:
    body = _request_a_to_b(client, session, org)
    url = f"/api/v1/transfers/{body['id']}/cancel"
    assert client.post(url, headers=bearer(session, org.accounts["sec_b"])).status_code == 403
    resp = client.post(url, headers=bearer(session, org.accounts["sec_a"]))
    assert resp.status_code == 200 and resp.json()["status"] == "cancelled"
    # Once cancelled the member may be sent again.
    _request_a_to_b(client, session, org)


def test_out_transfer_sets_status_transferred(session: Session, org: Org) -> None:
    sec_a = _actor(session, org, "sec_a")
    data = TransferCreate(
        kind="out",  # type: ignore[arg-type]
        member_id=org.members["mem_a"].id,
        external_org="Đảng bộ Quân khu 7",
        reason="Nhập ngũ",
    )
    transfer = service.request_transfer(session, CTX, actor=sec_a, data=data)
    assert transfer.to_unit_id is None
    service.accept_transfer(session, CTX, actor=sec_a, transfer_id=transfer.id)
    member = session.get(Member, org.members["mem_a"].id)
    assert member is not None and member.status == "transferred"
    open_rows = session.scalars(
        select(UnitMembership).where(
            UnitMembership.member_id == member.id, UnitMembership.end_date.is_(None)
        )
    ).all()
    assert open_rows == []
    # A transferred member's account no longer holds membership anywhere.
    assert _actor(session, org, "mem_a").grants == ()


def test_incoming_new_member_is_created_outside_until_accepted(session: Session, org: Org) -> None:
    staff = _actor(session, org, "staff_w1")
    data = TransferCreate.model_validate(
        {
            "kind": "in",
            "to_unit_id": org.units["A"].id,
            "external_org": "Đảng bộ phường 5, quận 3",
            "reason": "Chuyển về nơi cư trú",
            "new_member": {
                "full_name": "  Lý  Thị   Mới ",
                "admission_date": "2001-03-26",
                "cccd": "079 201 000 123",
            },
        }
    )
    transfer = service.request_transfer(session, CTX, actor=staff, data=data)
    member = session.get(Member, transfer.member_id)
    assert member is not None
    assert member.full_name == "Lý Thị Mới" and member.name_folded == "ly thi moi"
    assert member.status == "transferred" and member.cccd == "079201000123"
    incoming = queries.list_transfers(
        session, actor=_actor(session, org, "sec_a"), direction="incoming"
    )
    assert [t.id for t in incoming] == [transfer.id]
    service.accept_transfer(
        session, CTX, actor=_actor(session, org, "sec_a"), transfer_id=transfer.id
    )
    assert member.status == "active" and member.unit_id == org.units["A"].id
    rows = session.scalars(
        select(UnitMembership).where(UnitMembership.member_id == member.id)
    ).all()
    assert len(rows) == 1 and rows[0].unit_id == org.units["A"].id


def test_destination_must_hold_members_and_exist(session: Session, org: Org) -> None:
    sec_a = _actor(session, org, "sec_a")
    for unit_id in (org.units["W2"].id, 999_999):
        data = TransferCreate(
            kind="internal",  # type: ignore[arg-type]
            member_id=org.members["mem_a"].id,
            to_unit_id=unit_id,
            reason="Thử",
        )
        try:
            service.request_transfer(session, CTX, actor=sec_a, data=data)
        except Invalid as exc:
            assert exc.message == "Đơn vị nhận không tồn tại hoặc không nhận đảng viên"
        else:
            raise AssertionError("expected Invalid")


def test_secretary_cannot_send_a_member_of_another_cell(
    client: TestClient, session: Session, org: Org
) -> None:
    sec_a = _actor(session, org, "sec_a")
    data = TransferCreate(
        kind="internal",  # type: ignore[arg-type]
        member_id=org.members["mem_b"].id,
        to_unit_id=org.units["D"].id,
        reason="Thử",
    )
    try:
        service.request_transfer(session, CTX, actor=sec_a, data=data)
    except NotFound:
        pass
    else:
        raise AssertionError("expected NotFound")
    # A plain member holds no transfer permission at all: refused at the door.
    resp = client.post(
        "/api/v1/transfers",
        headers=bearer(session, org.accounts["mem_a"]),
        json={
            "member_id": org.members["mem_a"].id,
            "kind": "out",
            "external_org": "X",
            "reason": "Tự chuyển",
        },
    )
    assert resp.status_code == 403


def test_kind_shapes_are_validated(client: TestClient, session: Session, org: Org) -> None:
    headers = bearer(session, org.accounts["sec_a"])
    bad = [
        {"kind": "internal", "member_id": org.members["mem_a"].id, "reason": "x"},
        {"kind": "out", "member_id": org.members["mem_a"].id, "reason": "x"},
        {"kind": "in", "to_unit_id": org.units["A"].id, "external_org": "X", "reason": "x"},
        {"kind": "internal", "member_id": 1, "to_unit_id": 2, "reason": "   "},
    ]
    for body in bad:
        assert client.post("/api/v1/transfers", headers=headers, json=body).status_code == 422


def test_accept_into_a_dissolved_unit_changes_nothing(session: Session, org: Org) -> None:
    transfer = make_transfer(session, org.members["mem_a"], org.units["B"])
    org.units["B"].dissolved_at = utcnow()
    session.flush()
    try:
        service.accept_transfer(
            session, CTX, actor=_actor(session, org, "staff_w1"), transfer_id=transfer.id
        )
    except Conflict:
        pass
    else:
        raise AssertionError("expected Conflict")
    member = session.get(Member, org.members["mem_a"].id)
    assert member is not None and member.unit_id == org.units["A"].id
    open_rows = session.scalars(
        select(UnitMembership).where(
            UnitMembership.member_id == member.id, UnitMembership.end_date.is_(None)
        )
    ).all()
    assert len(open_rows) == 1 and transfer.status == "pending"
