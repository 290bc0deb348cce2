"""The `bulletins.speak` job on a committed database, with the real espeak-ng: the MP3 stored by
its hash with duration, chapters and voice; publishing unchanged text again synthesises
nothing (the audio is found by its cache key); bad text is a clear 422 before any job."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

import audio.tts as tts
from app.bulletins import service, tasks
from app.bulletins.models import Bulletin, BulletinAudio
from app.bulletins.schemas import BulletinIn, SectionIn
from app.core.audit import AuditContext
from app.core.errors import Invalid
from app.core.permissions import load_actor
from app.jobs.models import Job, JobStatus
from app.jobs.service_engine import execute_job
from tests.factories.org import build_org
from tests.jobs.conftest import Committed, read_job

SECTIONS = [
    SectionIn(title="Tin chi bộ", text="Chi bộ họp ngày 5 tháng 12."),
    SectionIn(title="Nhiệm vụ", text="Nộp đảng phí trước ngày 10."),
]


def _publish(committed: Committed, org_ids: dict[str, int] | None = None) -> tuple[int, int | None]:
    """A new bulletin of cell A with SECTIONS, published by sec_a and committed."""
    with committed.db.session() as session:
        if org_ids is None:
            org = build_org(session)
            org_ids = {"sec_a": org.accounts["sec_a"].id, "A": org.units["A"].id}
        actor = load_actor(session, org_ids["sec_a"])
        assert actor is not None
        ctx = AuditContext(actor_account_id=actor.account_id)
        b = service.create_bulletin(
            session,
            ctx,
            actor=actor,
            data=BulletinIn(unit_id=org_ids["A"], title="Bản tin tháng 12", sections=SECTIONS),
        )
        service.publish_bulletin(
            session,
            ctx,
            actor=actor,
            bulletin_id=b.id,
            settings=committed.settings,
            dispatcher=None,
        )
        committed_ids = (b.id, b.audio_job_id)
    _publish.org_ids = org_ids  # type: ignore[attr-defined]
    return committed_ids


def test_speak_stores_mp3_once_and_republish_synthesises_nothing(
    committed: Committed, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def counting(script: Any, config: Any, **kw: Any) -> tts.Speech:
        calls.append(1)
        return tts.synthesise(script, config, **kw)

    monkeypatch.setattr(tasks, "SYNTHESISE", counting)
    bid, job_id = _publish(committed)
    assert job_id is not None
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="t") == "succeeded"
    assert calls == [1]
    job = read_job(committed.db, job_id)
    assert job.status == JobStatus.succeeded and job.progress == 100
    with committed.db.session() as session:
        b = session.get(Bulletin, bid)
        assert b is not None and b.audio_status == "done"
        made = session.get(BulletinAudio, b.audio_id)
        assert made is not None
        assert made.voice.startswith("espeak-ng:") and made.provider == "espeak-ng"
        assert made.duration > 1
        starts = [c["start"] for c in made.chapters]
        assert len(starts) == 3 and starts == sorted(starts)
        path = service.get_storage(committed.settings).path(made.sha256)
        assert path.read_bytes()[:3] in (b"ID3",) or path.read_bytes()[:1] == b"\xff"
        key = made.cache_key

    # The same text again: the audio is found by its key; no job, no synthesis.
    bid2, job2 = _publish(committed, _publish.org_ids)  # type: ignore[attr-defined]
    assert job2 is None and calls == [1]
    with committed.db.session() as session:
        b2 = session.get(Bulletin, bid2)
        assert b2 is not None and b2.audio_status == "done"
        assert session.scalar(select(func.count()).select_from(BulletinAudio)) == 1
        assert session.get(BulletinAudio, b2.audio_id).cache_key == key  # type: ignore[union-attr]
        # A job run by hand on an already spoken text links the audio and speaks nothing.
        again = Job(
            kind=service.SPEAK_KIND,
            status=JobStatus.queued,
            params={"bulletin_id": bid2},
            state={},
            attempts=0,
            progress=0,
            message="",
        )
        session.add(again)
        session.flush()
        again_id = again.id
    assert execute_job(committed.db, committed.settings.jobs, again_id, worker="t") == "succeeded"
    assert calls == [1]


def test_text_that_cannot_be_spoken_is_refused_on_publish(committed: Committed) -> None:
    with committed.db.session() as session:
        org = build_org(session)
        actor = load_actor(session, org.accounts["sec_a"].id)
        assert actor is not None
        ctx = AuditContext(actor_account_id=actor.account_id)
        b = service.create_bulletin(
            session,
            ctx,
            actor=actor,
            data=BulletinIn(
                unit_id=org.units["A"].id, title="…", sections=[SectionIn(title="", text="— …")]
            ),
        )
        with pytest.raises(Invalid):
            service.publish_bulletin(
                session,
                ctx,
                actor=actor,
                bulletin_id=b.id,
                settings=committed.settings,
                dispatcher=None,
            )
