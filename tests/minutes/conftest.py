"""Fixtures for minutes: the org, a held meeting of cell A (secretary sec_a, chair mem_a),
bearer headers per account, a recording dispatcher, and a draft stored without the worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.minutes import service, service_draft
from app.minutes.models import Minutes
from pipelines import minutes as pm
from tests.factories.accounts import bearer
from tests.factories.minutes import Held, held_meeting
from tests.factories.org import Org
from tests.jobs.conftest import committed  # noqa: F401 - a fixture, used by name
from tests.jobs.fakes import RecordingDispatcher, recording_jobs

Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def dispatcher() -> Iterator[RecordingDispatcher]:
    with recording_jobs() as recorder:
        yield recorder


@pytest.fixture
def held(session: Session, org: Org) -> Held:
    return held_meeting(session, org)


@pytest.fixture
def as_(session: Session, org: Org) -> Headers:
    return lambda name: bearer(session, org.accounts[name])


def run_draft(session: Session, meeting_id: int, *, replace: bool = False) -> Minutes:
    """What the `minutes.draft` job stores, done in the test's own transaction."""
    minutes = service.find(session, meeting_id)
    assert minutes is not None
    draft = pm.draft_minutes(service.minutes_input(session, minutes))
    service_draft.store_draft(
        session,
        AuditContext(),
        minutes=minutes,
        draft=draft,
        replace=replace,
        author_account_id=None,
    )
    session.flush()
    return minutes


@pytest.fixture
def drafted(
    client: TestClient, session: Session, held: Held, as_: Headers, dispatcher: RecordingDispatcher
) -> Held:
    """The held meeting with notes saved and a first draft stored, through the API."""
    meeting_id = held.meeting.id
    resp = client.put(
        f"/api/v1/meetings/{meeting_id}/minutes/notes",
        headers=as_("sec_a"),
        json={
            "notes": "[2] Đ/c Cúc: cần rà soát kỹ danh sách hộ nghèo trước ngày 20.\nChi bộ thống nhất cao."
        },
    )
    assert resp.status_code == 200, resp.text
    resp = client.post(
        f"/api/v1/meetings/{meeting_id}/minutes/draft", headers=as_("sec_a"), json={}
    )
    assert resp.status_code == 202, resp.text
    run_draft(session, meeting_id)
    return held


def minutes_of(client: TestClient, meeting_id: int, headers: dict[str, str]) -> Any:
    resp = client.get(f"/api/v1/meetings/{meeting_id}/minutes", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()
