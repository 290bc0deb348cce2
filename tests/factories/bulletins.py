"""Bulletin factories: a bulletin through the service, with stored audio made of a few silent MP3
frames (no synthesis) when a test needs something to play or list in the feed."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.bulletins import service
from app.bulletins.models import AudioStatus, Bulletin, BulletinAudio
from app.bulletins.schemas import BulletinIn, SectionIn
from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.db import utcnow
from app.core.permissions import load_actor
from app.documents.schemas import AudienceIn
from app.documents.service_storage import Staged
from app.units.models import Unit

SECTIONS = [
    SectionIn(title="Tin chi bộ", text="Chi bộ họp ngày 5 tháng 12. Đồng chí nào bận báo trước."),
    SectionIn(title="Nhiệm vụ", text="Nộp đảng phí trước ngày 10."),
]


def silent_mp3(seconds: float = 2.0) -> bytes:
    import lameenc
    import numpy as np

    enc = lameenc.Encoder()
    enc.set_bit_rate(64)
    enc.set_in_sample_rate(16000)
    enc.set_channels(1)
    enc.set_quality(7)
    pcm = np.zeros(int(16000 * seconds), dtype=np.int16).tobytes()
    return bytes(enc.encode(pcm) + enc.flush())


def attach_audio(
    session: Session, settings: Settings, b: Bulletin, key: str = "", seconds: float = 2.0
) -> BulletinAudio:
    """Stored audio for `b`, as the job would leave it: chapters at 0, ¼ and ⅗ of its length."""
    data = silent_mp3(seconds)
    sha = hashlib.sha256(data).hexdigest()
    storage = service.get_storage(settings)
    fd, name = tempfile.mkstemp(dir=storage.stage_dir())
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    storage.put(Staged(Path(name), sha, len(data)))
    made = BulletinAudio(
        cache_key=key or hashlib.sha256(f"test-{b.id}".encode()).hexdigest(),
        sha256=sha,
        size=len(data),
        duration=seconds,
        voice="espeak-ng:vi+f3@150",
        provider="espeak-ng",
        chapters=[
            {"title": b.title, "start": 0.0},
            {"title": "Tin chi bộ", "start": round(seconds / 4, 2)},
            {"title": "Nhiệm vụ", "start": round(seconds * 3 / 5, 2)},
        ],
        sentences=[{"section": 1, "start": 0.5, "end": 1.4, "text": "Chi bộ họp."}],
    )
    session.add(made)
    session.flush()
    b.audio_id, b.audio_status = made.id, AudioStatus.done.value
    session.flush()
    return made


def make_bulletin(
    session: Session,
    settings: Settings,
    *,
    by: Account,
    unit: Unit,
    audience: list[Unit] | None = None,
    publish: bool = True,
    audio: bool = True,
    title: str = "Bản tin tháng 12",
) -> Bulletin:
    actor = load_actor(session, by.id)
    assert actor is not None
    ctx = AuditContext(actor_account_id=by.id)
    b = service.create_bulletin(
        session,
        ctx,
        actor=actor,
        data=BulletinIn(
            unit_id=unit.id,
            title=title,
            sections=SECTIONS,
            audience=[AudienceIn(unit_id=u.id) for u in (audience or [unit])],
        ),
    )
    if publish:
        b.status, b.published_at = "published", utcnow()
        session.flush()
        if audio:
            attach_audio(session, settings, b)
    return b
