"""The doorbell: telling the broker that a job row is ready, only once that row is committed."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.jobs.service_celery import RUN_JOB_TASK

if TYPE_CHECKING:
    from app.jobs.service_celery import SotayCelery

log = logging.getLogger(__name__)

_PENDING = "sotay_jobs_to_send"


class Dispatcher(Protocol):
    def send(self, job_id: int) -> None: ...


# The one way to send a process's jobs somewhere else than the broker: `sotay eval qa` runs the
# jobs it queues in its own process, and tests keep their ids (tests/jobs/fakes.py). Both the
# request's dispatcher (app.jobs.deps) and knowledge's index hook ask here first.
_diverted: Dispatcher | None = None


def use_dispatcher(dispatcher: Dispatcher | None) -> None:
    """Send this process's jobs through `dispatcher` (None: to the broker again)."""
    global _diverted
    _diverted = dispatcher


def diverted() -> Dispatcher | None:
    """The dispatcher set by `use_dispatcher`, if any."""
    return _diverted


class CeleryDispatcher:
    """Sends the job id as a Celery task message; the (sending-only) Celery app is built on first
    send. It registers no task and imports no job kind, so sending never imports the domains."""

    def __init__(self, settings: Settings, celery: SotayCelery | None = None) -> None:
        self.settings = settings
        self._celery = celery

    @property
    def celery(self) -> SotayCelery:
        if self._celery is None:
            from app.jobs.service_celery import make_sender

            self._celery = make_sender(self.settings)
        return self._celery

    def send(self, job_id: int) -> None:
        self.celery.send_task(RUN_JOB_TASK, args=[job_id])


def send_after_commit(session: Session, dispatcher: Dispatcher, job_id: int) -> None:
    """Queue `job_id` to be sent when `session` commits, and forgotten if it rolls back.

    Sending inside the transaction could let a fast worker look for a row that is not
    committed yet; a send that fails after the commit is repaired by the sweeper.
    """
    pending: list[tuple[Dispatcher, int]] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = []
        event.listen(session, "after_commit", _send_pending)
        event.listen(session, "after_rollback", _drop_pending)
    pending.append((dispatcher, job_id))


def _send_pending(session: Session) -> None:
    pending = session.info.get(_PENDING) or []
    session.info[_PENDING] = []
    for dispatcher, job_id in pending:
        try:
            dispatcher.send(job_id)
        except Exception:  # the row is committed; the sweeper rings again later
            log.warning("could not send job %s to the broker", job_id, exc_info=True)


def _drop_pending(session: Session) -> None:
    session.info[_PENDING] = []
