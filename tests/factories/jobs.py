"""Job factories: rows in any state, for claim, sweep and visibility tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.core.db import utcnow
from app.jobs.models import Job, JobStatus
from app.units.models import Unit


def make_job(
    session: Session,
    *,
    unit: Unit | None,
    owner: Account | None,
    kind: str = "system.selftest",
    status: JobStatus = JobStatus.queued,
    params: dict[str, Any] | None = None,
    state: dict[str, Any] | None = None,
    attempts: int = 0,
    heartbeat_ago: float | None = 0.0,
    created_ago: float = 0.0,
    worker: str | None = None,
) -> Job:
    now = utcnow()
    heartbeat: datetime | None = (
        None if heartbeat_ago is None else now - timedelta(seconds=heartbeat_ago)
    )
    job = Job(
        kind=kind,
        owner_account_id=owner.id if owner else None,
        unit_id=unit.id if unit else None,
        status=status,
        progress=0,
        params=params if params is not None else {"steps": 3, "step_seconds": 0},
        state=state or {},
        attempts=attempts,
        worker=worker,
        heartbeat_at=heartbeat,
        created_at=now - timedelta(seconds=created_ago),
    )
    session.add(job)
    session.flush()
    return job
