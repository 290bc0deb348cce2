"""Attendance: the invited list, self and proxy check-in, "all present", guests and quorum."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import throttle
from app.core.audit import AuditContext, record
from app.core.config import AuthSettings
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests
from app.core.permissions import Actor
from app.core.security import same
from app.meetings.models import Attendance, AttendanceState, Guest, Meeting, MeetingStatus
from app.meetings.schemas import AttendanceOut, QuorumOut, QuorumRule
from app.meetings.service import can_manage, get_meeting
from app.members.models import Member

OPEN_FOR_ROLL = (MeetingStatus.noticed, MeetingStatus.in_progress)


def quorum_required(base: int, numerator: int, denominator: int, strict: bool) -> int:
    """The fewest present members that satisfy the rule (integer maths, no rounding errors)."""
    if base <= 0:
        return 0
    product = numerator * base
    if strict:  # "more than n/d": present * d > n * base
        return product // denominator + 1
    return -(-product // denominator)  # "at least n/d": ceiling


def quorum(session: Session, meeting: Meeting) -> QuorumOut:
    """Counts per state and whether the meeting's quorum rule is met right now."""
    states = list(
        session.scalars(select(Attendance.state).where(Attendance.meeting_id == meeting.id))
    )
    exempt = sum(1 for s in states if s == AttendanceState.exempt)
    present = sum(1 for s in states if s == AttendanceState.present)
    base = len(states) - exempt if meeting.quorum_base == "must_attend" else len(states)
    required = quorum_required(
        base, meeting.quorum_numerator, meeting.quorum_denominator, meeting.quorum_strict
    )
    return QuorumOut(
        invited=len(states),
        exempt=exempt,
        base=base,
        present=present,
        excused=sum(1 for s in states if s == AttendanceState.excused),
        unexcused=sum(1 for s in states if s == AttendanceState.unexcused),
        not_recorded=sum(1 for s in states if s is None),
        required=required,
        reached=base > 0 and present >= required,
        rule=QuorumRule(
            numerator=meeting.quorum_numerator,
            denominator=meeting.quorum_denominator,
            strict=meeting.quorum_strict,
            base=meeting.quorum_base,  # type: ignore[arg-type]
        ),
    )


def list_attendance(
    session: Session, *, actor: Actor, meeting_id: int
) -> tuple[list[AttendanceOut], list[AttendanceOut]]:
    """The roll: (members who must attend, members exempted), by name."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id)
    manager = can_manage(actor, unit)
    rows = session.execute(
        select(Attendance, Member.full_name)
        .join(Member, Member.id == Attendance.member_id)
        .where(Attendance.meeting_id == meeting.id)
        .order_by(Member.name_folded, Member.id)
    ).all()
    must: list[AttendanceOut] = []
    exempt: list[AttendanceOut] = []
    for att, name in rows:
        out = AttendanceOut(
            member_id=att.member_id,
            full_name=name,
            state=att.state,  # type: ignore[arg-type]
            # A leave reason can be personal: only the officers and the member see it.
            reason=att.reason if manager or att.member_id == actor.member_id else None,
            checked_in_at=att.checked_in_at,
            proxy=att.checked_in_by_account_id is not None,
        )
        (exempt if att.state == AttendanceState.exempt else must).append(out)
    return must, exempt


def _open_for_roll(meeting: Meeting) -> None:
    if meeting.status not in OPEN_FOR_ROLL:
        raise Conflict("Chỉ điểm danh khi cuộc họp đã thông báo hoặc đang diễn ra")


def self_check_in(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    code: str,
    limits: AuthSettings,
    now: datetime,
) -> Attendance:
    """A member checks themselves in with the code read out in the room; guesses wait."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id)
    _open_for_roll(meeting)
    row = None
    if actor.member_id is not None:
        row = session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.member_id == actor.member_id
            )
        )
    if row is None:
        raise Forbidden("Bạn không có tên trong danh sách triệu tập cuộc họp này")
    # Six digits fall to guessing in hours; each member waits growing delays per meeting.
    policy = throttle.policy(limits, free=limits.checkin_free_failures)
    bucket = throttle.key("checkin", meeting.id, row.member_id)
    wait = throttle.wait(session, bucket, policy, now)
    if wait:
        raise TooManyRequests(
            "Bạn đã thử quá nhiều lần, vui lòng thử lại sau {minutes} phút.",
            retry_after=wait,
            minutes=throttle.minutes(wait),
        )
    if not same(code.strip(), meeting.checkin_code):
        throttle.fail(session, bucket, policy, now)
        session.commit()  # the failure must outlive the rollback of the error
        raise Invalid("Mã điểm danh không đúng")
    if row.state != AttendanceState.present:
        row.state = AttendanceState.present
        row.reason = ""
        row.checked_in_at = utcnow()
        row.checked_in_by_account_id = None
        session.flush()
        record(
            session,
            ctx,
            "meeting.check_in",
            object_type="meeting",
            object_id=meeting.id,
            unit_id=unit.id,
            detail={"member_id": row.member_id},
        )
    return row


def set_attendance(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    member_id: int,
    state: AttendanceState,
    reason: str = "",
) -> Attendance:
    """An officer records one member's state (a proxy check-in when present); audited."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id, manage=True)
    _open_for_roll(meeting)
    row = session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.member_id == member_id
        )
    )
    if row is None:
        raise NotFound("Đảng viên không có trong danh sách triệu tập")
    reason = reason.strip()
    if state == AttendanceState.excused and not reason:
        raise Invalid("Vắng có phép cần ghi lý do")
    old = row.state
    row.state = state
    row.reason = reason if state == AttendanceState.excused else ""
    if state == AttendanceState.present:
        row.checked_in_at = utcnow()
        row.checked_in_by_account_id = actor.account_id
    else:
        row.checked_in_at = None
        row.checked_in_by_account_id = None
    session.flush()
    # The reason stays out of the audit detail: it can be medical or family business.
    record(
        session,
        ctx,
        "meeting.attendance_set",
        object_type="meeting",
        object_id=meeting.id,
        unit_id=unit.id,
        detail={"member_id": member_id, "from": old, "to": str(state), "proxy": True},
    )
    return row


def mark_all_present(session: Session, ctx: AuditContext, *, actor: Actor, meeting_id: int) -> int:
    """One click: every invitee not yet recorded (and not exempt or on leave) is present."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id, manage=True)
    _open_for_roll(meeting)
    now = utcnow()
    rows = session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.state.is_(None))
    ).all()
    for row in rows:
        row.state = AttendanceState.present
        row.checked_in_at = now
        row.checked_in_by_account_id = actor.account_id
    session.flush()
    record(
        session,
        ctx,
        "meeting.all_present",
        object_type="meeting",
        object_id=meeting.id,
        unit_id=unit.id,
        detail={"members": [r.member_id for r in rows], "proxy": True},
    )
    return len(rows)


def add_guest(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    name: str,
    position: str = "",
) -> Guest:
    """Record a guest (khách mời) at the meeting."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id, manage=True)
    if meeting.status == MeetingStatus.closed:
        raise Conflict("Cuộc họp đã kết thúc")
    guest = Guest(meeting_id=meeting.id, name=name.strip(), position=position.strip())
    session.add(guest)
    session.flush()
    record(
        session,
        ctx,
        "meeting.guest_add",
        object_type="meeting",
        object_id=meeting.id,
        unit_id=unit.id,
        detail={"guest_id": guest.id},
    )
    return guest


def guests(session: Session, meeting_id: int) -> list[Guest]:
    return list(
        session.scalars(select(Guest).where(Guest.meeting_id == meeting_id).order_by(Guest.id))
    )
