"""Web page for a meeting's outcomes: its resolutions, the tasks given from it, and the cell's
self-assessment."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.meetings import service as meetings_service
from app.outcomes import service
from app.outcomes.schemas import AssessmentIn, ResolutionCreate
from app.tasks import service as tasks_service
from app.tasks.models import TaskSource
from app.units import service as units_service
from app.web.guard import WebActor
from app.web.labels import TASK_STATUS_LABELS
from app.web.templating import render

router = APIRouter()


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    meeting_id: Id,
    *,
    error: str | None = None,
    flash: str | None = None,
    status_code: int = 200,
) -> Response:
    meeting, unit = meetings_service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    criteria, bands = service.criteria_for(session, unit)
    return render(
        request,
        "outcomes/meeting.html",
        {
            "meeting": meeting,
            "unit": unit,
            "held": meeting.status in service.HELD,
            "can_manage": meetings_service.can_manage(actor, unit),
            "resolutions": service.list_resolutions(session, actor=actor, meeting_id=meeting_id),
            "assessment": service.get_assessment(session, actor=actor, meeting_id=meeting_id),
            "criteria": criteria,
            "bands": bands,
            "max_total": sum(c.max_score for c in criteria),
            "tasks": tasks_service.list_source_tasks(
                session, actor=actor, source_type=TaskSource.meeting, source_id=meeting.id
            ),
            "can_assign": units_service.allowed_in(actor, Perm.task_manage, unit),
            "task_statuses": TASK_STATUS_LABELS,
            "error": error,
            "flash": flash,
        },
        status_code=status_code,
    )


@router.get("/meetings/{meeting_id}/outcomes")
def outcomes_page(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor, saved: str = ""
) -> Response:
    return _page(request, session, actor, meeting_id, flash=_("Đã lưu") if saved else None)


def _fail(
    request: Request, session: Session, actor: Actor, meeting_id: Id, exc: Exception
) -> Response:
    if isinstance(exc, AppError):
        if exc.status_code in (403, 404):
            raise exc
        return _page(
            request, session, actor, meeting_id, error=exc.render(), status_code=exc.status_code
        )
    return _page(
        request, session, actor, meeting_id, error=_("Thông tin không hợp lệ"), status_code=422
    )


@router.post("/meetings/{meeting_id}/outcomes/resolutions")
def issue_resolution(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    number: Annotated[str, Form(max_length=64)],
    issued_on: Annotated[date, Form()],
    title: Annotated[str, Form(max_length=300)],
    summary: Annotated[str, Form(max_length=20000)] = "",
    document_id: Annotated[str, Form()] = "",
) -> Response:
    try:
        data = ResolutionCreate(
            number=number,
            issued_on=issued_on,
            title=title,
            summary=summary,
            document_id=int(document_id) if document_id.strip() else None,
        )
        service.issue_resolution(session, ctx, actor=actor, meeting_id=meeting_id, data=data)
    except (ValidationError, ValueError, AppError) as exc:
        return _fail(request, session, actor, meeting_id, exc)
    return RedirectResponse(f"/meetings/{meeting_id}/outcomes?saved=1", status_code=303)


@router.post("/meetings/{meeting_id}/outcomes/assessment")
async def assess_meeting(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    """Scores arrive as score_<criterion id> fields, one per criterion."""
    form = await request.form()
    # The database work may wait for SQLite's write lock: never on the event loop.
    return await run_in_threadpool(_assess, request, session, actor, ctx, meeting_id, form)


def _assess(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    meeting_id: Id,
    form: FormData,
) -> Response:
    try:
        scores = [
            {"criterion_id": int(k.removeprefix("score_")), "score": int(str(v) or "-1")}
            for k, v in form.items()
            if k.startswith("score_")
        ]
        data = AssessmentIn.model_validate({"scores": scores, "note": form.get("note", "")})
        service.assess_meeting(session, ctx, actor=actor, meeting_id=meeting_id, data=data)
    except (ValidationError, ValueError, AppError) as exc:
        return _fail(request, session, actor, meeting_id, exc)
    return RedirectResponse(f"/meetings/{meeting_id}/outcomes?saved=1", status_code=303)
