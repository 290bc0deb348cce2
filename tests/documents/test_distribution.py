"""Audience scoping, distribution notifications, read receipts and read rates."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import RoleGrant
from app.core.config import Settings
from app.core.localtime import local_today
from app.documents.models import DocumentDistribution, DocumentRead
from app.notifications.models import Notification
from tests.factories.accounts import bearer
from tests.factories.documents import make_document
from tests.factories.members import make_member
from tests.factories.org import Org


def _ids(client: TestClient, session: Session, org: Org, who: str) -> set[int]:
    resp = client.get("/api/v1/documents", headers=bearer(session, org.accounts[who]))
    assert resp.status_code == 200, resp.text
    return {d["id"] for d in resp.json()}


def test_member_of_a_cannot_see_document_addressed_only_to_b(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    u = org.units
    to_b = make_document(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=u["W1"],
        audience=[u["B"]],
        publish=True,
    )
    to_a = make_document(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=u["W1"],
        audience=[u["A"]],
        publish=True,
    )
    assert _ids(client, session, org, "mem_a") == {to_a.id}
    assert _ids(client, session, org, "mem_b") == {to_b.id}
    for path in (f"/api/v1/documents/{to_b.id}", f"/api/v1/documents/{to_b.id}/file"):
        resp = client.get(path, headers=bearer(session, org.accounts["mem_a"]))
        assert resp.status_code == 404
    # Ward staff sees every document of W1's cells; a member of another ward sees none.
    assert {to_a.id, to_b.id} <= _ids(client, session, org, "staff_w1")
    assert _ids(client, session, org, "mem_d") == set()


def test_ward_staff_sees_documents_issued_by_and_addressed_to_its_cells(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    u = org.units
    by_cell = make_document(session, settings, by=org.accounts["sec_b"], unit=u["B"])
    from_city = make_document(
        session, settings, by=org.accounts["admin"], unit=u["C"], audience=[u["A"]], publish=True
    )
    city_draft = make_document(session, settings, by=org.accounts["admin"], unit=u["C"])
    seen = _ids(client, session, org, "staff_w1")
    assert {by_cell.id, from_city.id} <= seen
    assert city_draft.id not in seen
    assert by_cell.id not in _ids(client, session, org, "sec_a")


def test_drafts_and_withdrawn_documents_are_hidden_from_members(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    u = org.units
    draft = make_document(
        session, settings, by=org.accounts["staff_w1"], unit=u["W1"], audience=[u["A"]]
    )
    assert draft.id not in _ids(client, session, org, "mem_a")
    pub = make_document(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=u["W1"],
        audience=[u["A"]],
        publish=True,
    )
    resp = client.post(
        f"/api/v1/documents/{pub.id}/withdraw", headers=bearer(session, org.accounts["staff_w1"])
    )
    assert resp.status_code == 200
    assert pub.id not in _ids(client, session, org, "mem_a")


def test_subtree_flag_and_role_filter(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    u = org.units
    only_w1 = make_document(
        session,
        settings,
        by=org.accounts["admin"],
        unit=u["C"],
        audience=[u["W1"]],
        include_subtree=False,
        publish=True,
    )
    assert only_w1.id not in _ids(client, session, org, "mem_a")
    doc = make_document(session, settings, by=org.accounts["admin"], unit=u["C"])
    resp = client.put(
        f"/api/v1/documents/{doc.id}/audience",
        headers=bearer(session, org.accounts["admin"]),
        json={"audience": [{"unit_id": u["W1"].id, "role": "cell_secretary"}]},
    )
    assert resp.status_code == 200, resp.text
    resp = client.post(
        f"/api/v1/documents/{doc.id}/publish", headers=bearer(session, org.accounts["admin"])
    )
    assert resp.status_code == 200
    assert resp.json()["recipients"] == 2  # sec_a and sec_b
    assert doc.id in _ids(client, session, org, "sec_a")
    assert doc.id not in _ids(client, session, org, "mem_a")


def test_audience_must_lie_under_issuing_unit(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    doc = make_document(session, settings, by=org.accounts["staff_w1"], unit=org.units["W1"])
    resp = client.put(
        f"/api/v1/documents/{doc.id}/audience",
        headers=bearer(session, org.accounts["staff_w1"]),
        json={"audience": [{"unit_id": org.units["D"].id}]},
    )
    assert resp.status_code == 422


def test_publish_notifies_every_audience_member_once(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    u = org.units
    doc = make_document(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=u["W1"],
        audience=[u["A"], u["W1"]],  # overlapping: A lies under W1
    )
    resp = client.post(
        f"/api/v1/documents/{doc.id}/publish", headers=bearer(session, org.accounts["staff_w1"])
    )
    assert resp.status_code == 200, resp.text
    # W1 subtree: mem_w1, sec_a, mem_a, mem_a1, sec_b, mem_b.
    assert resp.json()["recipients"] == 6
    notes = session.scalars(
        select(Notification.member_id).where(
            Notification.kind == "document.published", Notification.link == f"/documents/{doc.id}"
        )
    ).all()
    assert sorted(notes) == sorted(
        org.members[k].id for k in ("mem_w1", "sec_a", "mem_a", "mem_a1", "sec_b", "mem_b")
    )
    assert (
        session.scalar(
            select(DocumentDistribution.recipients).where(
                DocumentDistribution.document_id == doc.id
            )
        )
        == 6
    )
    again = client.post(
        f"/api/v1/documents/{doc.id}/publish", headers=bearer(session, org.accounts["staff_w1"])
    )
    assert again.status_code == 409


def test_read_receipts_are_idempotent_and_rates_per_unit(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    u = org.units
    make_member(session, u["B"], "Ngô Thị Ba")
    doc = make_document(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=u["W1"],
        audience=[u["A"], u["B"]],
        include_subtree=False,
        publish=True,
    )
    h = bearer(session, org.accounts["mem_a"])
    first = client.post(f"/api/v1/documents/{doc.id}/read", headers=h).json()
    second = client.post(f"/api/v1/documents/{doc.id}/read", headers=h).json()
    assert first["first"] is True and second["first"] is False
    assert first["read_at"] == second["read_at"]
    client.get(f"/api/v1/documents/{doc.id}/file", headers=h)
    mem_b = bearer(session, org.accounts["mem_b"])
    assert client.get(f"/api/v1/documents/{doc.id}/file", headers=mem_b).status_code == 200
    count = session.scalar(
        select(func.count()).select_from(DocumentRead).where(DocumentRead.document_id == doc.id)
    )
    assert count == 2
    listed = client.get("/api/v1/documents", headers=h).json()
    assert next(d for d in listed if d["id"] == doc.id)["read_at"] is not None

    rates = client.get(
        f"/api/v1/documents/{doc.id}/read-rates", headers=bearer(session, org.accounts["staff_w1"])
    ).json()
    by_code = {r["unit_code"]: r for r in rates}
    assert by_code["A"]["members"] == 2 and by_code["A"]["read"] == 1
    assert by_code["A"]["rate"] == 0.5
    assert by_code["B"]["members"] == 3 and by_code["B"]["read"] == 1
    # A secretary sees only their own cell's rate; a member may not see rates.
    sec = client.get(
        f"/api/v1/documents/{doc.id}/read-rates", headers=bearer(session, org.accounts["sec_a"])
    ).json()
    assert [r["unit_code"] for r in sec] == ["A"]
    assert client.get(f"/api/v1/documents/{doc.id}/read-rates", headers=h).status_code == 403


def test_a_role_audience_leaves_out_an_ended_grant(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    u = org.units
    ended = session.scalars(
        select(RoleGrant).where(RoleGrant.account_id == org.accounts["sec_b"].id)
    ).one()
    ended.ends_on = local_today() - timedelta(days=1)
    session.flush()
    doc = make_document(session, settings, by=org.accounts["admin"], unit=u["C"])
    admin = bearer(session, org.accounts["admin"])
    resp = client.put(
        f"/api/v1/documents/{doc.id}/audience",
        headers=admin,
        json={"audience": [{"unit_id": u["W1"].id, "role": "cell_secretary"}]},
    )
    assert resp.status_code == 200, resp.text
    resp = client.post(f"/api/v1/documents/{doc.id}/publish", headers=admin)
    assert resp.json()["recipients"] == 1  # sec_a; sec_b's grant ended yesterday
