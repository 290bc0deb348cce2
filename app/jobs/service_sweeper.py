"""Recovery: requeue jobs whose worker died, ring again for queued jobs nobody picked up.

The embedded broker transports do not redeliver a message after a worker is killed, so the
jobs table, not the broker, decides what still has to run. The sweep runs in every worker:
once at start-up and then on a timer thread (see service_runner.SweeperStep for why not Celery
beat). The same thread then runs the periodic steps the domains registered (`register_periodic`
in their tasks.py: meeting reminders, vote auto-close), each on its own.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.config import JobsSettings
from app.core.db import Database, utcnow
from app.jobs import service_registry as registry
from app.jobs.models import Job, JobStatus
from app.jobs.service_dispatch import Dispatcher
from app.jobs.service_engine import EXHAUSTED_ERROR

log = logging.getLogger(__name__)

REQUEUED_MESSAGE = "Đang chờ chạy lại sau khi worker bị gián đoạn"
# Keeps each sweep's transaction short however many jobs a long outage left behind.
BATCH = 200
SYSTEM = AuditContext()


@dataclass
class SweepResult:
    requeued: list[int] = field(default_factory=list)  # were running, worker gone
    resent: list[int] = field(default_factory=list)  # queued too long, message presumed lost
    failed: list[int] = field(default_factory=list)  # out of attempts

    @property
    def to_send(self) -> list[int]:
        return self.requeued + self.resent


def sweep(session: Session, *, now: datetime, settings: JobsSettings) -> SweepResult:
    """Find orphaned and forgotten jobs and fix their rows; the caller sends after commit."""
    out = SweepResult()
    stale_before = now - timedelta(seconds=settings.stale_after_seconds)
    stale = session.execute(
        select(Job.id, Job.attempts, Job.unit_id)
        .where(
            Job.status == JobStatus.running,
            or_(Job.heartbeat_at < stale_before, Job.heartbeat_at.is_(None)),
        )
        .order_by(Job.id)
        .limit(BATCH)
    ).all()
    for job_id, attempts, unit_id in stale:
        # Conditional on the same staleness, so a sweep racing a live heartbeat changes nothing.
        still_stale = and_(
            Job.id == job_id,
            Job.status == JobStatus.running,
            or_(Job.heartbeat_at < stale_before, Job.heartbeat_at.is_(None)),
        )
        if attempts >= settings.max_attempts:
            values: dict[str, object] = {
                "status": JobStatus.failed,
                "error": EXHAUSTED_ERROR,
                "finished_at": now,
                "worker": None,
            }
            bucket, action = out.failed, "jobs.fail_exhausted"
        else:
            values = {
                "status": JobStatus.queued,
                "worker": None,
                "heartbeat_at": now,
                "message": REQUEUED_MESSAGE,
            }
            bucket, action = out.requeued, "jobs.requeue"
        res = session.execute(
            update(Job)
            .where(still_stale)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if getattr(res, "rowcount", 0) == 1:
            bucket.append(job_id)
            record(
                session,
                SYSTEM,
                action,
                object_type="job",
                object_id=job_id,
                unit_id=unit_id,
                detail={"attempts": attempts},
            )

    forgotten_before = now - timedelta(seconds=settings.requeue_queued_after_seconds)
    forgotten = or_(
        Job.heartbeat_at < forgotten_before,
        and_(Job.heartbeat_at.is_(None), Job.created_at < forgotten_before),
    )
    waiting = session.execute(
        select(Job.id, Job.attempts)
        .where(Job.status == JobStatus.queued, forgotten)
        .order_by(Job.id)
        .limit(BATCH)
    ).all()
    for job_id, attempts in waiting:
        cond = and_(Job.id == job_id, Job.status == JobStatus.queued, forgotten)
        if attempts >= settings.max_attempts:
            res = session.execute(
                update(Job)
                .where(cond)
                .values(status=JobStatus.failed, error=EXHAUSTED_ERROR, finished_at=now)
                .execution_options(synchronize_session=False)
            )
            if getattr(res, "rowcount", 0) == 1:
                out.failed.append(job_id)
            continue
        res = session.execute(
            update(Job)
            .where(cond)
            .values(heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(res, "rowcount", 0) == 1:
            out.resent.append(job_id)
    return out


def sweep_and_send(db: Database, settings: JobsSettings, dispatcher: Dispatcher) -> SweepResult:
    """One sweep in its own transaction, then the doorbell for every job it put back."""
    with db.session() as session:
        result = sweep(session, now=utcnow(), settings=settings)
    for job_id in result.to_send:
        try:
            dispatcher.send(job_id)
        except Exception:  # the next sweep rings again
            log.warning("could not send job %s to the broker", job_id, exc_info=True)
    if result.requeued or result.resent or result.failed:
        log.info(
            "sweep: requeued %s, resent %s, failed %s",
            result.requeued,
            result.resent,
            result.failed,
        )
    return result


def run_periodic(db: Database) -> dict[str, object]:
    """Every registered periodic step once; one that fails is logged and retried next round."""
    done: dict[str, object] = {}
    for step in registry.periodic_steps():
        try:
            done[step.name] = step.run(db, utcnow())
        except Exception:  # e.g. the database is restarting
            log.warning("periodic step %s failed", step.name, exc_info=True)
    return done


class SweeperThread(threading.Thread):
    """Sweeps at once, then every `sweep_every_seconds`, until stopped."""

    def __init__(self, db: Database, settings: JobsSettings, dispatcher: Dispatcher) -> None:
        super().__init__(name="sotay-job-sweeper", daemon=True)
        self.db = db
        self.settings = settings
        self.dispatcher = dispatcher
        self._stop_event = threading.Event()

    def run(self) -> None:
        while True:
            try:
                sweep_and_send(self.db, self.settings, self.dispatcher)
            except Exception:  # e.g. the database is restarting; try again next round
                log.warning("job sweep failed", exc_info=True)
            run_periodic(self.db)
            if self._stop_event.wait(self.settings.sweep_every_seconds):
                return

    def stop(self, timeout: float = 10.0) -> None:
        self._stop_event.set()
        self.join(timeout=timeout)
