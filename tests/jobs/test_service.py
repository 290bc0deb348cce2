"""Submitting and reading jobs: validation, permissions, idempotency, send-after-commit."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.permissions import Actor, load_actor
from app.jobs import service
from app.jobs.models import Job, JobStatus
from tests.factories.jobs import make_job
from tests.factories.org import Org
from tests.jobs.fakes import RecordingDispatcher

CTX = AuditContext(ip="test")


def actor(session: Session, org: Org, name: str) -> Actor:
    a = load_actor(session, org.accounts[name].id)
    assert a is not None
    return a


def submit(
    session: Session,
    org: Org,
    who: str,
    unit: str,
    *,
    kind: str = "units.report",
    params: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    dispatcher: RecordingDispatcher | None = None,
) -> tuple[Job, bool]:
    return service.submit_job(
        session,
        CTX,
        actor=actor(session, org, who),
        kind=kind,
        params=params or {},
        unit_id=org.units[unit].id,
        idempotency_key=idempotency_key,
        dispatcher=dispatcher or RecordingDispatcher(),
    )


def test_submit_creates_a_queued_job_and_audits(session: Session, org: Org) -> None:
    job, created = submit(session, org, "staff_w1", "A")
    assert created and job.status == JobStatus.queued and job.attempts == 0
    assert job.owner_account_id == org.accounts["staff_w1"].id
    row = session.scalar(select(AuditLog).where(AuditLog.action == "jobs.submit"))
    assert (
        row is not None and row.object_id == str(job.id) and row.detail == {"kind": "units.report"}
    )


def test_same_idempotency_key_returns_the_same_job(session: Session, org: Org) -> None:
    first, created = submit(session, org, "staff_w1", "A", idempotency_key="k-1")
    again, created_again = submit(session, org, "staff_w1", "A", idempotency_key="k-1")
    assert created and not created_again and again.id == first.id
    # Another account's identical key is a different job, never a view of the first.
    other, created_other = submit(session, org, "admin", "A", idempotency_key="k-1")
    assert created_other and other.id != first.id


def test_reused_key_for_another_request_conflicts(session: Session, org: Org) -> None:
    submit(session, org, "staff_w1", "A", idempotency_key="k-2")
    with pytest.raises(Conflict):
        submit(session, org, "staff_w1", "B", idempotency_key="k-2")


def test_kind_and_params_are_validated(session: Session, org: Org) -> None:
    with pytest.raises(Invalid):
        submit(session, org, "admin", "C", kind="no.such.kind")
    with pytest.raises(Invalid) as exc:
        submit(session, org, "admin", "C", kind="system.selftest", params={"steps": 100000})
    assert exc.value.details[0]["field"] == "params.steps"
    with pytest.raises(Invalid):
        submit(session, org, "admin", "C", params={"unexpected": 1})


def test_permissions_on_the_unit(session: Session, org: Org) -> None:
    # A member may see their cell but not run jobs in it.
    with pytest.raises(Forbidden):
        submit(session, org, "mem_a", "A")
    # Another cell is outside the secretary's sight: it does not exist for them.
    with pytest.raises(NotFound):
        submit(session, org, "sec_a", "B")
    # The diagnostic job is for city admins only.
    with pytest.raises(Forbidden):
        submit(session, org, "staff_w1", "W1", kind="system.selftest", params={"steps": 1})
    job, _ = submit(session, org, "admin", "C", kind="system.selftest", params={"steps": 1})
    assert job.params == {"steps": 1, "step_seconds": 0.1, "fail_at_step": None}


def test_message_is_sent_only_after_commit(session: Session, org: Org) -> None:
    recorder = RecordingDispatcher()
    job, _ = submit(session, org, "staff_w1", "A", dispatcher=recorder)
    assert recorder.sent == []
    session.commit()
    assert recorder.sent == [job.id]


def test_rolled_back_job_is_never_sent(session: Session, org: Org) -> None:
    recorder = RecordingDispatcher()
    session.commit()  # keep the org; only the job below is rolled back
    submit(session, org, "staff_w1", "A", dispatcher=recorder)
    session.rollback()
    session.commit()
    assert recorder.sent == []


def test_visibility(session: Session, org: Org) -> None:
    a_job = make_job(session, unit=org.units["A"], owner=org.accounts["admin"])
    d_job = make_job(session, unit=org.units["D"], owner=org.accounts["sec_a"])
    # Owner sees their job anywhere; job_run on the unit's tree sees it too.
    for who, visible in {
        "sec_a": {a_job.id, d_job.id},
        "staff_w1": {a_job.id},
        "admin": {a_job.id, d_job.id},
        "sec_b": set(),
        "mem_a": set(),
    }.items():
        jobs, total = service.list_jobs(session, actor(session, org, who))
        assert {j.id for j in jobs} == visible and total == len(visible), who
    with pytest.raises(NotFound):
        service.get_job(session, actor(session, org, "sec_b"), a_job.id)
    assert service.get_job(session, actor(session, org, "staff_w1"), a_job.id).id == a_job.id


def test_list_is_newest_first_and_paged(session: Session, org: Org) -> None:
    ids = [make_job(session, unit=org.units["A"], owner=org.accounts["admin"]).id for _ in range(3)]
    page1, total = service.list_jobs(session, actor(session, org, "admin"), page=1, per_page=2)
    page2, _ = service.list_jobs(session, actor(session, org, "admin"), page=2, per_page=2)
    assert total == 3
    assert [j.id for j in page1 + page2] == sorted(ids, reverse=True)
