"""Role grants (issue 17): granted and revoked within the granter's roles and scope, dated,
audited; a grant works from its first day to its last and no longer."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.models import Role, RoleGrant
from app.core.audit import AuditLog
from app.core.localtime import local_today
from app.core.permissions import Perm, load_actor
from tests.accounts.test_admin import ward_admin
from tests.factories.accounts import bearer
from tests.factories.org import Org


def _grant(client: TestClient, headers: dict[str, str], **body: object):  # type: ignore[no-untyped-def]
    body.setdefault("reason", "Nghị quyết chi bộ tháng 12")
    return client.post("/api/v1/grants", json=body, headers=headers)


def test_ward_admin_grants_the_cell_secretary_role_and_it_works(
    client: TestClient, session: Session, org: Org
) -> None:
    headers = bearer(session, ward_admin(session, org))
    mem_a, cell = org.accounts["mem_a"], org.units["A"]
    before = load_actor(session, mem_a.id)
    assert before is not None and not before.has_any(Perm.member_edit)
    resp = _grant(client, headers, account_id=mem_a.id, unit_id=cell.id, role="cell_secretary")
    assert resp.status_code == 201, resp.text
    out = resp.json()
    assert out["state"] == "active" and out["starts_on"] == local_today().isoformat()
    after = load_actor(session, mem_a.id)
    assert after is not None and Role.cell_secretary in after.roles()
    # The member now sees the secretary's data: the cell's member list.
    member_headers = bearer(session, mem_a)
    listed = client.get("/api/v1/members", params={"unit_id": cell.id}, headers=member_headers)
    assert listed.status_code == 200
    # Who holds what in the ward's tree.
    held = client.get(f"/api/v1/units/{org.units['W1'].id}/grants", headers=headers).json()
    assert {(g["username"], g["role"]) for g in held} >= {
        ("mem_a", "cell_secretary"),
        ("sec_a", "cell_secretary"),
        ("staff_w1", "committee_staff"),
    }
    # Revoked with a reason; both changes are in the audit log, with the reason.
    gone = client.post(
        f"/api/v1/grants/{out['id']}/revoke", json={"reason": "Chuyển công tác"}, headers=headers
    )
    assert gone.status_code == 204
    again = load_actor(session, mem_a.id)
    assert again is not None and Role.cell_secretary not in again.roles()
    rows = session.scalars(
        select(AuditLog).where(AuditLog.action.in_(("role.granted", "role.revoked")))
    ).all()
    assert [r.action for r in rows] == ["role.granted", "role.revoked"]
    assert rows[1].detail["reason"] == "Chuyển công tác" and rows[0].unit_id == cell.id


def test_nobody_grants_above_their_role_outside_their_scope_or_to_themselves(
    client: TestClient, session: Session, org: Org
) -> None:
    admin_w1 = ward_admin(session, org)
    headers = bearer(session, admin_w1)
    mem_a = org.accounts["mem_a"]
    above = _grant(
        client, headers, account_id=mem_a.id, unit_id=org.units["A"].id, role="city_admin"
    )
    assert above.status_code == 403
    same = _grant(
        client, headers, account_id=mem_a.id, unit_id=org.units["W1"].id, role="committee_admin"
    )
    assert same.status_code == 201
    # W2 is outside the ward admin's scope: it answers as if it did not exist.
    outside = _grant(
        client, headers, account_id=mem_a.id, unit_id=org.units["W2"].id, role="cell_secretary"
    )
    missing = _grant(
        client, headers, account_id=mem_a.id, unit_id=1_999_999_999, role="cell_secretary"
    )
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    # Visible but not managed (the city above the ward): refused.
    parent = _grant(
        client, headers, account_id=mem_a.id, unit_id=org.units["C"].id, role="cell_secretary"
    )
    assert parent.status_code in (403, 404)
    other = _grant(
        client, headers, account_id=org.accounts["mem_d"].id, unit_id=org.units["A"].id,
        role="cell_deputy",
    )  # fmt: skip
    assert other.status_code == 404
    own = _grant(
        client, headers, account_id=admin_w1.id, unit_id=org.units["A"].id, role="cell_secretary"
    )
    assert own.status_code == 403
    member = _grant(client, headers, account_id=mem_a.id, unit_id=org.units["A"].id, role="member")
    assert member.status_code == 422
    # A secretary manages no accounts at all; nor does committee staff.
    for who in ("sec_a", "staff_w1"):
        resp = _grant(
            client, bearer(session, org.accounts[who]), account_id=mem_a.id,
            unit_id=org.units["A"].id, role="cell_deputy",
        )  # fmt: skip
        assert resp.status_code == 403
    # The city admin's grant is above the ward admin and outside the scope: as if missing.
    grant_id = session.scalar(
        select(RoleGrant.id).where(RoleGrant.account_id == org.accounts["admin"].id)
    )
    resp = client.post(f"/api/v1/grants/{grant_id}/revoke", json={"reason": "x"}, headers=headers)
    assert resp.status_code == 404


def test_grant_dates_are_checked(client: TestClient, session: Session, org: Org) -> None:
    headers = bearer(session, org.accounts["admin"])
    today = local_today()
    body = {"account_id": org.accounts["mem_a"].id, "unit_id": org.units["A"].id}
    backwards = _grant(
        client, headers, role="cell_deputy", starts_on=today.isoformat(),
        ends_on=(today - timedelta(days=1)).isoformat(), **body,
    )  # fmt: skip
    assert backwards.status_code == 422
    no_reason = _grant(client, headers, role="cell_deputy", **{**body, "reason": ""})
    assert no_reason.status_code == 422
    later = _grant(
        client,
        headers,
        role="cell_deputy",
        starts_on=(today + timedelta(days=3)).isoformat(),
        **body,
    )
    assert later.status_code == 201 and later.json()["state"] == "upcoming"


def test_a_grant_works_from_its_first_day_to_its_last(session: Session, org: Org) -> None:
    today = local_today()
    account, cell = org.accounts["mem_a"], org.units["A"]

    def roles_with(starts_on: date | None, ends_on: date | None) -> set[Role]:
        grant = service.grant_role(
            session, account_id=account.id, unit_id=cell.id, role=Role.cell_deputy,
            starts_on=starts_on, ends_on=ends_on, reason="thử",
        )  # fmt: skip
        session.flush()
        actor = load_actor(session, account.id)
        session.delete(grant)
        session.flush()
        assert actor is not None
        return actor.roles()

    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    assert Role.cell_deputy in roles_with(None, None)
    assert Role.cell_deputy in roles_with(yesterday, today)  # the last day still counts
    assert Role.cell_deputy not in roles_with(None, yesterday)  # ended: stops working
    assert Role.cell_deputy not in roles_with(tomorrow, None)  # not begun
    assert Role.cell_deputy in roles_with(today, tomorrow)


def test_an_expired_grant_stops_working_through_the_api(
    client: TestClient, session: Session, org: Org
) -> None:
    account, cell = org.accounts["mem_a"], org.units["A"]
    grant = service.grant_role(
        session, account_id=account.id, unit_id=cell.id, role=Role.cell_secretary,
        ends_on=local_today(), reason="nhiệm kỳ",
    )  # fmt: skip
    headers = bearer(session, account)
    params = {"unit_id": cell.id}
    assert client.get("/api/v1/members", params=params, headers=headers).status_code == 200
    grant.ends_on = local_today() - timedelta(days=1)
    session.flush()
    assert client.get("/api/v1/members", params=params, headers=headers).status_code == 403
    roles = {g["role"] for g in client.get("/api/v1/auth/me", headers=headers).json()["grants"]}
    assert roles == {"member"}
