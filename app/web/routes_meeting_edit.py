"""Web page to edit a meeting while it is a draft or noticed: fields, agenda, pre-reading."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError, Conflict
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor
from app.meetings import service
from app.meetings import service_editing as editing
from app.meetings.models import Meeting
from app.meetings.schemas import MeetingUpdate
from app.web import form_errors
from app.web.forms import document_options, form_page, pick_documents
from app.web.guard import WebActor
from app.web.labels import MEETING_CHECKS, MEETING_FIELDS
from app.web.labels import MEETING_LABELS as LABELS
from app.web.local_time import local_text, parse_local

router = APIRouter()
EDIT_PAGE = "meetings/edit.html"
TEXT_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "chair_member_id",
    "secretary_member_id",
    "new_agenda",
)


def _current(session: Session, meeting: Meeting) -> dict[str, Any]:
    """The form filled in from the meeting as it stands."""
    form: dict[str, Any] = {
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at": local_text(meeting.starts_at),
        "ends_at": local_text(meeting.ends_at),
        "place": meeting.place,
        "online_link": meeting.online_link or "",
        "chair_member_id": str(meeting.chair_member_id or ""),
        "secretary_member_id": str(meeting.secretary_member_id or ""),
        "new_agenda": "",
        "document_ids": [],
        "keep_doc": [str(d.document_id) for d in service.documents(session, meeting.id)],
    }
    for a in service.agenda(session, meeting.id):
        form[f"agenda_{a.id}"] = a.title
    return form


def _edit_context(session: Session, meeting: Meeting, actor: Actor) -> dict[str, Any]:
    return {
        "document_options": document_options(session, actor),
        "meeting": meeting,
        "agenda": service.agenda(session, meeting.id),
        "documents": service.documents(session, meeting.id),
        "members": editing.unit_members(session, meeting.unit_id),
        **LABELS,
    }


def _editable(session: Session, actor: Actor, meeting_id: Id) -> Meeting:
    meeting, _unit = service.get_meeting(session, actor=actor, meeting_id=meeting_id, manage=True)
    if not editing.editable(meeting):
        raise Conflict("Chỉ sửa được cuộc họp ở trạng thái nháp hoặc đã thông báo")
    return meeting


@router.get("/meetings/{meeting_id}/edit")
def edit_meeting_page(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor
) -> Response:
    meeting = _editable(session, actor, meeting_id)
    page = _edit_context(session, meeting, actor)
    return form_page(request, EDIT_PAGE, page, form=_current(session, meeting))


@router.post("/meetings/{meeting_id}/edit")
async def edit_meeting(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    raw = await request.form()
    # The database work may wait for SQLite's write lock: never on the event loop.
    return await run_in_threadpool(_save, request, session, actor, ctx, meeting_id, raw)


def _form(raw: FormData, meeting: Meeting, session: Session) -> dict[str, Any]:
    """The submitted fields, kept as typed so an error page shows them again."""
    form: dict[str, Any] = {k: str(raw.get(k, "")) for k in TEXT_FIELDS}
    form["keep_doc"] = [str(v) for v in raw.getlist("keep_doc")]
    form["document_ids"] = [str(v) for v in raw.getlist("document_ids") if str(v).strip()]
    for a in service.agenda(session, meeting.id):
        form[f"agenda_{a.id}"] = str(raw.get(f"agenda_{a.id}", ""))
    return form


def _update(
    session: Session, meeting: Meeting, form: dict[str, Any], added: list[int]
) -> MeetingUpdate:
    agenda: list[dict[str, Any]] = []
    for a in service.agenda(session, meeting.id):
        # Emptying an item's title takes it off the agenda; its description stays as it was.
        title = form[f"agenda_{a.id}"].strip()
        if title:
            agenda.append({"id": a.id, "title": title, "description": a.description})
    agenda += [{"title": t.strip()} for t in form["new_agenda"].splitlines() if t.strip()]
    return MeetingUpdate.model_validate(
        {
            "kind": form["kind"] or None,
            "title": form["title"],
            # Emptied: told beside the field by _save (the schema would name it in code).
            "starts_at": parse_local(form["starts_at"]) or meeting.starts_at,
            "ends_at": parse_local(form["ends_at"]),
            "place": form["place"],
            "online_link": form["online_link"].strip() or None,
            "chair_member_id": form["chair_member_id"].strip() or None,
            "secretary_member_id": form["secretary_member_id"].strip() or None,
            "agenda": agenda,
            "document_ids": [*form["keep_doc"], *added],
        }
    )


def _save(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    meeting_id: Id,
    raw: FormData,
) -> Response:
    meeting = _editable(session, actor, meeting_id)
    form = _form(raw, meeting, session)
    added, doc_problems = pick_documents(
        session,
        actor,
        form["document_ids"],
        field="document_ids",
        label=MEETING_FIELDS["document_ids"],
    )
    if not form["starts_at"].strip():
        field = _(MEETING_FIELDS["starts_at"])
        doc_problems.append({"field": field, "key": "starts_at", "message": _("Chưa nhập")})
    try:
        data = _update(session, meeting, form, added)
        if doc_problems:  # the other fields are fine: only these few are wrong
            raise ValidationError.from_exception_data("MeetingUpdate", [])
        # A savepoint: a refused edit leaves nothing half-changed for the request to commit.
        with session.begin_nested():
            editing.update_meeting(session, ctx, actor=actor, meeting_id=meeting.id, data=data)
    except ValidationError as exc:
        details = form_errors.details(exc, MEETING_FIELDS, MEETING_CHECKS) + doc_problems
        message = _("Chưa lưu được: hãy sửa các mục dưới đây.")
        page = _edit_context(session, meeting, actor)
        return form_page(
            request, EDIT_PAGE, page, form=form, error=message, details=details, status_code=422
        )
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        page = _edit_context(session, meeting, actor)
        return form_page(
            request, EDIT_PAGE, page, form=form, error=exc.render(), status_code=exc.status_code
        )
    return RedirectResponse(f"/meetings/{meeting.id}?done=edited", status_code=303)
