"""Meetings' periodic work: reminders before a meeting, sent once by the sweep of every worker."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.db import Database
from app.jobs.service_registry import register_periodic
from app.meetings.models import Meeting, MeetingStatus
from app.meetings.service import must_attend_ids, when_where
from app.notifications.service_senders import send_notice

# A reminder goes out once the meeting is less than this far away.
LEAD = timedelta(hours=24)
BATCH = 100
SYSTEM = AuditContext()


def send_due_reminders(session: Session, now: datetime, *, lead: timedelta = LEAD) -> list[int]:
    """Remind the invitees of every noticed meeting starting within `lead`; returns meeting ids.

    `reminded_at` is set in the same transaction, so two workers sweeping at once send one
    reminder: the conditional update below lets only one of them claim each meeting.
    """
    due = session.scalars(
        select(Meeting)
        .where(
            Meeting.status == MeetingStatus.noticed,
            Meeting.reminded_at.is_(None),
            Meeting.starts_at > now,
            Meeting.starts_at <= now + lead,
        )
        .order_by(Meeting.starts_at)
        .limit(BATCH)
    ).all()
    sent: list[int] = []
    for meeting in due:
        claimed = session.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id, Meeting.reminded_at.is_(None))
            .values(reminded_at=now)
        ).rowcount  # type: ignore[attr-defined]
        if not claimed:
            continue
        send_notice(
            session,
            member_ids=must_attend_ids(session, meeting.id),
            kind="meeting.reminder",
            title=f"Nhắc lịch họp: {meeting.title}",
            body=when_where(meeting),
            link=f"/meetings/{meeting.id}",
            unit_id=meeting.unit_id,
        )
        record(
            session,
            SYSTEM,
            "meeting.reminder",
            object_type="meeting",
            object_id=meeting.id,
            unit_id=meeting.unit_id,
        )
        sent.append(meeting.id)
    return sent


@register_periodic("meetings.reminders")
def run_reminders(db: Database, now: datetime, *, lead: timedelta = LEAD) -> list[int]:
    """The periodic entry point: a cheap read first, a write transaction only when one is due."""
    with db.session(readonly=True) as session:
        due = session.scalar(
            select(Meeting.id)
            .where(
                Meeting.status == MeetingStatus.noticed,
                Meeting.reminded_at.is_(None),
                Meeting.starts_at > now,
                Meeting.starts_at <= now + lead,
            )
            .limit(1)
        )
    if due is None:
        return []
    with db.session() as session:
        return send_due_reminders(session, now, lead=lead)
