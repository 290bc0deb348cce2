"""The `minutes.draft` job run in-process on a committed database: progress to the end, the
draft stored with its version, a second run of the finished job skipped; LLM mode with a model
that fails falls back to the offline draft and says so; a job that lost its claim stores
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from sqlalchemy import select, update

from app.core.audit import AuditContext
from app.core.permissions import load_actor
from app.jobs.models import Job, JobStatus
from app.jobs.service_engine import execute_job
from app.minutes import service, service_draft, tasks
from app.minutes.models import Minutes, MinutesVersion
from tests.factories.minutes import held_meeting
from tests.factories.org import build_org
from tests.jobs.conftest import Committed, read_job
from tests.jobs.fakes import RecordingDispatcher


def request(committed: Committed, mode: str | None = None) -> tuple[int, int]:
    """Notes and a draft request through the services as sec_a, committed: (meeting, job)."""
    dispatcher = RecordingDispatcher()
    with committed.db.session() as session:
        org = build_org(session)
        held = held_meeting(session, org)
        actor = load_actor(session, org.accounts["sec_a"].id)
        assert actor is not None
        ctx = AuditContext(actor_account_id=actor.account_id)
        service.set_notes(
            session,
            ctx,
            actor=actor,
            meeting_id=held.meeting.id,
            notes="[2] Đ/c Cúc: cần rà soát kỹ danh sách hộ nghèo trước ngày 20.",
        )
        _m, job = service_draft.request_draft(
            session, ctx, actor=actor, meeting_id=held.meeting.id, mode=mode, dispatcher=dispatcher
        )
        # A second request while the first is queued gives the same job.
        _m, again = service_draft.request_draft(
            session, ctx, actor=actor, meeting_id=held.meeting.id, mode=mode, dispatcher=dispatcher
        )
        assert again.id == job.id
        assert dispatcher.sent == []  # sent after commit, not inside the transaction
        return held.meeting.id, job.id


def stored(committed: Committed, meeting_id: int) -> tuple[Minutes, list[MinutesVersion]]:
    with committed.db.session() as session:
        minutes = service.find(session, meeting_id)
        assert minutes is not None
        versions = session.scalars(
            select(MinutesVersion).where(MinutesVersion.minutes_id == minutes.id)
        ).all()
        session.expunge_all()
        return minutes, list(versions)


def test_the_draft_job_stores_the_draft_once(committed: Committed) -> None:
    meeting_id, job_id = request(committed)
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w1") == "succeeded"
    job = read_job(committed.db, job_id)
    assert job.status == JobStatus.succeeded and job.progress == 100
    assert job.result is not None and job.result["version"] == 1 and job.result["mode"] == "offline"
    minutes, versions = stored(committed, meeting_id)
    assert minutes.mode == "offline" and minutes.fallback_reason is None
    assert "Có mặt: 3 đồng chí." in minutes.sections["attendance"]
    assert "rà soát kỹ" in "\n".join(
        v for k, v in minutes.sections.items() if k.startswith("item-")
    )
    assert [v.kind for v in versions] == ["draft"]
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w2") == "skipped"
    assert len(stored(committed, meeting_id)[1]) == 1


class Broken(GenericFakeChatModel):
    def _generate(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        raise ConnectionError("model server down")


@pytest.fixture
def broken_model() -> object:
    tasks.use_model(Broken(messages=iter([])))
    yield
    tasks.use_model(None)


def test_llm_mode_falls_back_offline_and_says_so(committed: Committed, broken_model: None) -> None:
    meeting_id, job_id = request(committed, mode="llm")
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w1") == "succeeded"
    minutes, _versions = stored(committed, meeting_id)
    assert minutes.mode == "offline"
    assert minutes.fallback_reason and "model server down" in minutes.fallback_reason
    assert read_job(committed.db, job_id).result["fallback"] is True  # type: ignore[index]


def test_llm_mode_without_a_model_fails_the_job_clearly(committed: Committed) -> None:
    meeting_id, job_id = request(committed, mode="llm")
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w1") == "failed"
    job = read_job(committed.db, job_id)
    assert job.error and "mô hình ngôn ngữ" in job.error
    minutes, versions = stored(committed, meeting_id)
    assert minutes.sections == {} and versions == []


class Reclaimed(GenericFakeChatModel):
    """A model during whose call another worker takes the job over (its attempt moves on)."""

    db: Any = None
    job_id: int = 0

    def _generate(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        with self.db.session() as session:
            session.execute(
                update(Job).where(Job.id == self.job_id).values(attempts=Job.attempts + 1)
            )
        raise ConnectionError("slow model")


def test_a_worker_that_lost_the_job_stores_nothing(committed: Committed) -> None:
    meeting_id, job_id = request(committed, mode="llm")
    tasks.use_model(Reclaimed(messages=iter([]), db=committed.db, job_id=job_id))
    try:
        assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w1") == "lost"
    finally:
        tasks.use_model(None)
    minutes, versions = stored(committed, meeting_id)
    assert minutes.sections == {} and versions == []
