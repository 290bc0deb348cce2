"""JSON API for meetings, attendance and comments."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, CurrentActor, DBSession, SettingsDep
from app.core.ids import Id
from app.core.permissions import Actor
from app.core.throttle import Now
from app.meetings import service
from app.meetings import service_attendance as attendance
from app.meetings import service_comments as comments
from app.meetings import service_editing as editing
from app.meetings.models import Meeting, MeetingStatus
from app.meetings.schemas import (
    AgendaItemOut,
    AttendanceOut,
    AttendanceSet,
    CheckIn,
    CommentGroup,
    CommentIn,
    CommentOut,
    DocumentRef,
    GuestIn,
    GuestOut,
    MeetingCreate,
    MeetingDetail,
    MeetingOut,
    MeetingUpdate,
    QuorumOut,
    StatusChange,
)

router = APIRouter(tags=["meetings"])


def meeting_detail(
    session: Session, actor: Actor, meeting: Meeting, manager: bool
) -> MeetingDetail:
    return MeetingDetail(
        **MeetingOut.model_validate(meeting).model_dump(),
        agenda=[AgendaItemOut.model_validate(a) for a in service.agenda(session, meeting.id)],
        documents=[DocumentRef.model_validate(d) for d in service.documents(session, meeting.id)],
        guests=[GuestOut.model_validate(g) for g in attendance.guests(session, meeting.id)],
        quorum=attendance.quorum(session, meeting),
        checkin_code=meeting.checkin_code if manager else None,
        can_manage=manager,
    )


@router.get("/meetings", response_model=list[MeetingOut])
def list_meetings(
    session: DBSession,
    actor: CurrentActor,
    unit_id: Id | None = None,
    status: MeetingStatus | None = None,
) -> list[Meeting]:
    return list(service.list_meetings(session, actor=actor, unit_id=unit_id, status=status))


@router.post("/meetings", response_model=MeetingDetail, status_code=201)
def create_meeting(
    data: MeetingCreate, session: DBSession, actor: CurrentActor, ctx: AuditCtx
) -> MeetingDetail:
    meeting = service.create_meeting(session, ctx, actor=actor, data=data)
    return meeting_detail(session, actor, meeting, True)


@router.get("/meetings/{meeting_id}", response_model=MeetingDetail)
def get_meeting(meeting_id: Id, session: DBSession, actor: CurrentActor) -> MeetingDetail:
    meeting, unit = service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    return meeting_detail(session, actor, meeting, service.can_manage(actor, unit))


@router.patch("/meetings/{meeting_id}", response_model=MeetingDetail)
def update_meeting(
    meeting_id: Id, data: MeetingUpdate, session: DBSession, actor: CurrentActor, ctx: AuditCtx
) -> MeetingDetail:
    meeting = editing.update_meeting(session, ctx, actor=actor, meeting_id=meeting_id, data=data)
    return meeting_detail(session, actor, meeting, True)


@router.post("/meetings/{meeting_id}/status", response_model=MeetingOut)
def change_meeting_status(
    meeting_id: Id, data: StatusChange, session: DBSession, actor: CurrentActor, ctx: AuditCtx
) -> Meeting:
    return service.change_status(
        session, ctx, actor=actor, meeting_id=meeting_id, status=data.status
    )


@router.get("/meetings/{meeting_id}/quorum", response_model=QuorumOut)
def get_quorum(meeting_id: Id, session: DBSession, actor: CurrentActor) -> QuorumOut:
    meeting, _ = service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    return attendance.quorum(session, meeting)


@router.get("/meetings/{meeting_id}/attendance", response_model=dict[str, list[AttendanceOut]])
def list_attendance(
    meeting_id: Id, session: DBSession, actor: CurrentActor
) -> dict[str, list[AttendanceOut]]:
    must, exempt = attendance.list_attendance(session, actor=actor, meeting_id=meeting_id)
    return {"must_attend": must, "exempt": exempt}


@router.post("/meetings/{meeting_id}/check-in", response_model=QuorumOut)
def check_in(
    meeting_id: Id,
    data: CheckIn,
    session: DBSession,
    actor: CurrentActor,
    ctx: AuditCtx,
    settings: SettingsDep,
    now: Now,
) -> QuorumOut:
    attendance.self_check_in(
        session,
        ctx,
        actor=actor,
        meeting_id=meeting_id,
        code=data.code,
        limits=settings.auth,
        now=now,
    )
    meeting, _ = service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    return attendance.quorum(session, meeting)


@router.put("/meetings/{meeting_id}/attendance/{member_id}", response_model=QuorumOut)
def set_attendance(
    meeting_id: Id,
    member_id: Id,
    data: AttendanceSet,
    session: DBSession,
    actor: CurrentActor,
    ctx: AuditCtx,
) -> QuorumOut:
    attendance.set_attendance(
        session,
        ctx,
        actor=actor,
        meeting_id=meeting_id,
        member_id=member_id,
        state=data.state,
        reason=data.reason,
    )
    meeting, _ = service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    return attendance.quorum(session, meeting)


@router.post("/meetings/{meeting_id}/attendance/all-present", response_model=QuorumOut)
def mark_all_present(
    meeting_id: Id, session: DBSession, actor: CurrentActor, ctx: AuditCtx
) -> QuorumOut:
    attendance.mark_all_present(session, ctx, actor=actor, meeting_id=meeting_id)
    meeting, _ = service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    return attendance.quorum(session, meeting)


@router.post("/meetings/{meeting_id}/guests", response_model=GuestOut, status_code=201)
def add_guest(
    meeting_id: Id, data: GuestIn, session: DBSession, actor: CurrentActor, ctx: AuditCtx
) -> GuestOut:
    guest = attendance.add_guest(
        session, ctx, actor=actor, meeting_id=meeting_id, name=data.name, position=data.position
    )
    return GuestOut.model_validate(guest)


@router.post("/meetings/{meeting_id}/comments", response_model=CommentOut, status_code=201)
def add_comment(
    meeting_id: Id, data: CommentIn, session: DBSession, actor: CurrentActor, ctx: AuditCtx
) -> CommentOut:
    comment = comments.add_comment(session, ctx, actor=actor, meeting_id=meeting_id, data=data)
    return CommentOut.model_validate(comment)


@router.get("/meetings/{meeting_id}/comments", response_model=list[CommentGroup])
def list_comments(meeting_id: Id, session: DBSession, actor: CurrentActor) -> list[CommentGroup]:
    _, groups = comments.grouped_comments(session, actor=actor, meeting_id=meeting_id)
    return groups
