"""The demo's recording: attached to the cell's last held meeting and transcribed offline through
the job system, once (running the demo again adds nothing)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.core.db import utcnow
from app.jobs.models import Job
from app.recordings.models import Recording, RecordingStatus, TranscriptSegment
from app.recordings.service_demo import add_demo_recording, transcribe_now
from tests.factories.meetings import make_meeting
from tests.factories.org import build_org
from tests.jobs.conftest import Committed


def test_the_demo_meeting_gets_a_transcript_with_times(committed: Committed) -> None:
    db = committed.db
    with db.session() as session:
        org = build_org(session)
        held = make_meeting(session, org.units["A"], starts_at=utcnow() - timedelta(days=20))
        make_meeting(session, org.units["A"], starts_at=utcnow() + timedelta(days=5))
        held_id = held.id
        job_id = add_demo_recording(session, db, secretary="sec_a")
    assert job_id is not None
    assert transcribe_now(db, job_id) == "succeeded"
    with db.session() as session:
        rec = session.scalars(select(Recording)).one()
        assert rec.meeting_id == held_id and rec.status == RecordingStatus.done
        segs = session.scalars(select(TranscriptSegment).order_by(TranscriptSegment.index)).all()
        assert len(segs) == 2
        assert 0 <= segs[0].start < segs[0].end <= segs[1].start < segs[1].end <= rec.duration
        assert all(s.text.strip() for s in segs)
        # Again: nothing new.
        assert add_demo_recording(session, db, secretary="sec_a") is None
        assert session.scalar(select(func.count()).select_from(Job)) == 1
