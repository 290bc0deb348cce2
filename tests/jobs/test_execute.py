"""Running jobs in-process on a committed database: results, failures, resume and fencing."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import update

from app.accounts.models import RoleGrant
from app.core.db import utcnow
from app.jobs.models import Job, JobStatus
from app.jobs.service_context import JobContext, JobLost
from app.jobs.service_engine import UNEXPECTED_ERROR, UNKNOWN_KIND_ERROR, claim_job, execute_job
from app.jobs.service_registry import register_kind
from app.jobs.service_sweeper import sweep_and_send
from tests.factories.jobs import make_job
from tests.factories.org import build_org
from tests.jobs.conftest import Committed, read_job
from tests.jobs.fakes import RecordingDispatcher


class _NoParams(BaseModel):
    pass


@register_kind("tests.crash", title="Lỗi", params=_NoParams)
def _crash(ctx: JobContext, params: _NoParams) -> dict[str, Any]:
    raise ValueError("secret internal detail /etc/passwd")


def _job(c: Committed, **kwargs: Any) -> int:
    with c.db.session() as session:
        org = build_org(session)
        job = make_job(session, unit=org.units["C"], owner=org.accounts["admin"], **kwargs)
        return job.id


def test_selftest_runs_to_success(committed: Committed) -> None:
    job_id = _job(committed, params={"steps": 4, "step_seconds": 0})
    outcome = execute_job(committed.db, committed.settings.jobs, job_id, worker="w1")
    job = read_job(committed.db, job_id)
    assert outcome == "succeeded"
    assert (job.status, job.progress, job.attempts) == (JobStatus.succeeded, 100, 1)
    assert job.result is not None and job.result["counter"] == 4
    assert job.finished_at is not None and job.started_at is not None
    # A duplicate message for a finished job changes nothing.
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w2") == "skipped"
    assert read_job(committed.db, job_id).attempts == 1


def test_resume_continues_from_the_checkpoint(committed: Committed) -> None:
    job_id = _job(
        committed,
        status=JobStatus.running,
        attempts=1,
        heartbeat_ago=60,
        params={"steps": 5, "step_seconds": 0},
        state={"step": 3, "counter": 3, "starts": [0]},
    )
    execute_job(committed.db, committed.settings.jobs, job_id, worker="w2")
    job = read_job(committed.db, job_id)
    assert job.status == JobStatus.succeeded and job.attempts == 2
    assert job.result is not None
    assert job.result["counter"] == 5 and job.result["starts"] == [0, 3]


def test_job_error_marks_failed_with_its_message(committed: Committed) -> None:
    job_id = _job(committed, params={"steps": 5, "step_seconds": 0, "fail_at_step": 2})
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w1") == "failed"
    job = read_job(committed.db, job_id)
    assert (job.status, job.error) == (JobStatus.failed, "Lỗi thử nghiệm theo yêu cầu")
    assert job.state["step"] == 1


def test_unexpected_error_hides_the_traceback(committed: Committed) -> None:
    job_id = _job(committed, kind="tests.crash", params={})
    execute_job(committed.db, committed.settings.jobs, job_id, worker="w1")
    job = read_job(committed.db, job_id)
    assert job.status == JobStatus.failed and job.error == UNEXPECTED_ERROR
    assert "passwd" not in (job.error or "")


def test_unknown_kind_fails_cleanly(committed: Committed) -> None:
    job_id = _job(committed, kind="tests.gone", params={})
    execute_job(committed.db, committed.settings.jobs, job_id, worker="w1")
    assert read_job(committed.db, job_id).error == UNKNOWN_KIND_ERROR


def test_a_superseded_attempt_cannot_write(committed: Committed) -> None:
    job_id = _job(committed)
    with committed.db.session() as session:
        attempt = claim_job(
            session,
            job_id=job_id,
            worker="old",
            now=utcnow(),
            stale_after_seconds=2,
            max_attempts=5,
        )
    assert attempt == 1
    ctx = JobContext(
        committed.db,
        committed.settings.jobs,
        job_id=job_id,
        attempt=1,
        worker="old",
        owner_account_id=None,
        unit_id=None,
    )
    ctx.progress(10)
    # Another worker took the job over (as after a stale heartbeat).
    with committed.db.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(attempts=2, worker="new"))
    with pytest.raises(JobLost):
        ctx.checkpoint({"step": 9}, progress=90)
    job = read_job(committed.db, job_id)
    assert (job.worker, job.progress, job.state) == ("new", 10, {})


def test_sweep_and_send_rings_for_recovered_jobs(committed: Committed) -> None:
    job_id = _job(committed, status=JobStatus.running, attempts=1, heartbeat_ago=60)
    recorder = RecordingDispatcher()
    result = sweep_and_send(committed.db, committed.settings.jobs, recorder)
    assert result.requeued == [job_id] and recorder.sent == [job_id]
    assert read_job(committed.db, job_id).status == JobStatus.queued


def test_report_fails_when_the_owner_lost_the_grant(committed: Committed) -> None:
    with committed.db.session() as session:
        org = build_org(session)
        job = make_job(
            session,
            kind="units.report",
            unit=org.units["W1"],
            owner=org.accounts["staff_w1"],
            params={},
        )
        job_id, account_id = job.id, org.accounts["staff_w1"].id
    with committed.db.session() as session:
        session.execute(
            update(RoleGrant).where(RoleGrant.account_id == account_id).values(role="member")
        )
    execute_job(committed.db, committed.settings.jobs, job_id, worker="w1")
    job = read_job(committed.db, job_id)
    assert job.status == JobStatus.failed
    assert job.error == "Người lập báo cáo không còn quyền xem đảng viên của đơn vị này"
