"""The `recordings.transcribe` job, run in-process on a committed database: a real transcript
with times, a resume after a worker dies mid-job with each segment stored once, and failures
that end the job (never left running) with a Vietnamese message."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import audio.stt as stt
from app.core.audit import AuditContext
from app.core.db import utcnow
from app.core.permissions import load_actor
from app.documents.service_storage import Staged
from app.jobs.models import Job, JobStatus
from app.jobs.service_engine import execute_job
from app.recordings import service, tasks
from app.recordings.models import Recording, RecordingStatus, TranscriptSegment
from app.recordings.service_upload import get_storage
from tests.factories.meetings import make_meeting
from tests.factories.org import build_org
from tests.factories.recordings import (
    THREE_CLIPS,
    TWO_CLIPS,
    make_recording,
    silent_wav,
    speech_wav,
)
from tests.jobs.conftest import Committed, read_job
from tests.jobs.fakes import RecordingDispatcher


def upload(
    committed: Committed, data: bytes, dispatcher: RecordingDispatcher | None = None
) -> tuple[int, int]:
    """Upload through the service as sec_a (checks included) and commit: (recording, job)."""
    db, settings = committed.db, committed.settings
    with db.session() as session:
        org = build_org(session)
        meeting = make_meeting(session, org.units["A"])
        actor = load_actor(session, org.accounts["sec_a"].id)
        assert actor is not None
        storage = get_storage(settings)
        fd, name = tempfile.mkstemp(dir=storage.stage_dir())
        Path(name).write_bytes(data)
        staged = Staged(Path(name), hashlib.sha256(data).hexdigest(), len(data))
        rec = service.create_recording(
            session,
            AuditContext(actor_account_id=actor.account_id),
            actor=actor,
            meeting_id=meeting.id,
            settings=settings,
            storage=storage,
            staged=staged,
            filename="hop.wav",
            dispatcher=dispatcher,
        )
        assert rec.job_id is not None
        if dispatcher is not None:
            assert dispatcher.sent == []  # not inside the transaction
        return rec.id, rec.job_id


def stored(committed: Committed, rec_id: int) -> list[TranscriptSegment]:
    with committed.db.session() as session:
        return list(
            session.scalars(
                select(TranscriptSegment)
                .where(TranscriptSegment.recording_id == rec_id)
                .order_by(TranscriptSegment.index)
            )
        )


def recording(committed: Committed, rec_id: int) -> Recording:
    with committed.db.session() as session:
        rec = session.get(Recording, rec_id)
        assert rec is not None
        return rec


class WorkerKilled(BaseException):
    """Stands for kill -9: not an Exception, so nothing in the job marks anything failed."""


class ScriptedEngine:
    """Says which piece it heard (by its length), and dies on the call numbered `die_on`."""

    name = "scripted"

    def __init__(self, die_on: int | None = None) -> None:
        self.config = stt.SttConfig()
        self.calls: list[int] = []
        self.die_on = die_on

    def load(self) -> None:
        pass

    def transcribe(self, audio: np.ndarray) -> list[stt.Segment]:
        self.calls.append(audio.size)
        if self.die_on is not None and len(self.calls) == self.die_on:
            raise WorkerKilled
        seconds = audio.size / stt.SAMPLE_RATE
        return [stt.Segment(0.1, seconds - 0.1, f"đoạn dài {audio.size} mẫu", 0.9)]


@pytest.fixture
def engine_swap() -> Iterator[None]:
    yield
    tasks.use_engine(None)


def test_a_real_transcript_has_increasing_times_within_the_recording(
    committed: Committed, engine_swap: None
) -> None:
    rec_id, job_id = upload(committed, speech_wav(*TWO_CLIPS))
    outcome = execute_job(committed.db, committed.settings.jobs, job_id, worker="w1")
    job = read_job(committed.db, job_id)
    assert outcome == "succeeded", job.error
    assert job.progress == 100 and job.result == {
        "recording_id": rec_id,
        "segments": 2,
        "pieces": 2,
    }
    rec = recording(committed, rec_id)
    assert rec.status == RecordingStatus.done
    segs = stored(committed, rec_id)
    assert [s.index for s in segs] == [0, 1]
    times = [t for s in segs for t in (s.start, s.end)]
    assert times == sorted(times) and times[0] >= 0 and times[-1] <= rec.duration
    assert all(s.end > s.start for s in segs)
    # The English clip is the second piece; whisper base gets its words (WER bound in tests/audio).
    assert "meeting" in segs[1].text.lower()
    assert segs[0].text.strip()


def test_a_killed_worker_resumes_and_stores_each_segment_once(
    committed: Committed, engine_swap: None
) -> None:
    rec_id, job_id = upload(committed, speech_wav(*THREE_CLIPS))
    dying = ScriptedEngine(die_on=2)  # piece 0 is stored, the worker dies inside piece 1
    tasks.use_engine(dying)
    with pytest.raises(WorkerKilled):
        execute_job(committed.db, committed.settings.jobs, job_id, worker="w1")
    job = read_job(committed.db, job_id)
    assert job.status == JobStatus.running and job.state == {"next_index": 1}
    assert job.progress == 33
    assert [s.index for s in stored(committed, rec_id)] == [0]
    # The dead worker's heartbeat goes stale; another worker takes the job over.
    with committed.db.session() as session:
        session.execute(
            update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow() - timedelta(hours=1))
        )
    fresh = ScriptedEngine()
    tasks.use_engine(fresh)
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w2") == "succeeded"
    segs = stored(committed, rec_id)
    assert [s.index for s in segs] == [0, 1, 2]
    # The second worker started at piece 1: piece 0 was neither transcribed nor stored again.
    assert len(dying.calls) == 2 and len(fresh.calls) == 2
    assert fresh.calls[0] == dying.calls[1]  # the piece the dead worker was inside
    assert [s.text for s in segs] == [f"Đoạn dài {n} mẫu." for n in [dying.calls[0], *fresh.calls]]
    job = read_job(committed.db, job_id)
    assert job.attempts == 2 and job.progress == 100 and job.result["segments"] == 3
    # Running the finished job again changes nothing.
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w3") == "skipped"
    assert len(stored(committed, rec_id)) == 3


def test_a_piece_cannot_be_stored_twice(committed: Committed) -> None:
    rec_id, _job_id = upload(committed, speech_wav("vi_nghi_quyet.wav"))
    with pytest.raises(IntegrityError), committed.db.session() as session:
        for _ in range(2):
            session.add(TranscriptSegment(recording_id=rec_id, index=0, start=0, end=1, text="x"))
            session.flush()


@pytest.mark.parametrize(
    ("blob", "words"),
    [(silent_wav(), "Không nghe thấy tiếng nói"), (b"ID3 not really an mp3" * 10, "không phải")],
)
def test_audio_that_fails_in_the_job_ends_it_failed_in_vietnamese(
    committed: Committed, engine_swap: None, blob: bytes, words: str
) -> None:
    """Upload refuses these; a blob that went bad in storage still must not leave it running."""
    tasks.use_engine(ScriptedEngine())
    with committed.db.session() as session:
        org = build_org(session)
        meeting = make_meeting(session, org.units["A"])
        rec = make_recording(
            session,
            committed.settings,
            meeting,
            data=blob,
            segments=(),
            status=RecordingStatus.queued,
        )
        actor = load_actor(session, org.accounts["sec_a"].id)
        assert actor is not None
        job = service._queue_job(session, actor, org.units["A"].id, rec)  # noqa: SLF001
        rec.job_id = job.id
        rec_id, job_id = rec.id, job.id
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w1") == "failed"
    job = read_job(committed.db, job_id)
    assert job.status == JobStatus.failed and words in (job.error or "")
    rec2 = recording(committed, rec_id)
    assert rec2.status == RecordingStatus.failed and words in (rec2.error or "")
    assert stored(committed, rec_id) == []


def test_the_job_is_sent_after_the_upload_commits(committed: Committed) -> None:
    sent = RecordingDispatcher()
    _rec_id, job_id = upload(committed, speech_wav("vi_nghi_quyet.wav"), sent)
    assert sent.sent == [job_id]
    assert read_job(committed.db, job_id).status == JobStatus.queued
