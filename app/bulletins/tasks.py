"""`bulletins.speak`: a published bulletin's audio, made once per cache key. The MP3 goes into
the content-addressed store and the audio row and the bulletin's link to it are written in one
transaction, so a repeated or resumed job finds the row and speaks nothing again."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import audio.tts as tts
from app.bulletins import service
from app.bulletins.models import AudioStatus, Bulletin, BulletinAudio
from app.core.i18n import N_
from app.core.permissions import Actor
from app.documents.service_storage import Staged, store_in_transaction
from app.jobs.service_context import JobContext, JobError, JobLost
from app.jobs.service_registry import register_kind

# Tests count syntheses through this hook (None: the real audio.tts.synthesise).
SYNTHESISE: Any = None


class SpeakParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bulletin_id: int = Field(ge=1)


def check_params(session: Session, actor: Actor, unit_id: int, params: Any) -> None:
    """Submitted by hand (the jobs API): only someone who manages the bulletin may."""
    b = service.get_bulletin(session, actor=actor, bulletin_id=params.bulletin_id)
    if not service.can_manage(session, actor, b) or b.unit_id != unit_id:
        raise JobError(N_("Bạn không có quyền quản lý bản tin này"))


def _set(ctx: JobContext, bulletin_id: int, **values: Any) -> None:
    with ctx.db.session() as session:
        session.execute(
            update(Bulletin)
            .where(Bulletin.id == bulletin_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def _link(ctx: JobContext, bulletin_id: int, speech: tts.Speech | None, key: str) -> int:
    """Store the MP3 and its row (unless another job did first) and point the bulletin at it."""
    storage = service.get_storage(ctx.db.settings)
    with ctx.db.session() as session:
        made = service.cached_audio(session, key)
        if made is None and speech is not None:
            sha = hashlib.sha256(speech.mp3).hexdigest()
            fd, name = tempfile.mkstemp(dir=storage.stage_dir(), prefix="tts-")
            with os.fdopen(fd, "wb") as out:
                out.write(speech.mp3)
            staged = Staged(Path(name), sha, len(speech.mp3))
            try:
                with session.begin_nested():
                    made = BulletinAudio(
                        cache_key=key,
                        sha256=sha,
                        size=len(speech.mp3),
                        duration=round(speech.duration, 2),
                        voice=speech.voice[:120],
                        provider=str(speech.provider),
                        chapters=[c.model_dump() for c in speech.chapters],
                        sentences=[s.model_dump() for s in speech.sentences],
                    )
                    session.add(made)
                    session.flush()
                store_in_transaction(session, storage, staged, BulletinAudio.sha256)
            except IntegrityError:
                staged.discard()
                made = service.cached_audio(session, key)
        if made is None:
            raise JobError(N_("Không tạo được âm thanh cho bản tin"))
        session.execute(
            update(Bulletin)
            .where(Bulletin.id == bulletin_id)
            .values(audio_id=made.id, audio_status=AudioStatus.done.value, audio_error=None)
            .execution_options(synchronize_session=False)
        )
        return made.id


@register_kind(
    service.SPEAK_KIND,
    title="Đọc bản tin thành âm thanh",
    params=SpeakParams,
    perms=(),
    check=check_params,
)
def run_speak(ctx: JobContext, params: SpeakParams) -> dict[str, Any]:
    """Speak the bulletin's text unless audio with the same cache key exists; store the MP3 by
    its hash with duration, chapters and the voice that made it."""
    config = ctx.db.settings.tts
    with ctx.read_session() as session:
        b = session.get(Bulletin, params.bulletin_id)
        if b is None:
            raise JobError(N_("Không tìm thấy bản tin"))
        text = service.text_of(b)
    try:
        script = tts.prepare(text, config)
    except tts.TtsError as exc:
        _set(ctx, params.bulletin_id, audio_status=AudioStatus.failed.value, audio_error=str(exc))
        raise JobError(N_("Không đọc được nội dung bản tin: {reason}"), reason=str(exc)) from exc
    with ctx.read_session() as session:
        cached = service.cached_audio(session, script.cache_key) is not None
    if cached:
        audio_id = _link(ctx, params.bulletin_id, None, script.cache_key)
        return {"bulletin_id": params.bulletin_id, "audio_id": audio_id, "cached": True}
    _set(ctx, params.bulletin_id, audio_status=AudioStatus.making.value)
    ctx.progress(1, N_("Đang đọc bản tin"))

    lock, last = threading.Lock(), [-10.0]

    def progress(done: int, total: int) -> None:
        # Sentences finish in worker threads: one write per tenth is enough for the bar.
        pct = min(95.0, 95 * done / max(total, 1))
        with lock:
            if pct - last[0] < 9.5 and done < total:
                return
            last[0] = pct
            ctx.progress(pct, f"{done}/{total}")

    speak = SYNTHESISE or tts.synthesise
    try:
        speech = speak(script, config, on_progress=progress)
    except (JobLost, JobError):
        raise
    except tts.TtsError as exc:
        _set(ctx, params.bulletin_id, audio_status=AudioStatus.failed.value, audio_error=str(exc))
        raise JobError(N_("Không tạo được âm thanh cho bản tin")) from exc
    except Exception:
        _set(
            ctx,
            params.bulletin_id,
            audio_status=AudioStatus.failed.value,
            audio_error=N_("Không tạo được âm thanh cho bản tin"),
        )
        raise
    audio_id = _link(ctx, params.bulletin_id, speech, script.cache_key)
    return {
        "bulletin_id": params.bulletin_id,
        "audio_id": audio_id,
        "cached": False,
        "duration": round(speech.duration, 1),
        "voice": speech.voice,
    }
