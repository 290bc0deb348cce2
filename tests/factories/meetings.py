"""Meetings for tests: rows written directly, invitees synced the way a notice does."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.meetings.models import AgendaItem, Meeting, MeetingStatus
from app.meetings.service import sync_invitees
from app.units.models import Unit

CODE = "246810"


def make_meeting(
    session: Session,
    unit: Unit,
    *,
    title: str = "Sinh hoạt chi bộ tháng 11",
    status: MeetingStatus = MeetingStatus.noticed,
    starts_at: datetime | None = None,
    agenda: tuple[str, ...] = ("Đánh giá công tác tháng", "Phương hướng tháng tới"),
    **fields: object,
) -> Meeting:
    meeting = Meeting(
        unit_id=unit.id,
        title=title,
        starts_at=starts_at or utcnow() + timedelta(days=2),
        place="Nhà văn hóa khu phố",
        status=status,
        checkin_code=CODE,
        **fields,
    )
    session.add(meeting)
    session.flush()
    for pos, t in enumerate(agenda, start=1):
        session.add(AgendaItem(meeting_id=meeting.id, position=pos, title=t))
    if status != MeetingStatus.draft:
        sync_invitees(session, meeting)
    session.flush()
    return meeting
