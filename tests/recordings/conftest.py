"""Fixtures for recordings: the org, a noticed meeting of cell A, headers per account, and a
job dispatcher that records instead of ringing a broker."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from app.jobs.deps import get_dispatcher
from app.meetings.models import Meeting
from tests.factories.accounts import bearer
from tests.factories.meetings import make_meeting
from tests.factories.org import Org
from tests.jobs.conftest import committed  # noqa: F401 - a fixture, used by name

Headers = Callable[[str], dict[str, str]]


class RecordingDispatcher:
    """Keeps the job ids it is asked to send (nothing is committed in these tests anyway)."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def send(self, job_id: int) -> None:
        self.sent.append(job_id)


@pytest.fixture
def dispatcher(app: FastAPI) -> RecordingDispatcher:
    recorder = RecordingDispatcher()
    app.dependency_overrides[get_dispatcher] = lambda: recorder
    return recorder


@pytest.fixture
def meeting(session: Session, org: Org) -> Meeting:
    return make_meeting(session, org.units["A"])


@pytest.fixture
def as_(session: Session, org: Org) -> Headers:
    """Bearer headers of an org account by name ("sec_a", "mem_a", ...)."""
    return lambda name: bearer(session, org.accounts[name])
