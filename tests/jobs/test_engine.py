"""Claim and sweep logic on the database: who may take a job, and what recovery does."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from app.core.config import JobsSettings
from app.core.db import utcnow
from app.jobs.models import Job, JobStatus
from app.jobs.service_engine import EXHAUSTED_ERROR, claim_job, fail_exhausted
from app.jobs.service_sweeper import REQUEUED_MESSAGE, sweep
from tests.factories.jobs import make_job
from tests.factories.org import Org

SETTINGS = JobsSettings(stale_after_seconds=60, requeue_queued_after_seconds=300, max_attempts=3)


def _claim(session: Session, job: Job, worker: str = "w1") -> int | None:
    return claim_job(
        session,
        job_id=job.id,
        worker=worker,
        now=utcnow(),
        stale_after_seconds=SETTINGS.stale_after_seconds,
        max_attempts=SETTINGS.max_attempts,
    )


def _reload(session: Session, job: Job) -> Job:
    session.expire_all()
    fresh = session.get(Job, job.id)
    assert fresh is not None
    return fresh


def test_claim_takes_a_queued_job_once(session: Session, org: Org) -> None:
    job = make_job(session, unit=org.units["A"], owner=org.accounts["admin"])
    assert _claim(session, job, "w1") == 1
    again = _claim(session, job, "w2")
    job = _reload(session, job)
    assert again is None
    assert (job.status, job.worker, job.attempts) == (JobStatus.running, "w1", 1)
    assert job.started_at is not None


def test_claim_leaves_a_live_running_job_alone(session: Session, org: Org) -> None:
    job = make_job(
        session,
        unit=org.units["A"],
        owner=org.accounts["admin"],
        status=JobStatus.running,
        attempts=1,
        heartbeat_ago=5,
        worker="w1",
    )
    assert _claim(session, job, "w2") is None
    assert _reload(session, job).worker == "w1"


def test_claim_takes_over_a_stale_running_job(session: Session, org: Org) -> None:
    job = make_job(
        session,
        unit=org.units["A"],
        owner=org.accounts["admin"],
        status=JobStatus.running,
        attempts=1,
        heartbeat_ago=120,
        worker="dead",
        state={"step": 2},
    )
    assert _claim(session, job, "w2") == 2
    job = _reload(session, job)
    assert (job.worker, job.attempts, job.state) == ("w2", 2, {"step": 2})


def test_claim_never_reruns_a_finished_job(session: Session, org: Org) -> None:
    for status in (JobStatus.succeeded, JobStatus.failed, JobStatus.cancelled):
        job = make_job(
            session, unit=org.units["A"], owner=org.accounts["admin"], status=status, attempts=1
        )
        assert _claim(session, job) is None
        assert _reload(session, job).attempts == 1


def test_claim_refuses_a_job_out_of_attempts_and_it_is_failed(session: Session, org: Org) -> None:
    job = make_job(
        session,
        unit=org.units["A"],
        owner=org.accounts["admin"],
        status=JobStatus.running,
        attempts=3,
        heartbeat_ago=120,
    )
    assert _claim(session, job) is None
    assert fail_exhausted(session, job_id=job.id, now=utcnow(), settings=SETTINGS)
    job = _reload(session, job)
    assert (job.status, job.error) == (JobStatus.failed, EXHAUSTED_ERROR)
    assert job.finished_at is not None


def test_sweep_requeues_stale_running_jobs_only(session: Session, org: Org) -> None:
    owner, unit = org.accounts["admin"], org.units["A"]
    stale = make_job(
        session, unit=unit, owner=owner, status=JobStatus.running, attempts=1, heartbeat_ago=90
    )
    live = make_job(
        session, unit=unit, owner=owner, status=JobStatus.running, attempts=1, heartbeat_ago=10
    )
    done = make_job(
        session, unit=unit, owner=owner, status=JobStatus.succeeded, attempts=1, heartbeat_ago=999
    )
    result = sweep(session, now=utcnow(), settings=SETTINGS)
    assert stale.id in result.requeued
    assert live.id not in result.to_send and done.id not in result.to_send
    stale = _reload(session, stale)
    assert (stale.status, stale.worker, stale.message) == (JobStatus.queued, None, REQUEUED_MESSAGE)
    assert _reload(session, live).status == JobStatus.running
    assert _reload(session, done).status == JobStatus.succeeded
    audit = session.scalars(
        select(AuditLog).where(
            AuditLog.action == "jobs.requeue", AuditLog.object_id == str(stale.id)
        )
    ).all()
    assert len(audit) == 1


def test_sweep_fails_a_stale_job_out_of_attempts(session: Session, org: Org) -> None:
    job = make_job(
        session,
        unit=org.units["A"],
        owner=org.accounts["admin"],
        status=JobStatus.running,
        attempts=3,
        heartbeat_ago=90,
    )
    result = sweep(session, now=utcnow(), settings=SETTINGS)
    assert result.failed == [job.id] and job.id not in result.to_send
    assert _reload(session, job).status == JobStatus.failed


def test_sweep_rings_again_for_forgotten_queued_jobs(session: Session, org: Org) -> None:
    owner, unit = org.accounts["admin"], org.units["A"]
    forgotten = make_job(session, unit=unit, owner=owner, heartbeat_ago=600, created_ago=600)
    never_sent = make_job(session, unit=unit, owner=owner, heartbeat_ago=None, created_ago=600)
    fresh = make_job(session, unit=unit, owner=owner, heartbeat_ago=5, created_ago=5)
    now = utcnow()
    result = sweep(session, now=now, settings=SETTINGS)
    assert forgotten.id in result.resent and never_sent.id in result.resent
    assert fresh.id not in result.to_send
    assert _reload(session, forgotten).status == JobStatus.queued
    # Ringing again restarts its clock, so the next sweep does not send it a second time.
    later = sweep(session, now=now + timedelta(seconds=1), settings=SETTINGS)
    assert forgotten.id not in later.to_send
