"""The demo's recording: a short synthetic clip attached to the demo cell's last held meeting,
transcribed through the job system so a fresh install shows a transcript with times.

`demo_recording.wav` (16 kHz mono, about 13 s) is the clips `vi_hop_chi_bo.wav` and
`vi_nghi_quyet.wav` of tests/data/stt (espeak-ng `-v vi+f3`, synthetic, no recording of a
person; that folder's README says how they were made and their licence) joined with silences.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.core.audit import AuditContext
from app.core.db import Database, utcnow
from app.core.permissions import load_actor
from app.documents.service_storage import Staged
from app.meetings.models import Meeting
from app.recordings import service
from app.recordings.models import Recording
from app.recordings.service_upload import get_storage

log = logging.getLogger(__name__)

DEMO_AUDIO = Path(__file__).resolve().parent / "demo_recording.wav"
DEMO_FILENAME = "ghi-am-sinh-hoat-chi-bo.wav"


def add_demo_recording(session: Session, db: Database, *, secretary: str) -> int | None:
    """Upload the clip as the secretary to their cell's last held meeting, unless a recording is
    already there; the id of the transcription job to run, or None."""
    account_id = session.scalar(
        select(Account.id).where(func.lower(Account.username) == secretary.lower())
    )
    actor = load_actor(session, account_id) if account_id is not None else None
    if actor is None or actor.member_unit_id is None or not DEMO_AUDIO.exists():
        return None
    now: datetime = utcnow()
    meeting_id = session.scalar(
        select(Meeting.id)
        .where(Meeting.unit_id == actor.member_unit_id, Meeting.starts_at < now)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    if meeting_id is None:
        return None
    if session.scalar(select(Recording.id).where(Recording.meeting_id == meeting_id).limit(1)):
        return None
    storage = get_storage(db.settings)
    data = DEMO_AUDIO.read_bytes()
    fd, name = tempfile.mkstemp(dir=storage.stage_dir(), prefix="demo-")
    with open(fd, "wb") as out:
        out.write(data)
    staged = Staged(Path(name), hashlib.sha256(data).hexdigest(), len(data))
    try:
        rec = service.create_recording(
            session,
            AuditContext(actor_account_id=actor.account_id, ip="cli"),
            actor=actor,
            meeting_id=meeting_id,
            settings=db.settings,
            storage=storage,
            staged=staged,
            filename=DEMO_FILENAME,
            dispatcher=None,
        )
    finally:
        staged.discard()
    return rec.job_id


def transcribe_now(db: Database, job_id: int) -> str:
    """Run the queued transcription in this process (the demo must work with no worker)."""
    # Registers recordings.transcribe: `sotay demo` loads no worker or app module that would.
    import app.recordings.tasks  # noqa: F401
    from app.jobs.service_engine import execute_job

    outcome = execute_job(db, db.settings.jobs, job_id, worker="sotay-demo")
    if outcome != "succeeded":
        log.warning("demo recording: transcription job %s ended %s", job_id, outcome)
    return outcome
