"""`recordings.transcribe`: a recording's transcript, piece by piece, each piece stored in the same
transaction as the checkpoint that says it is done, so a restarted or killed worker resumes at the
first piece not stored and never stores one twice."""

from __future__ import annotations

import json
import threading
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import audio.stt as stt
from app.core.db import utcnow
from app.core.i18n import N_
from app.core.permissions import Actor
from app.jobs.models import Job, JobStatus
from app.jobs.service_context import JobContext, JobError, JobLost
from app.jobs.service_registry import register_kind
from app.recordings import service
from app.recordings.models import Recording, RecordingStatus, TranscriptSegment
from app.recordings.service_upload import audio_error, get_storage


class TranscribeParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recording_id: int = Field(ge=1)


def check_params(session: Session, actor: Actor, unit_id: int, params: Any) -> None:
    """Submitted by hand (the jobs API): only someone who manages the recording may."""
    rec, meeting, _unit = service.get_recording(
        session, actor=actor, recording_id=params.recording_id
    )
    if meeting.unit_id != unit_id:
        raise JobError(N_("Bản ghi âm không thuộc đơn vị này"))


# One loaded engine per process and configuration: loading the model takes seconds.
_ENGINES: dict[str, stt.SpeechToText] = {}
_ENGINES_LOCK = threading.Lock()
_OVERRIDE: stt.SpeechToText | None = None


def use_engine(engine: stt.SpeechToText | None) -> None:
    """Swap the engine (tests); None goes back to the configured one."""
    global _OVERRIDE
    _OVERRIDE = engine


def engine_for(config: stt.SttConfig) -> stt.SpeechToText:
    if _OVERRIDE is not None:
        return _OVERRIDE
    key = json.dumps(config.model_dump(), sort_keys=True)
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            _ENGINES[key] = stt.make_engine(config)
        return _ENGINES[key]


def _set_status(
    ctx: JobContext, recording_id: int, status: RecordingStatus, error: str = ""
) -> None:
    with ctx.db.session() as session:
        session.execute(
            update(Recording)
            .where(Recording.id == recording_id)
            .values(status=status, error=error[:500] or None)
            .execution_options(synchronize_session=False)
        )


def _save_piece(
    ctx: JobContext,
    recording_id: int,
    item: stt.IndexedSegment | None,
    next_index: int,
    total: int,
) -> None:
    """Store one piece's segment and the checkpoint after it in one transaction, fenced by the
    attempt: a worker that lost the job writes neither."""
    pct = 100 * next_index / max(total, 1)
    with ctx.db.session() as session:
        res = session.execute(
            update(Job)
            .where(
                Job.id == ctx.job_id,
                Job.status == JobStatus.running,
                Job.attempts == ctx.attempt,
            )
            .values(
                state={"next_index": next_index},
                progress=max(0, min(99, int(pct))),
                message=f"{next_index}/{total}",
                heartbeat_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(res, "rowcount", 0) != 1:
            session.rollback()
            raise JobLost(ctx.job_id)
        if item is not None:
            seg = item.segment
            try:
                with session.begin_nested():
                    session.add(
                        TranscriptSegment(
                            recording_id=recording_id,
                            index=item.index,
                            start=seg.start,
                            end=seg.end,
                            text=seg.text,
                            confidence=max(0.0, min(1.0, seg.confidence)),
                        )
                    )
            except IntegrityError:
                # A second job on the same recording (submitted by hand) stored this piece
                # first: the unique (recording, index) keeps one, and this job moves on.
                pass


def _resume_at(ctx: JobContext, recording_id: int) -> int:
    """The first piece not stored: the checkpoint, never behind what is already stored."""
    with ctx.read_session() as session:
        stored = session.scalar(
            select(func.max(TranscriptSegment.index)).where(
                TranscriptSegment.recording_id == recording_id
            )
        )
    return max(int(ctx.state.get("next_index", 0)), -1 if stored is None else stored + 1)


@register_kind(
    service.TRANSCRIBE_KIND,
    title="Chuyển bản ghi âm cuộc họp thành văn bản",
    params=TranscribeParams,
    perms=(),
    check=check_params,
)
def run_transcribe(ctx: JobContext, params: TranscribeParams) -> dict[str, Any]:
    """Decode the stored recording, cut it by voice activity and transcribe from the first
    piece not yet stored; each piece is committed as it is produced."""
    settings = ctx.db.settings
    config = settings.stt
    with ctx.read_session() as session:
        row = session.execute(
            select(Recording.id, Recording.sha256).where(Recording.id == params.recording_id)
        ).first()
    if row is None:
        raise JobError(N_("Không tìm thấy bản ghi âm"))
    rec_id, sha = row.id, row.sha256
    storage = get_storage(settings)
    if not storage.exists(sha):
        _set_status(ctx, rec_id, RecordingStatus.failed, N_("Không tìm thấy tệp âm thanh đã lưu"))
        raise JobError(N_("Không tìm thấy tệp âm thanh đã lưu"))
    _set_status(ctx, rec_id, RecordingStatus.transcribing)
    start = _resume_at(ctx, rec_id)
    try:
        samples = stt.load_audio(
            storage.path(sha), max_bytes=config.max_bytes, max_seconds=config.max_seconds
        )
        total = len(stt.speech_pieces(samples, config))
        engine = engine_for(config)
        ctx.progress(100 * start / max(total, 1), f"{start}/{total}")
        stored: set[int] = set()

        def progress(done: int, total_: int) -> None:
            # Pieces without words still move the checkpoint on (a segment was saved with it).
            if done - 1 not in stored:
                _save_piece(ctx, rec_id, None, done, total_)

        for item in stt.iter_transcribe(
            engine, samples, config, start_index=start, on_progress=progress
        ):
            _save_piece(ctx, rec_id, item, item.index + 1, total)
            stored.add(item.index)
    except stt.AudioError as exc:
        message = audio_error(exc, config)
        _set_status(ctx, rec_id, RecordingStatus.failed, message.render())
        raise JobError(message.message, **message.params) from exc
    except (JobLost, JobError):
        raise
    except Exception:
        _set_status(
            ctx, rec_id, RecordingStatus.failed, N_("Lỗi khi chuyển giọng nói thành văn bản")
        )
        raise
    _set_status(ctx, rec_id, RecordingStatus.done)
    with ctx.read_session() as session:
        count = session.scalar(select(func.count()).where(TranscriptSegment.recording_id == rec_id))
    return {"recording_id": rec_id, "segments": int(count or 0), "pieces": total}
