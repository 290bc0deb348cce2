"""Meetings: access checks, creation, the draft → noticed → in progress → closed lifecycle."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.localtime import LOCAL_TZ
from app.core.permissions import Actor, Perm, accessible_unit_ids, unit_scope
from app.core.tree import IN_TREE
from app.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceState,
    Meeting,
    MeetingDocument,
    MeetingStatus,
)
from app.meetings.schemas import MeetingCreate
from app.members.models import Member, MemberStatus
from app.notifications.service_senders import send_notice
from app.units import service as units_service
from app.units import service_settings as units_settings
from app.units.models import Unit
from app.votes.models import Vote

TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.draft: {MeetingStatus.noticed},
    MeetingStatus.noticed: {MeetingStatus.in_progress},
    MeetingStatus.in_progress: {MeetingStatus.closed},
    MeetingStatus.closed: set(),
}
# Digits only: read out in the room and typed on a phone keypad.
CODE_LENGTH = 6


def new_checkin_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


def can_manage(actor: Actor | None, unit: Unit) -> bool:
    return units_service.allowed_in(actor, Perm.meeting_manage, unit)


def visible_condition(actor: Actor | None) -> ColumnElement[bool]:
    """Meetings the actor may see: in units they can see, drafts only where they run meetings.
    Every parameter that names a meeting is checked through this (or `get_meeting`)."""
    return Meeting.unit_id.in_(accessible_unit_ids(actor, Perm.unit_view)) & (
        (Meeting.status != MeetingStatus.draft)
        | Meeting.unit_id.in_(accessible_unit_ids(actor, Perm.meeting_manage))
    )


def get_meeting(
    session: Session, *, actor: Actor | None, meeting_id: int, manage: bool = False
) -> tuple[Meeting, Unit]:
    """A meeting the actor may see (else 404) and, with `manage`, run (else 403).

    Members of the unit and everyone above it see it once noticed; drafts only its officers.
    """
    row = session.execute(
        select(Meeting, Unit).join(Unit, Unit.id == Meeting.unit_id).where(Meeting.id == meeting_id)
    ).first()
    if row is None:
        raise NotFound("Không tìm thấy cuộc họp")
    meeting, unit = row
    manager = can_manage(actor, unit)
    visible = units_service.allowed_in(actor, Perm.unit_view, unit) and (
        meeting.status != MeetingStatus.draft or manager
    )
    if not visible:
        raise NotFound("Không tìm thấy cuộc họp")
    if manage and not manager:
        raise Forbidden("Bạn không có quyền điều hành cuộc họp này")
    return meeting, unit


def list_meetings(
    session: Session,
    *,
    actor: Actor,
    unit_id: int | None = None,
    status: MeetingStatus | None = None,
    limit: int = 100,
) -> Sequence[Meeting]:
    """Meetings in the actor's scope, newest first; drafts only where the actor manages."""
    managed = select(Unit.id).where(unit_scope(actor, Perm.meeting_manage))
    q = (
        select(Meeting)
        .join(Unit, Unit.id == Meeting.unit_id)
        .where(unit_scope(actor, Perm.unit_view))
        .where((Meeting.status != MeetingStatus.draft) | Meeting.unit_id.in_(managed))
    )
    if unit_id is not None:
        q = q.where(Meeting.unit_id == unit_id)
    if status is not None:
        q = q.where(Meeting.status == status)
    return session.scalars(
        q.order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(limit)
    ).all()


def check_officer(session: Session, unit: Unit, member_id: int | None, label: str) -> None:
    if member_id is None:
        return
    unit_id = session.scalar(select(Member.unit_id).where(Member.id == member_id))
    if unit_id != unit.id:
        raise Invalid("{label} phải là đảng viên của đơn vị", label=label)


def document_titles(session: Session, actor: Actor, document_ids: list[int]) -> dict[int, str]:
    """Titles of the pre-reading documents; ids unknown or outside the actor's view are refused
    alike, so attaching cannot be used to probe other units' documents."""
    if not document_ids:
        return {}
    from app.documents.models import Document
    from app.documents.service import visible_condition

    rows = session.execute(
        select(Document.id, Document.title).where(
            Document.id.in_(document_ids), visible_condition(actor)
        )
    ).all()
    found = {r.id: r.title for r in rows}
    missing = sorted(set(document_ids) - set(found))
    if missing:
        raise Invalid("Không tìm thấy tài liệu: {ids}", ids=", ".join(map(str, missing)))
    return found


def create_meeting(
    session: Session, ctx: AuditContext, *, actor: Actor, data: MeetingCreate
) -> Meeting:
    """Create a draft meeting with its agenda and pre-reading documents."""
    unit = units_service.get_unit(session, actor=actor, unit_id=data.unit_id, perm=Perm.unit_view)
    if not can_manage(actor, unit):
        raise Forbidden("Bạn không có quyền tạo cuộc họp cho đơn vị này")
    check_officer(session, unit, data.chair_member_id, "Chủ trì")
    check_officer(session, unit, data.secretary_member_id, "Thư ký")
    titles = document_titles(session, actor, list(dict.fromkeys(data.document_ids)))
    quorum = data.quorum or units_settings.quorum_default(unit)
    meeting = Meeting(
        unit_id=unit.id,
        kind=data.kind,
        title=data.title.strip(),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=data.place.strip(),
        online_link=data.online_link,
        chair_member_id=data.chair_member_id,
        secretary_member_id=data.secretary_member_id,
        status=MeetingStatus.draft,
        checkin_code=new_checkin_code(),
        quorum_numerator=quorum.numerator,
        quorum_denominator=quorum.denominator,
        quorum_strict=quorum.strict,
        quorum_base=quorum.base,
        created_by_account_id=actor.account_id,
    )
    session.add(meeting)
    session.flush()
    for pos, item in enumerate(data.agenda, start=1):
        session.add(
            AgendaItem(
                meeting_id=meeting.id,
                position=pos,
                title=item.title.strip(),
                description=item.description,
            )
        )
    for doc_id, title in titles.items():
        session.add(MeetingDocument(meeting_id=meeting.id, document_id=doc_id, title=title))
    session.flush()
    record(
        session,
        ctx,
        "meeting.create",
        object_type="meeting",
        object_id=meeting.id,
        unit_id=unit.id,
        detail={"kind": meeting.kind, "agenda_items": len(data.agenda)},
    )
    return meeting


def agenda(session: Session, meeting_id: int) -> Sequence[AgendaItem]:
    return session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)
    ).all()


def documents(session: Session, meeting_id: int) -> Sequence[MeetingDocument]:
    return session.scalars(
        select(MeetingDocument)
        .where(MeetingDocument.meeting_id == meeting_id)
        .order_by(MeetingDocument.id)
    ).all()


def meeting_votes(session: Session, *, actor: Actor, meeting_id: int) -> Sequence[Vote]:
    """The votes held in a meeting, for anyone who can see the meeting's unit."""
    return session.scalars(
        select(Vote)
        .join(Unit, Unit.id == Vote.unit_id)
        .where(Vote.meeting_id == meeting_id, unit_scope(actor, Perm.unit_view))
        .order_by(Vote.id)
    ).all()


def sync_invitees(session: Session, meeting: Meeting) -> int:
    """Add an attendance row for each current member not yet invited; returns how many."""
    have = set(
        session.scalars(select(Attendance.member_id).where(Attendance.meeting_id == meeting.id))
    )
    rows = session.execute(
        select(Member.id, Member.status).where(
            Member.unit_id == meeting.unit_id, Member.status.in_(IN_TREE)
        )
    ).all()
    added = 0
    for member_id, status in rows:
        if member_id in have:
            continue
        # Members exempted from Party activities are invited but listed apart, outside quorum.
        state = AttendanceState.exempt if status == MemberStatus.exempted else None
        session.add(Attendance(meeting_id=meeting.id, member_id=member_id, state=state))
        added += 1
    session.flush()
    return added


def must_attend_ids(session: Session, meeting_id: int) -> list[int]:
    """Invitees who must attend: everyone invited except the exempted."""
    return list(
        session.scalars(
            select(Attendance.member_id).where(
                Attendance.meeting_id == meeting_id,
                (Attendance.state.is_(None)) | (Attendance.state != AttendanceState.exempt),
            )
        )
    )


def notify_attendees(
    session: Session, meeting: Meeting, unit_id: int, kind: str, heading: str
) -> None:
    """Tell everyone who must attend: "<heading>: <title>", with when and where."""
    send_notice(
        session,
        member_ids=must_attend_ids(session, meeting.id),
        kind=kind,
        title=f"{heading}: {meeting.title}",
        body=when_where(meeting),
        link=f"/meetings/{meeting.id}",
        unit_id=unit_id,
    )


def change_status(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    status: MeetingStatus,
) -> Meeting:
    """Move the meeting along its lifecycle; a notice goes to every member who must attend."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id, manage=True)
    if status not in TRANSITIONS[meeting.status]:
        raise Conflict(
            "Không thể chuyển cuộc họp từ trạng thái {old} sang {new}",
            old=meeting.status,
            new=str(status),
        )
    now = utcnow()
    old = meeting.status
    meeting.status = status
    if status == MeetingStatus.noticed:
        meeting.noticed_at = now
        sync_invitees(session, meeting)
        notify_attendees(session, meeting, unit.id, "meeting.notice", "Thông báo họp")
    elif status == MeetingStatus.in_progress:
        meeting.started_at = now
        sync_invitees(session, meeting)
    elif status == MeetingStatus.closed:
        meeting.closed_at = now
        # Whoever is still unrecorded when the meeting closes did not come and gave no reason.
        for row in session.scalars(
            select(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.state.is_(None)
            )
        ):
            row.state = AttendanceState.unexcused
    session.flush()
    record(
        session,
        ctx,
        f"meeting.{status}",
        object_type="meeting",
        object_id=meeting.id,
        unit_id=unit.id,
        detail={"from": old, "to": str(status)},
    )
    return meeting


def when_where(meeting: Meeting) -> str:
    local = meeting.starts_at.astimezone(LOCAL_TZ)
    where = meeting.place or meeting.online_link or ""
    return f"{local:%H:%M %d/%m/%Y} — {where}"
