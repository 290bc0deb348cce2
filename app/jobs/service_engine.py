"""Claiming, running and finishing one job: what the Celery task does with the id it was sent.

The broker only says "look at job N". Whether N runs is decided here, by one conditional
UPDATE, so a duplicate or late message does nothing and a job finishes once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from app.core.config import JobsSettings
from app.core.db import Database, utcnow
from app.core.errors import AppError
from app.jobs import service_registry as registry
from app.jobs.models import Job, JobStatus
from app.jobs.service_context import JobContext, JobLost

log = logging.getLogger(__name__)

UNEXPECTED_ERROR = (
    "Tác vụ gặp lỗi ngoài dự kiến. Quản trị viên có thể xem chi tiết trong nhật ký của worker."
)
EXHAUSTED_ERROR = "Tác vụ bị gián đoạn quá nhiều lần nên đã dừng."
UNKNOWN_KIND_ERROR = "Loại tác vụ không còn được hỗ trợ."


def claim_job(
    session: Session,
    *,
    job_id: int,
    worker: str,
    now: datetime,
    stale_after_seconds: float,
    max_attempts: int,
) -> int | None:
    """Take job `job_id` for `worker` if it is queued or orphaned; its attempt number, else None."""
    stale_before = now - timedelta(seconds=stale_after_seconds)
    res = session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            Job.attempts < max_attempts,
            or_(
                Job.status == JobStatus.queued,
                and_(Job.status == JobStatus.running, Job.heartbeat_at < stale_before),
            ),
        )
        .values(
            status=JobStatus.running,
            worker=worker[:255],
            heartbeat_at=now,
            attempts=Job.attempts + 1,
            error=None,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(res, "rowcount", 0) != 1:
        return None
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.started_at.is_(None))
        .values(started_at=now)
        .execution_options(synchronize_session=False)
    )
    return session.scalar(select(Job.attempts).where(Job.id == job_id))


def fail_exhausted(session: Session, *, job_id: int, now: datetime, settings: JobsSettings) -> bool:
    """Mark failed a job that is still waiting to run but has used up its attempts."""
    stale_before = now - timedelta(seconds=settings.stale_after_seconds)
    res = session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            Job.attempts >= settings.max_attempts,
            or_(
                Job.status == JobStatus.queued,
                and_(Job.status == JobStatus.running, Job.heartbeat_at < stale_before),
            ),
        )
        .values(status=JobStatus.failed, error=EXHAUSTED_ERROR, finished_at=now, worker=None)
        .execution_options(synchronize_session=False)
    )
    return getattr(res, "rowcount", 0) == 1


def _finish(db: Database, job_id: int, attempt: int, *, status: JobStatus, **values: Any) -> bool:
    """Write the outcome only if this attempt still owns the job."""
    now = utcnow()
    with db.session() as session:
        res = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.running, Job.attempts == attempt)
            .values(status=status, finished_at=now, heartbeat_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return getattr(res, "rowcount", 0) == 1


def execute_job(db: Database, settings: JobsSettings, job_id: int, *, worker: str) -> str:
    """Claim, run and record one job; returns what happened (for logs and tests)."""
    now = utcnow()
    with db.session() as session:
        attempt = claim_job(
            session,
            job_id=job_id,
            worker=worker,
            now=now,
            stale_after_seconds=settings.stale_after_seconds,
            max_attempts=settings.max_attempts,
        )
        if attempt is None:
            exhausted = fail_exhausted(session, job_id=job_id, now=now, settings=settings)
            return "exhausted" if exhausted else "skipped"
        job = session.get(Job, job_id)
        assert job is not None  # the UPDATE above just matched it
        kind_name, raw_params, state = job.kind, dict(job.params or {}), dict(job.state or {})
        owner, unit_id = job.owner_account_id, job.unit_id

    kind = registry.find_kind(kind_name)
    if kind is None:
        _finish(db, job_id, attempt, status=JobStatus.failed, error=UNKNOWN_KIND_ERROR)
        return "failed"
    ctx = JobContext(
        db,
        settings,
        job_id=job_id,
        attempt=attempt,
        worker=worker,
        owner_account_id=owner,
        unit_id=unit_id,
        state=state,
    )
    log.info("job %s (%s) attempt %s started on %s", job_id, kind_name, attempt, worker)
    ctx.start_heartbeat()
    try:
        params = kind.parse_params(raw_params)
        result = kind.run(ctx, params)
    except JobLost:
        log.warning("job %s attempt %s lost ownership; its result is dropped", job_id, attempt)
        return "lost"
    except AppError as exc:
        log.info("job %s failed: %s", job_id, exc.message)
        done = _finish(db, job_id, attempt, status=JobStatus.failed, error=exc.render())
        return "failed" if done else "lost"
    except Exception:
        # The traceback goes to the worker's log only; users read a plain sentence.
        log.exception("job %s (%s) crashed", job_id, kind_name)
        done = _finish(db, job_id, attempt, status=JobStatus.failed, error=UNEXPECTED_ERROR)
        return "failed" if done else "lost"
    finally:
        ctx.stop_heartbeat()
    done = _finish(
        db,
        job_id,
        attempt,
        status=JobStatus.succeeded,
        progress=100,
        result=result,
        message="Hoàn thành",
        error=None,
    )
    log.info("job %s %s", job_id, "succeeded" if done else "finished after losing ownership")
    return "succeeded" if done else "lost"
