"""Web pages for meetings, the roll and quorum, and comments (the calendar: routes_calendar)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession, SettingsDep
from app.core.errors import AppError, Forbidden, Invalid
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.core.throttle import Now
from app.meetings import service
from app.meetings import service_attendance as attendance
from app.meetings import service_comments as comments
from app.meetings.models import AttendanceState, CommentKind, Meeting, MeetingStatus
from app.meetings.schemas import CommentIn, MeetingCreate
from app.minutes import service as minutes_service
from app.recordings import service as recordings_service
from app.units import service as units_service
from app.units.models import Unit
from app.web import form_errors
from app.web.forms import document_options, form_page, pick_documents
from app.web.guard import WebActor
from app.web.labels import MEETING_CHECKS, MEETING_FIELDS
from app.web.labels import MEETING_LABELS as LABELS
from app.web.local_time import parse_local
from app.web.templating import render

router = APIRouter()

NEXT_ACTION = {
    MeetingStatus.draft: (MeetingStatus.noticed, N_("Gửi thông báo họp")),
    MeetingStatus.noticed: (MeetingStatus.in_progress, N_("Bắt đầu cuộc họp")),
    MeetingStatus.in_progress: (MeetingStatus.closed, N_("Kết thúc cuộc họp")),
}
DONE = {
    "created": N_("Đã tạo cuộc họp"),
    "status": N_("Đã cập nhật trạng thái cuộc họp"),
    "checked_in": N_("Bạn đã điểm danh có mặt"),
    "roll": N_("Đã cập nhật điểm danh"),
    "guest": N_("Đã ghi nhận khách mời"),
    "comment": N_("Đã gửi ý kiến"),
    "edited": N_("Đã lưu thay đổi cuộc họp"),
}
VOTE_STATUS_LABELS = {"draft": N_("Nháp"), "open": N_("Đang mở"), "closed": N_("Đã đóng")}
NEW_PAGE = "meetings/new.html"


def back(meeting_id: Id, done: str) -> RedirectResponse:
    return RedirectResponse(f"/meetings/{meeting_id}?done={done}", status_code=303)


def _flash(done: str) -> str | None:
    return _(DONE[done]) if done in DONE else None


@router.get("/meetings")
def meetings_page(
    request: Request, session: DBSession, actor: WebActor, done: str = ""
) -> Response:
    return render(
        request,
        "meetings/index.html",
        {
            "meetings": service.list_meetings(session, actor=actor),
            "can_create": actor.has_any(Perm.meeting_manage),
            "flash": _flash(done),
            **LABELS,
        },
    )


def _managed_units(session: DBSession, actor: Actor) -> list[Unit]:
    return units_service.units_for_picker(
        session, actor=actor, perm=Perm.meeting_manage, limit=None
    )


def _new_context(session: DBSession, actor: Actor) -> dict[str, Any]:
    return {
        "units": _managed_units(session, actor),
        "document_options": document_options(session, actor),
        **LABELS,
    }


@router.get("/meetings/new")
def new_meeting_page(request: Request, session: DBSession, actor: WebActor) -> Response:
    if not actor.has_any(Perm.meeting_manage):
        raise Forbidden("Bạn không có quyền tạo cuộc họp")
    page = _new_context(session, actor)
    return form_page(request, NEW_PAGE, page, form={"kind": "regular"})


@router.post("/meetings")
def create_meeting(
    request: Request,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    unit_id: Annotated[str, Form(max_length=20)],
    title: Annotated[str, Form(max_length=300)],
    starts_at: Annotated[str, Form(max_length=40)],
    kind: Annotated[str, Form(max_length=16)] = "regular",
    ends_at: Annotated[str, Form(max_length=40)] = "",
    place: Annotated[str, Form(max_length=300)] = "",
    online_link: Annotated[str, Form(max_length=500)] = "",
    agenda: Annotated[str, Form(max_length=20000)] = "",
    document_ids: Annotated[list[str] | None, Form(max_length=600)] = None,
) -> Response:
    refs = [r for r in document_ids or [] if r.strip()]
    form = {
        "unit_id": unit_id,
        "title": title,
        "starts_at": starts_at,
        "kind": kind,
        "ends_at": ends_at,
        "place": place,
        "online_link": online_link,
        "agenda": agenda,
        "document_ids": refs,
    }
    doc_ids, doc_problems = pick_documents(
        session, actor, refs, field="document_ids", label=MEETING_FIELDS["document_ids"]
    )
    try:
        data = MeetingCreate.model_validate(
            {
                "unit_id": unit_id.strip() or None,
                "kind": kind,
                "title": title,
                "starts_at": parse_local(starts_at),
                "ends_at": parse_local(ends_at),
                "place": place,
                "online_link": online_link.strip() or None,
                "agenda": [{"title": t.strip()} for t in agenda.splitlines() if t.strip()],
                "document_ids": doc_ids,
            }
        )
        if doc_problems:  # the other fields are fine: only a document was not found
            raise ValidationError.from_exception_data("MeetingCreate", [])
        meeting = service.create_meeting(session, ctx, actor=actor, data=data)
    except ValidationError as exc:
        details = form_errors.details(exc, MEETING_FIELDS, MEETING_CHECKS) + doc_problems
        page = _new_context(session, actor)
        error = _("Chưa lưu được: hãy sửa các mục dưới đây.")
        return form_page(
            request, NEW_PAGE, page, form=form, error=error, details=details, status_code=422
        )
    except AppError as exc:
        if exc.status_code not in (409, 422):
            raise
        page = _new_context(session, actor)
        return form_page(
            request, NEW_PAGE, page, form=form, error=exc.render(), status_code=exc.status_code
        )
    return back(meeting.id, "created")


def _minutes_link(session: Session, actor: Actor, meeting: Meeting, unit: Unit) -> bool:
    """Officers see the minutes link always; members of the cell once the minutes are approved."""
    level = minutes_service.access(actor, meeting, unit)
    if level is minutes_service.Access.manage:
        return True
    found = minutes_service.find(session, meeting.id) if level else None
    return found is not None and found.locked_version_id is not None


@router.get("/meetings/{meeting_id}")
def meeting_page(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor, done: str = ""
) -> Response:
    meeting, unit = service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    must, exempt = attendance.list_attendance(session, actor=actor, meeting_id=meeting.id)
    mine = next((r for r in [*must, *exempt] if r.member_id == actor.member_id), None)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "unit": unit,
            "manager": service.can_manage(actor, unit),
            "agenda": service.agenda(session, meeting.id),
            "documents": service.documents(session, meeting.id),
            "guests": attendance.guests(session, meeting.id),
            "must": must,
            "exempt": exempt,
            "mine": mine,
            "q": attendance.quorum(session, meeting),
            "next_action": NEXT_ACTION.get(meeting.status),  # type: ignore[call-overload]
            "votes": service.meeting_votes(session, actor=actor, meeting_id=meeting.id),
            "vote_manager": units_service.allowed_in(actor, Perm.vote_manage, unit),
            "recordings": bool(recordings_service.access(session, actor, meeting, unit)),
            "minutes_link": _minutes_link(session, actor, meeting, unit),
            "editable": meeting.status in (MeetingStatus.draft, MeetingStatus.noticed),
            "vote_statuses": VOTE_STATUS_LABELS,
            "comment_kinds": {
                CommentKind.opinion: N_("Ý kiến"),
                CommentKind.proposal: N_("Kiến nghị"),
            },
            "flash": _flash(done),
            **LABELS,
        },
    )


@router.get("/meetings/{meeting_id}/quorum")
def quorum_fragment(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor
) -> Response:
    """Polled by htmx on the meeting page, so the count updates as members check in."""
    meeting, _unit = service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    return render(
        request,
        "meetings/_quorum.html",
        {"meeting": meeting, "q": attendance.quorum(session, meeting)},
    )


@router.post("/meetings/{meeting_id}/status")
def change_status(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    status: Annotated[MeetingStatus, Form()],
) -> Response:
    service.change_status(session, ctx, actor=actor, meeting_id=meeting_id, status=status)
    return back(meeting_id, "status")


@router.post("/meetings/{meeting_id}/check-in")
def check_in(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    settings: SettingsDep,
    now: Now,
    code: Annotated[str, Form(max_length=12)],
) -> Response:
    attendance.self_check_in(
        session,
        ctx,
        actor=actor,
        meeting_id=meeting_id,
        code=code,
        limits=settings.auth,
        now=now,
    )
    return back(meeting_id, "checked_in")


@router.post("/meetings/{meeting_id}/attendance")
def set_attendance(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    member_id: Annotated[Id, Form()],
    state: Annotated[AttendanceState, Form()],
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    attendance.set_attendance(
        session,
        ctx,
        actor=actor,
        meeting_id=meeting_id,
        member_id=member_id,
        state=state,
        reason=reason,
    )
    return back(meeting_id, "roll")


@router.post("/meetings/{meeting_id}/attendance/all")
async def set_roll(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    """The whole roll in one form (`state-<member id>`, `reason-<member id>`): each changed
    row goes through the same service as one row, in this request's one transaction."""
    form = await request.form(max_fields=2000)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    await run_in_threadpool(_save_roll, session, ctx, actor, meeting_id, fields)
    return back(meeting_id, "roll")


def _save_roll(
    session: Session, ctx: AuditContext, actor: Actor, meeting_id: int, fields: dict[str, str]
) -> None:
    service.get_meeting(session, actor=actor, meeting_id=meeting_id, manage=True)
    must, _exempt = attendance.list_attendance(session, actor=actor, meeting_id=meeting_id)
    for row in must:
        raw = fields.get(f"state-{row.member_id}", "")
        if not raw:
            continue  # "Chưa điểm danh" stays as it is
        try:
            state = AttendanceState(raw)
        except ValueError:
            raise Invalid("Trạng thái điểm danh không hợp lệ") from None
        reason = fields.get(f"reason-{row.member_id}", "").strip()[:500]
        kept = reason if state == AttendanceState.excused else ""
        if state == row.state and kept == (row.reason or ""):
            continue  # unchanged rows leave no audit record
        attendance.set_attendance(
            session,
            ctx,
            actor=actor,
            meeting_id=meeting_id,
            member_id=row.member_id,
            state=state,
            reason=reason,
        )


@router.post("/meetings/{meeting_id}/all-present")
def all_present(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    attendance.mark_all_present(session, ctx, actor=actor, meeting_id=meeting_id)
    return back(meeting_id, "roll")


@router.post("/meetings/{meeting_id}/guests")
def add_guest(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    name: Annotated[str, Form(min_length=1, max_length=200)],
    position: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    attendance.add_guest(
        session, ctx, actor=actor, meeting_id=meeting_id, name=name, position=position
    )
    return back(meeting_id, "guest")


@router.post("/meetings/{meeting_id}/comments")
def add_comment(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    body: Annotated[str, Form(min_length=1, max_length=5000)],
    kind: Annotated[CommentKind, Form()] = CommentKind.opinion,
    target: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    # One select names the target: "agenda:<id>", "document:<id>" or nothing (general).
    what, _sep, raw = target.partition(":")
    ref = int(raw) if raw.isdigit() else None
    data = CommentIn(
        kind=kind,
        body=body,
        agenda_item_id=ref if what == "agenda" else None,
        document_id=ref if what == "document" else None,
    )
    comments.add_comment(session, ctx, actor=actor, meeting_id=meeting_id, data=data)
    return back(meeting_id, "comment")


@router.get("/meetings/{meeting_id}/comments")
def comments_page(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor
) -> Response:
    meeting, groups = comments.grouped_comments(session, actor=actor, meeting_id=meeting_id)
    return render(
        request,
        "meetings/comments.html",
        {
            "meeting": meeting,
            "groups": groups,
            "comment_kinds": {
                CommentKind.opinion: N_("Ý kiến"),
                CommentKind.proposal: N_("Kiến nghị"),
            },
        },
    )
