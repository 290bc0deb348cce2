"""Called by the documents service when a document's indexable state changes (publish, new
version of a published document, withdraw): queue a `knowledge.index` job, sent after commit.

The documents service has no dispatcher of its own, so the hook uses the process's: Celery on
the process settings' broker, built on first send (`sotay serve` and `sotay worker` read the
same settings). It rings only when the session is on the database those settings name: a job
row in another database (a test's, a seeding script's) belongs to other workers, whose sweeper
sends it. Jobs diverted with `app.jobs.service_dispatch.use_dispatcher` (the eval, tests) go
there instead, whatever the database. A message lost after the commit is
re-sent by the job sweeper, since the job row is committed with the document change.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.permissions import Actor
from app.documents.models import Document
from app.jobs.models import Job, JobStatus
from app.jobs.service import QUEUED_MESSAGE
from app.jobs.service_dispatch import Dispatcher, diverted, send_after_commit

# The kind `app.knowledge.tasks` registers under this name. Named here, not imported from
# tasks: tasks reads documents through documents.service, which calls this hook.
INDEX_KIND = "knowledge.index"


class _ProcessDispatcher:
    """Celery on the process settings, built lazily: nothing connects at import."""

    def __init__(self) -> None:
        self._inner: Dispatcher | None = None

    def serves(self, session: Session) -> bool:
        from app.core.config import get_settings

        bind = session.get_bind()
        url = make_url(get_settings().database_url)
        return bool(bind.engine.url == url)

    def send(self, job_id: int) -> None:
        if self._inner is None:
            from app.core.config import get_settings
            from app.jobs.service_dispatch import CeleryDispatcher

            self._inner = CeleryDispatcher(get_settings())
        self._inner.send(job_id)


_PROCESS = _ProcessDispatcher()


def dispatcher() -> Dispatcher:
    """The dispatcher diverted to, if any, else the process's own."""
    return diverted() or _PROCESS


def document_changed(session: Session, doc: Document, actor: Actor | None = None) -> Job:
    """Queue re-indexing of `doc` (the job reads its state when it runs)."""
    now = utcnow()
    job = Job(
        kind=INDEX_KIND,
        owner_account_id=actor.account_id if actor else None,
        unit_id=doc.unit_id,
        status=JobStatus.queued,
        progress=0,
        message=QUEUED_MESSAGE,
        params={"document_id": doc.id, "batch": 32},
        state={},
        attempts=0,
        created_at=now,
        heartbeat_at=now,
    )
    session.add(job)
    session.flush()
    ring(session, job.id)
    return job


def ring(session: Session, job_id: int) -> None:
    """Send `job_id` after `session` commits, as above: the diverted dispatcher, else the
    process's broker when the session is on the process's database. The summary job that
    follows an index (`app.summaries.service_hooks`) rings the same way."""
    bell = dispatcher()
    if not isinstance(bell, _ProcessDispatcher) or bell.serves(session):
        send_after_commit(session, bell, job_id)
