"""The summary API: the reader's view, the same 404 for a hidden document as for a missing one,
adoption of a task, and bad input answered 4xx, never 500."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.documents.models import Document
from tests.factories.accounts import bearer
from tests.factories.org import Org
from tests.factories.summaries import YEAR
from tests.summaries.conftest import publish_directive

MISSING = 2**31 - 1


def url(doc_id: object, rest: str = "") -> str:
    return f"/api/v1/documents/{doc_id}/summary{rest}"


def test_a_member_reads_the_summary_their_tasks_first(
    client: TestClient, session: Session, org: Org, summarised: Document
) -> None:
    resp = client.get(url(summarised.id), headers=bearer(session, org.accounts["mem_a"]))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "ready" and body["mode"] == "offline" and not body["can_adopt"]
    assert [t["for_us"] for t in body["tasks"]] == [True, True, True, False, False]
    first = body["tasks"][0]
    assert first["responsible_kind"] == "cell" and first["article"] == "Điều 3, khoản 1"
    assert first["url"].startswith(f"/documents/{summarised.id}?passage=")
    assert all(p["chunk_key"].startswith(f"d{summarised.id}v") for p in body["key_points"])
    assert len(body["short"]) == 3


def test_statuses_pending_and_none(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    from tests.factories.documents import make_document

    headers = bearer(session, org.accounts["staff_w1"])
    queued = publish_directive(session, settings, org)
    resp = client.get(url(queued.id), headers=headers)
    assert resp.json()["status"] == "pending" and resp.json()["tasks"] == []
    draft = make_document(session, settings, by=org.accounts["admin"], unit=org.units["W1"])
    assert client.get(url(draft.id), headers=headers).json()["status"] == "none"


def test_a_hidden_document_answers_as_a_missing_one(
    client: TestClient, session: Session, org: Org, summarised: Document
) -> None:
    headers = bearer(session, org.accounts["mem_d"])
    hidden = client.get(url(summarised.id), headers=headers)
    missing = client.get(url(MISSING), headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert client.get(url(summarised.id)).status_code == 401


def test_bad_ids_are_422_or_404_never_500(
    client: TestClient, session: Session, org: Org, summarised: Document
) -> None:
    headers = bearer(session, org.accounts["sec_a"])
    for bad in ("0", "-1", "abc", str(2**31), "1.5"):
        assert client.get(url(bad), headers=headers).status_code == 422, bad
    body = {"unit_id": org.units["A"].id, "assignee_member_id": org.members["mem_a"].id}
    for index in ("-1", "x", "10001"):
        resp = client.post(url(summarised.id, f"/tasks/{index}/adopt"), json=body, headers=headers)
        assert resp.status_code == 422, (index, resp.text)
    resp = client.post(url(summarised.id, "/tasks/9999/adopt"), json=body, headers=headers)
    assert resp.status_code == 404
    for broken in ({}, {**body, "due_date": "mai"}, {**body, "extra": 1}, {**body, "unit_id": 0}):
        resp = client.post(url(summarised.id, "/tasks/0/adopt"), json=broken, headers=headers)
        assert resp.status_code == 422, (broken, resp.text)


def test_the_secretary_adopts_a_task_and_a_member_may_not(
    client: TestClient, session: Session, org: Org, summarised: Document
) -> None:
    body = {"unit_id": org.units["A"].id, "assignee_member_id": org.members["mem_a"].id}
    tasks = client.get(url(summarised.id), headers=bearer(session, org.accounts["sec_a"])).json()
    member_task = next(t for t in tasks["tasks"] if t["responsible_kind"] == "member")
    quarterly = next(t for t in tasks["tasks"] if (t["deadline"] or {}).get("every"))
    adopt = url(summarised.id, f"/tasks/{member_task['index']}/adopt")
    refused = client.post(adopt, json=body, headers=bearer(session, org.accounts["mem_a"]))
    assert refused.status_code == 403
    resp = client.post(adopt, json=body, headers=bearer(session, org.accounts["sec_a"]))
    assert resp.status_code == 201, resp.text
    task = resp.json()
    assert task["due_date"] == f"{YEAR}-04-30" and task["source_type"] == "document"
    assert (task["source_chunk_key"], task["source_article"]) == (
        member_task["chunk_key"],
        member_task["article"],
    )
    undated = url(summarised.id, f"/tasks/{quarterly['index']}/adopt")
    resp = client.post(undated, json=body, headers=bearer(session, org.accounts["sec_a"]))
    assert resp.status_code == 422 and resp.json()["details"][0]["field"] == "due_date"


def test_both_routes_are_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/documents/{document_id}/summary"]
    assert "post" in paths["/api/v1/documents/{document_id}/summary/tasks/{task_index}/adopt"]
