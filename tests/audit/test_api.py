"""Audit API: scope by unit tree, filters, paging, the view record and the chain check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.core import audit
from app.core.audit import AuditContext, AuditLog
from app.core.localtime import local_today
from tests.factories.accounts import bearer, make_account
from tests.factories.org import Org


def _seed(session: Session, org: Org) -> dict[str, AuditLog]:
    """One row in each interesting place: cell A, cell D (other ward), and no unit."""
    u, a = org.units, org.accounts
    ctx = AuditContext(actor_account_id=a["sec_a"].id, ip="10.0.0.1")
    rows = {
        "a": audit.record(
            session,
            ctx,
            "member.view_sensitive",
            object_type="member",
            object_id=org.members["mem_a"].id,
            unit_id=u["A"].id,
            detail={"fields": ["cccd"]},
        ),
        "d": audit.record(
            session,
            AuditContext(actor_account_id=a["admin"].id),
            "member.update",
            object_type="member",
            object_id=org.members["mem_d"].id,
            unit_id=u["D"].id,
        ),
        "none": audit.record(session, AuditContext(), "system.start"),
    }
    return rows


def _ids(resp_json: dict) -> set[int]:
    return {i["id"] for i in resp_json["items"]}


def test_city_auditor_sees_everything_newest_first(
    client: TestClient, session: Session, org: Org
) -> None:
    rows = _seed(session, org)
    resp = client.get("/api/v1/audit", headers=bearer(session, org.accounts["auditor"]))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert {r.id for r in rows.values()} <= _ids(body)
    ids = [i["id"] for i in body["items"]]
    assert ids == sorted(ids, reverse=True)
    first = next(i for i in body["items"] if i["id"] == rows["a"].id)
    assert first["actor"] == "sec_a"
    assert first["ip"] == "10.0.0.1"
    assert first["detail"] == {"fields": ["cccd"]}
    assert body["total_exact"] is True
    assert body["total"] >= 3


def test_committee_admin_sees_only_own_subtree_and_no_unitless_rows(
    client: TestClient, session: Session, org: Org
) -> None:
    rows = _seed(session, org)
    admin_w1 = make_account(session, "admin_w1", role=Role.committee_admin, unit=org.units["W1"])
    resp = client.get("/api/v1/audit", headers=bearer(session, admin_w1))
    assert resp.status_code == 200, resp.text
    seen = _ids(resp.json())
    assert rows["a"].id in seen
    assert rows["d"].id not in seen
    assert rows["none"].id not in seen


def test_unit_filter_outside_scope_is_not_found(
    client: TestClient, session: Session, org: Org
) -> None:
    admin_w1 = make_account(session, "admin_w1", role=Role.committee_admin, unit=org.units["W1"])
    resp = client.get(
        "/api/v1/audit", params={"unit_id": org.units["W2"].id}, headers=bearer(session, admin_w1)
    )
    assert resp.status_code == 404


def test_unit_filter_covers_the_subtree(client: TestClient, session: Session, org: Org) -> None:
    rows = _seed(session, org)
    resp = client.get(
        "/api/v1/audit",
        params={"unit_id": org.units["W1"].id},
        headers=bearer(session, org.accounts["admin"]),
    )
    assert _ids(resp.json()) == {rows["a"].id}


def test_filters_combine(client: TestClient, session: Session, org: Org) -> None:
    rows = _seed(session, org)
    headers = bearer(session, org.accounts["admin"])

    def ids(**params: object) -> set[int]:
        resp = client.get("/api/v1/audit", params=params, headers=headers)
        assert resp.status_code == 200, resp.text
        return _ids(resp.json())

    assert ids(actor="SEC_A") == {rows["a"].id}
    assert ids(actor="nobody-at-all") == set()
    assert ids(action="member.update") == {rows["d"].id}
    assert ids(object_type="member", object_id=str(org.members["mem_a"].id)) == {rows["a"].id}
    today = local_today()
    assert rows["a"].id in ids(since=today.isoformat(), until=today.isoformat())
    assert ids(until=(today - timedelta(days=2)).isoformat(), action="member.update") == set()
    assert ids(since=(today + timedelta(days=2)).isoformat()) == set()
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert rows["none"].id in ids(until=later)


def test_bad_filters_are_rejected(client: TestClient, session: Session, org: Org) -> None:
    headers = bearer(session, org.accounts["admin"])
    for params in ({"since": "hôm qua"}, {"page_size": 5000}, {"page": 0}, {"action": "x y"}):
        resp = client.get("/api/v1/audit", params=params, headers=headers)
        assert resp.status_code == 422, params


def test_paging(client: TestClient, session: Session, org: Org) -> None:
    ctx = AuditContext(actor_account_id=org.accounts["admin"].id)
    made = [audit.record(session, ctx, "test.page", unit_id=org.units["A"].id).id for _ in range(5)]
    headers = bearer(session, org.accounts["admin"])
    pages = [
        client.get(
            "/api/v1/audit",
            params={"action": "test.page", "page": p, "page_size": 2},
            headers=headers,
        ).json()
        for p in (1, 2, 3)
    ]
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert all(p["total"] == 5 for p in pages)
    seen = [i["id"] for p in pages for i in p["items"]]
    assert seen == sorted(made, reverse=True)


def test_viewing_is_audited(client: TestClient, session: Session, org: Org) -> None:
    headers = bearer(session, org.accounts["auditor"])
    client.get("/api/v1/audit", params={"action": "member.update"}, headers=headers)
    row = session.scalars(
        select(AuditLog).where(AuditLog.action == "audit.view").order_by(AuditLog.id.desc())
    ).first()
    assert row is not None
    assert row.actor_account_id == org.accounts["auditor"].id
    assert row.detail["filters"] == {"action": "member.update"}


def test_members_and_staff_may_not_read_the_log(
    client: TestClient, session: Session, org: Org
) -> None:
    for name in ("mem_a", "sec_a", "staff_w1"):
        resp = client.get("/api/v1/audit", headers=bearer(session, org.accounts[name]))
        assert resp.status_code == 403, name
    assert client.get("/api/v1/audit").status_code == 401


def test_verify_ok_and_restricted_to_root_scope(
    client: TestClient, session: Session, org: Org
) -> None:
    _seed(session, org)
    resp = client.get("/api/v1/audit/verify", headers=bearer(session, org.accounts["auditor"]))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["ok"] is True
    assert body["checked"] >= 3
    assert body["first_bad_id"] is None
    admin_w1 = make_account(session, "admin_w1", role=Role.committee_admin, unit=org.units["W1"])
    resp = client.get("/api/v1/audit/verify", headers=bearer(session, admin_w1))
    assert resp.status_code == 403


def test_verify_reports_an_inserted_forgery(client: TestClient, session: Session, org: Org) -> None:
    good = _seed(session, org)["none"]
    # UPDATE and DELETE are refused by triggers, but a forged INSERT is still possible.
    forged = AuditLog(
        at=good.at,
        action="member.update",
        detail={},
        prev_hash=good.hash,
        hash="f" * 64,
    )
    session.add(forged)
    session.flush()
    resp = client.get("/api/v1/audit/verify", headers=bearer(session, org.accounts["admin"]))
    body = resp.json()
    assert body["ok"] is False
    assert body["first_bad_id"] == forged.id
    assert body["reason"]
