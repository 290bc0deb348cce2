"""Self-service corrections: propose, approve applies, reject, scope, self-approval, validation."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from app.members.models import Correction, Member
from tests.factories.accounts import bearer
from tests.factories.org import Org
from tests.factories.transfers import make_correction


def _propose(client: TestClient, session: Session, org: Org, who: str, **body: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/me/corrections", headers=bearer(session, org.accounts[who]), json=body
    )


def test_propose_then_approve_applies_the_change(
    client: TestClient, session: Session, org: Org
) -> None:
    resp = _propose(
        client,
        session,
        org,
        "mem_a",
        field="full_name",
        new_value="Nguyễn Văn  Ân",
        reason="Sai dấu",
    )
    assert resp.status_code == 201, resp.text
    proposal = resp.json()
    assert proposal["status"] == "pending" and proposal["new_value"] == "Nguyễn Văn Ân"

    sec_a = bearer(session, org.accounts["sec_a"])
    queue = client.get("/api/v1/corrections", headers=sec_a).json()
    assert [c["id"] for c in queue] == [proposal["id"]]
    assert queue[0]["decidable"] is True and queue[0]["member_name"] == "Nguyễn Văn An"

    resp = client.post(f"/api/v1/corrections/{proposal['id']}/approve", headers=sec_a)
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "approved"
    assert resp.json()["old_value"] == "Nguyễn Văn An"

    member = session.get(Member, org.members["mem_a"].id)
    assert member is not None
    assert member.full_name == "Nguyễn Văn Ân" and member.name_folded == "nguyen van an"
    audit_rows = session.execute(
        select(AuditLog.action, AuditLog.detail).where(AuditLog.object_type == "correction")
    ).all()
    assert [a for a, _ in audit_rows] == ["correction.propose", "correction.approve"]
    assert all(d == {"member_id": member.id, "field": "full_name"} for _, d in audit_rows)

    mine = client.get("/api/v1/me/corrections", headers=bearer(session, org.accounts["mem_a"]))
    assert [c["status"] for c in mine.json()] == ["approved"]
    assert client.get("/api/v1/corrections", headers=sec_a).json() == []


def test_birth_date_in_vietnamese_form_is_stored_as_a_date(
    client: TestClient, session: Session, org: Org
) -> None:
    resp = _propose(
        client, session, org, "mem_a", field="birth_date", new_value="19/05/1965", reason="Sai"
    )
    assert resp.status_code == 201 and resp.json()["new_value"] == "1965-05-19"
    client.post(
        f"/api/v1/corrections/{resp.json()['id']}/approve",
        headers=bearer(session, org.accounts["sec_a"]),
    )
    member = session.get(Member, org.members["mem_a"].id)
    assert member is not None and member.birth_date == date(1965, 5, 19)


def test_reject_keeps_the_profile(client: TestClient, session: Session, org: Org) -> None:
    correction = make_correction(session, org.members["mem_a"], org.accounts["mem_a"])
    sec_a = bearer(session, org.accounts["sec_a"])
    url = f"/api/v1/corrections/{correction.id}/reject"
    assert client.post(url, headers=sec_a, json={}).status_code == 422
    resp = client.post(url, headers=sec_a, json={"note": "Cần giấy tờ chứng minh"})
    assert resp.status_code == 200 and resp.json()["status"] == "rejected"
    member = session.get(Member, org.members["mem_a"].id)
    assert member is not None and member.phone is None
    assert client.post(url, headers=sec_a, json={"note": "lại"}).status_code == 409


def test_secretary_of_b_cannot_see_or_decide_a(
    client: TestClient, session: Session, org: Org
) -> None:
    correction = make_correction(session, org.members["mem_a"], org.accounts["mem_a"])
    sec_b = bearer(session, org.accounts["sec_b"])
    assert client.get("/api/v1/corrections", headers=sec_b).json() == []
    for action, body in (("approve", None), ("reject", {"note": "không"})):
        resp = client.post(
            f"/api/v1/corrections/{correction.id}/{action}", headers=sec_b, json=body
        )
        assert resp.status_code == 404
    stored = session.get(Correction, correction.id)
    assert stored is not None and stored.status == "pending"


def test_self_approval_is_forbidden(client: TestClient, session: Session, org: Org) -> None:
    resp = _propose(
        client, session, org, "sec_a", field="phone", new_value="0912 345 678", reason="Mới"
    )
    assert resp.status_code == 201
    sec_a = bearer(session, org.accounts["sec_a"])
    queue = client.get("/api/v1/corrections", headers=sec_a).json()
    assert queue[0]["decidable"] is False
    resp = client.post(f"/api/v1/corrections/{queue[0]['id']}/approve", headers=sec_a)
    assert resp.status_code == 403
    # Someone else with the right decides it.
    resp = client.post(
        f"/api/v1/corrections/{queue[0]['id']}/approve",
        headers=bearer(session, org.accounts["admin"]),
    )
    assert resp.status_code == 200
    member = session.get(Member, org.members["sec_a"].id)
    assert member is not None and member.phone == "0912345678"


def test_invalid_values_are_422(client: TestClient, session: Session, org: Org) -> None:
    bad = [
        ("cccd", "12345"),
        ("cccd", "12345678901a"),
        ("birth_date", "31/02/1970"),
        ("gender", "không rõ"),
        ("phone", "12ab"),
        ("full_name", ""),
        ("card_number", "TV1"),  # not on the whitelist
    ]
    for field, value in bad:
        resp = _propose(client, session, org, "mem_a", field=field, new_value=value, reason="Thử")
        assert resp.status_code == 422, (field, value, resp.text)
    assert session.scalars(select(Correction)).all() == []


def test_cccd_is_masked_for_officers_without_the_right(
    client: TestClient, session: Session, org: Org
) -> None:
    resp = _propose(
        client, session, org, "mem_a", field="cccd", new_value="079 123 456 789", reason="Cấp mới"
    )
    assert resp.status_code == 201
    # The member sees their own value.
    assert resp.json()["new_value"] == "079123456789" and resp.json()["masked"] is False
    # The secretary has the sensitive right: sees it, and the read is audited.
    queue = client.get("/api/v1/corrections", headers=bearer(session, org.accounts["sec_a"])).json()
    assert queue[0]["new_value"] == "079123456789"
    reads = session.scalars(
        select(AuditLog).where(AuditLog.action == "correction.view_sensitive")
    ).all()
    assert len(reads) == 1 and "079123456789" not in str(reads[0].detail)
    # A deputy decides corrections but may not see CCCD values.
    from app.accounts.models import Role
    from tests.factories.accounts import make_account

    deputy = make_account(session, "deputy_a", role=Role.cell_deputy, unit=org.units["A"])
    masked = client.get("/api/v1/corrections", headers=bearer(session, deputy)).json()
    assert masked[0]["masked"] is True
    assert masked[0]["new_value"] is None and masked[0]["old_value"] is None


def test_one_pending_per_field_and_no_op_refused(
    client: TestClient, session: Session, org: Org
) -> None:
    assert (
        _propose(client, session, org, "mem_a", field="religion", new_value="Phật giáo", reason="x")
    ).status_code == 201
    again = _propose(client, session, org, "mem_a", field="religion", new_value="Không", reason="x")
    assert again.status_code == 409
    same_name = _propose(
        client, session, org, "mem_a", field="full_name", new_value="Nguyễn Văn An", reason="x"
    )
    assert same_name.status_code == 422


def test_staff_without_a_member_record_cannot_propose(
    client: TestClient, session: Session, org: Org
) -> None:
    resp = _propose(
        client, session, org, "staff_w1", field="phone", new_value="0912345678", reason="x"
    )
    assert resp.status_code == 403
    mine = client.get("/api/v1/me/corrections", headers=bearer(session, org.accounts["staff_w1"]))
    assert mine.status_code == 403


def test_approving_a_cccd_already_used_elsewhere_is_409(
    client: TestClient, session: Session, org: Org
) -> None:
    taken = org.members["mem_b"].cccd
    assert taken is not None
    correction = make_correction(
        session, org.members["mem_a"], org.accounts["mem_a"], field="cccd", new_value=taken
    )
    resp = client.post(
        f"/api/v1/corrections/{correction.id}/approve",
        headers=bearer(session, org.accounts["sec_a"]),
    )
    assert resp.status_code == 409


def test_secretary_proposing_for_a_member_is_audited_and_cannot_self_approve(
    client: TestClient, session: Session, org: Org
) -> None:
    member_id = org.members["mem_a"].id
    headers = {**bearer(session, org.accounts["sec_a"]), "X-On-Behalf-Of": str(member_id)}
    resp = client.post(
        "/api/v1/me/corrections",
        headers=headers,
        json={"field": "hometown", "new_value": "Nam Định", "reason": "Cụ nhờ sửa giúp"},
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["member_id"] == member_id
    row = session.scalar(select(AuditLog).where(AuditLog.action == "correction.propose"))
    assert row is not None and row.on_behalf_of_member_id == member_id
    assert row.actor_account_id == org.accounts["sec_a"].id
    # Whoever filed it does not decide it: four eyes on every change.
    sec_a = bearer(session, org.accounts["sec_a"])
    url = f"/api/v1/corrections/{resp.json()['id']}/approve"
    assert client.post(url, headers=sec_a).status_code == 403
    assert client.post(url, headers=bearer(session, org.accounts["admin"])).status_code == 200
