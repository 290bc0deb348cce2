"""Fixtures for recordings: the org, a noticed meeting of cell A, headers per account, and a
job dispatcher that records instead of ringing a broker."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.orm import Session

from app.meetings.models import Meeting
from tests.factories.accounts import bearer
from tests.factories.meetings import make_meeting
from tests.factories.org import Org
from tests.jobs.conftest import committed  # noqa: F401 - a fixture, used by name
from tests.jobs.fakes import RecordingDispatcher, recording_jobs

Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def dispatcher() -> Iterator[RecordingDispatcher]:
    """Keep the ids of the jobs these tests send (nothing is committed in them anyway)."""
    with recording_jobs() as recorder:
        yield recorder


@pytest.fixture
def meeting(session: Session, org: Org) -> Meeting:
    return make_meeting(session, org.units["A"])


@pytest.fixture
def as_(session: Session, org: Org) -> Headers:
    """Bearer headers of an org account by name ("sec_a", "mem_a", ...)."""
    return lambda name: bearer(session, org.accounts[name])
