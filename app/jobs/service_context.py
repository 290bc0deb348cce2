"""What a running job sees: progress, checkpoints and heartbeats, each in its own short transaction."""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import JobsSettings
from app.core.db import Database, utcnow
from app.core.errors import AppError
from app.core.permissions import Actor, load_actor
from app.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)


class JobLost(Exception):
    """This attempt no longer owns the job (it was taken over after a stale heartbeat): stop."""


class JobError(AppError):
    """A failure the user should read (Vietnamese msgid); the job is marked failed with it."""

    status_code = 422
    code = "job_failed"


class JobContext:
    """Handed to a job function; every write is fenced by the attempt number it claimed."""

    def __init__(
        self,
        db: Database,
        settings: JobsSettings,
        *,
        job_id: int,
        attempt: int,
        worker: str,
        owner_account_id: int | None,
        unit_id: int | None,
        state: dict[str, Any] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.job_id = job_id
        self.attempt = attempt
        self.worker = worker
        self.owner_account_id = owner_account_id
        self.unit_id = unit_id
        self._state: dict[str, Any] = copy.deepcopy(state or {})
        self._lost = threading.Event()
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None
        # Reads of domain data must not take SQLite's write lock (see db._on_begin).
        self._read_sessions = sessionmaker(
            db.engine.execution_options(sotay_readonly=True), expire_on_commit=False
        )

    # -- state ------------------------------------------------------------------------------
    @property
    def state(self) -> dict[str, Any]:
        """The last checkpoint (empty on a first attempt); a copy, so edits need `checkpoint`."""
        return copy.deepcopy(self._state)

    @property
    def resumed(self) -> bool:
        return bool(self._state)

    # -- writes -----------------------------------------------------------------------------
    def _write(self, **values: Any) -> None:
        if self._lost.is_set():
            raise JobLost(self.job_id)
        with self.db.session() as session:
            res = session.execute(
                update(Job)
                .where(
                    Job.id == self.job_id,
                    Job.status == JobStatus.running,
                    Job.attempts == self.attempt,
                )
                .values(heartbeat_at=utcnow(), **values)
                .execution_options(synchronize_session=False)
            )
            owned = getattr(res, "rowcount", 0) == 1
        if not owned:
            self._lost.set()
            raise JobLost(self.job_id)

    def progress(self, pct: float, message: str | None = None) -> None:
        """Record progress (0–100) and an optional short message; also a heartbeat."""
        values: dict[str, Any] = {"progress": _clamp(pct)}
        if message is not None:
            values["message"] = message[:500]
        self._write(**values)

    def checkpoint(
        self, state: dict[str, Any], *, progress: float | None = None, message: str | None = None
    ) -> None:
        """Save resumable state (JSON), with progress in the same transaction so they agree."""
        values: dict[str, Any] = {"state": state}
        if progress is not None:
            values["progress"] = _clamp(progress)
        if message is not None:
            values["message"] = message[:500]
        self._write(**values)
        self._state = copy.deepcopy(state)

    def heartbeat(self) -> None:
        self._write()

    # -- reads ------------------------------------------------------------------------------
    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A short read-only session for the job's own queries."""
        session = self._read_sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def owner(self) -> Actor | None:
        """The submitter as an actor now, so a job honours grants revoked since it was queued."""
        if self.owner_account_id is None:
            return None
        with self.read_session() as session:
            return load_actor(session, self.owner_account_id)

    # -- background heartbeat ---------------------------------------------------------------
    def start_heartbeat(self) -> None:
        self._beat = threading.Thread(
            target=self._beat_loop, name=f"job-{self.job_id}-heartbeat", daemon=True
        )
        self._beat.start()

    def stop_heartbeat(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=10)

    def _beat_loop(self) -> None:
        # Keeps the row fresh while the job is inside a long step, so only a dead worker
        # goes stale.
        while not self._stop.wait(self.settings.heartbeat_seconds):
            try:
                self.heartbeat()
            except JobLost:
                log.warning("job %s: taken over by another worker, heartbeat stops", self.job_id)
                return
            except Exception:  # a database blip must not kill the thread; next beat retries
                log.warning("job %s: heartbeat failed", self.job_id, exc_info=True)

    @property
    def lost(self) -> bool:
        return self._lost.is_set()


def _clamp(pct: float) -> int:
    return max(0, min(100, int(pct)))
