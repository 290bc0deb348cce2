"""An invited member's word ahead of a meeting: "Tôi sẽ dự" or "Tôi không dự được" with a
reason, changeable until the meeting starts; audited without the reason."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid
from app.core.i18n import N_
from app.core.permissions import Actor
from app.meetings.models import Attendance, AttendanceIntent, MeetingStatus
from app.meetings.service import get_meeting

NOT_INVITED = N_("Bạn không có trong danh sách triệu tập cuộc họp này")


def intent_of(session: Session, *, meeting_id: int, member_id: int) -> AttendanceIntent | None:
    return session.scalar(
        select(AttendanceIntent).where(
            AttendanceIntent.meeting_id == meeting_id, AttendanceIntent.member_id == member_id
        )
    )


def set_intent(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    will_attend: bool,
    reason: str = "",
) -> AttendanceIntent:
    """Record (or change) the actor's own intent for a noticed meeting they are invited to."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id)
    invited = actor.member_id is not None and session.scalar(
        select(Attendance.id).where(
            Attendance.meeting_id == meeting.id, Attendance.member_id == actor.member_id
        )
    )
    if not invited or actor.member_id is None:
        raise Forbidden(NOT_INVITED)
    if meeting.status != MeetingStatus.noticed:
        raise Conflict(N_("Cuộc họp đã bắt đầu hoặc đã kết thúc"))
    reason = reason.strip()
    if not will_attend and not reason:
        raise Invalid(N_("Xin cho biết lý do không dự được"))
    row = intent_of(session, meeting_id=meeting.id, member_id=actor.member_id)
    if row is None:
        row = AttendanceIntent(meeting_id=meeting.id, member_id=actor.member_id)
        session.add(row)
    row.will_attend = will_attend
    row.reason = "" if will_attend else reason[:500]
    row.updated_at = utcnow()
    session.flush()
    # The reason stays out of the audit detail: it can be medical or family business.
    record(
        session,
        ctx,
        "meeting.intent",
        object_type="meeting",
        object_id=meeting.id,
        unit_id=unit.id,
        detail={"will_attend": will_attend},
    )
    return row
