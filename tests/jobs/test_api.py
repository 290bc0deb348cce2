"""The jobs JSON API: submit (202, or 200 on a repeated key), list and read."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.jobs.models import JobStatus
from tests.factories.accounts import bearer
from tests.factories.jobs import make_job
from tests.factories.org import Org
from tests.jobs.fakes import RecordingDispatcher


def test_submit_list_and_read(
    client: TestClient, session: Session, org: Org, dispatcher: RecordingDispatcher
) -> None:
    headers = bearer(session, org.accounts["staff_w1"])
    body = {"kind": "units.report", "unit_id": org.units["W1"].id, "idempotency_key": "abc"}
    resp = client.post("/api/v1/jobs", json=body, headers=headers)
    assert resp.status_code == 202, resp.text
    job = resp.json()
    assert job["status"] == "queued" and job["progress"] == 0 and job["result"] is None
    assert set(job) >= {
        "id", "kind", "status", "progress", "message", "error", "result", "attempts",
        "created_at", "started_at", "finished_at",
    }  # fmt: skip

    again = client.post("/api/v1/jobs", json=body, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == job["id"]

    listed = client.get("/api/v1/jobs", headers=headers).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == job["id"]
    one = client.get(f"/api/v1/jobs/{job['id']}", headers=headers)
    assert one.status_code == 200 and one.json()["kind"] == "units.report"


def test_bad_input_is_422(client: TestClient, session: Session, org: Org) -> None:
    headers = bearer(session, org.accounts["admin"])
    unit_id = org.units["C"].id
    for body in (
        {"kind": "nope", "unit_id": unit_id},
        {"kind": "system.selftest", "unit_id": unit_id, "params": {"step_seconds": 60}},
        {"kind": "units.report", "unit_id": 0},
        {"kind": "units.report", "unit_id": unit_id, "idempotency_key": "x" * 200},
    ):
        resp = client.post("/api/v1/jobs", json=body, headers=headers)
        assert resp.status_code == 422, (body, resp.text)


def test_member_of_another_cell_cannot_see_the_job(
    client: TestClient, session: Session, org: Org
) -> None:
    job = make_job(
        session,
        kind="units.report",
        unit=org.units["A"],
        owner=org.accounts["sec_a"],
        status=JobStatus.succeeded,
        params={},
    )
    for name in ("mem_b", "sec_b"):
        resp = client.get(f"/api/v1/jobs/{job.id}", headers=bearer(session, org.accounts[name]))
        assert resp.status_code == 404
        listed = client.get("/api/v1/jobs", headers=bearer(session, org.accounts[name])).json()
        assert listed["items"] == []


def test_submit_needs_job_run(client: TestClient, session: Session, org: Org) -> None:
    body = {"kind": "units.report", "unit_id": org.units["A"].id}
    assert client.post("/api/v1/jobs", json=body).status_code == 401
    resp = client.post("/api/v1/jobs", json=body, headers=bearer(session, org.accounts["mem_a"]))
    assert resp.status_code == 403


def test_messages_follow_the_client_language(
    client: TestClient, session: Session, org: Org
) -> None:
    job = make_job(session, unit=org.units["C"], owner=org.accounts["admin"])
    headers = {**bearer(session, org.accounts["admin"]), "Accept-Language": "en"}
    job.message = "Đang chờ chạy lại sau khi worker bị gián đoạn"
    session.flush()
    assert client.get(f"/api/v1/jobs/{job.id}", headers=headers).json()["message"] == (
        "Waiting to run again after its worker stopped"
    )
