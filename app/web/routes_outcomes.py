"""Web pages for a meeting's outcomes (its resolutions, the tasks given from it, the cell's
self-assessment) and for a unit's self-assessment criteria and grade bands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError, Conflict, Invalid, NotFound
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.meetings import service as meetings_service
from app.outcomes import service, service_criteria
from app.outcomes.schemas import (
    AssessmentIn,
    BandsIn,
    CriteriaOrder,
    CriterionEdit,
    CriterionIn,
    ResolutionCreate,
)
from app.tasks import service as tasks_service
from app.tasks.models import TaskSource
from app.units import service as units_service
from app.web import form_errors
from app.web.forms import form_page
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


CRITERIA_PAGE = "outcomes/criteria.html"
CRITERIA_LABELS = {
    "code": N_("Mã"),
    "text": N_("Nội dung tiêu chí"),
    "max_score": N_("Điểm tối đa"),
    "active": N_("Đang dùng"),
    "ids": N_("Thứ tự"),
    "bands": N_("Thang xếp loại"),
}
# The scale's checks are about the whole scale: their lines go beside it.
BAND_CHECKS = {
    "Mỗi mã xếp loại chỉ được dùng một lần": "bands",
    "Hai mức xếp loại không được bắt đầu ở cùng một tỉ lệ": "bands",
    "Thang xếp loại phải có một mức bắt đầu từ 0%": "bands",
}
# Rows the scale form offers: the bands in use and a few empty ones.
BAND_ROWS = 6


def _criteria_page(
    request: Request,
    session: Session,
    actor: Actor,
    unit_id: int,
    form: dict[str, Any] | None = None,
    **problems: Any,
) -> Response:
    unit = units_service.get_unit(session, actor=actor, unit_id=unit_id)
    config = service_criteria.config_out(session, unit=unit)
    can_manage = unit.dissolved_at is None and units_service.allowed_in(
        actor, Perm.unit_manage, unit
    )
    # After a refused scale, the rows as typed; else the scale in use.
    bands = list((form or {}).get("bands") or [b.model_dump() for b in config.bands])
    bands += [{"grade": "", "label": "", "min_percent": ""}] * max(0, BAND_ROWS - len(bands))
    page = {"unit": unit, "config": config, "can_manage": can_manage, "band_rows": bands}
    saved = request.query_params.get("saved") == "1"
    return form_page(request, CRITERIA_PAGE, {**page, "saved": saved}, form=form or {}, **problems)


@router.get("/units/{unit_id}/assessment")
def criteria_page(request: Request, unit_id: Id, session: DBSession, actor: WebActor) -> Response:
    return _criteria_page(request, session, actor, unit_id)


def _configure(
    request: Request,
    session: Session,
    actor: Actor,
    unit_id: int,
    form: dict[str, Any],
    action: Callable[[], object],
) -> Response:
    """Run one change; bad input draws the page again with what was typed, losing nothing."""
    try:
        # A savepoint: a refused change leaves no half-copied set behind.
        with session.begin_nested():
            action()
    except ValidationError as exc:
        details = form_errors.details(exc, CRITERIA_LABELS, BAND_CHECKS)
        error = _("Chưa lưu được: hãy sửa các mục dưới đây.")
        return _criteria_page(
            request, session, actor, unit_id, form, error=error, details=details, status_code=422
        )
    except (Invalid, Conflict) as exc:
        return _criteria_page(
            request, session, actor, unit_id, form, error=exc.render(), status_code=exc.status_code
        )
    return RedirectResponse(f"/units/{unit_id}/assessment?saved=1", status_code=303)


def _may_configure(session: Session, actor: Actor, unit_id: int) -> None:
    # Same permission answer as the API before any input is judged.
    units_service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)


@router.post("/units/{unit_id}/assessment/criteria")
def add_criterion(
    request: Request,
    unit_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    code: Annotated[str, Form(max_length=100)] = "",
    text: Annotated[str, Form(max_length=2000)] = "",
    max_score: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    _may_configure(session, actor, unit_id)
    form = {"code": code, "text": text, "max_score": max_score}

    def action() -> object:
        data = CriterionIn.model_validate(
            {"code": code.strip(), "text": text, "max_score": max_score.strip()}
        )
        return service_criteria.add_criterion(session, ctx, actor=actor, unit_id=unit_id, data=data)

    return _configure(request, session, actor, unit_id, form, action)


@router.post("/units/{unit_id}/assessment/criteria/{criterion_id}")
def edit_criterion(
    request: Request,
    unit_id: Id,
    criterion_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    text: Annotated[str, Form(max_length=2000)] = "",
    max_score: Annotated[str, Form(max_length=20)] = "",
    active: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    _may_configure(session, actor, unit_id)

    def action() -> object:
        data = CriterionEdit.model_validate(
            {"text": text, "max_score": max_score.strip(), "active": active == "on"}
        )
        return service_criteria.edit_criterion(
            session, ctx, actor=actor, unit_id=unit_id, criterion_id=criterion_id, data=data
        )

    return _configure(request, session, actor, unit_id, {}, action)


@router.post("/units/{unit_id}/assessment/criteria/{criterion_id}/move")
def move_criterion(
    request: Request,
    unit_id: Id,
    criterion_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    direction: Annotated[str, Form(max_length=8)] = "up",
) -> Response:
    _may_configure(session, actor, unit_id)

    def action() -> object:
        ids = [c.id for c in service_criteria.assessment_config(
            session, actor=actor, unit_id=unit_id
        ).criteria]  # fmt: skip
        if criterion_id not in ids:
            raise NotFound("Không tìm thấy tiêu chí")
        i = ids.index(criterion_id)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
        data = CriteriaOrder(ids=ids)
        return service_criteria.reorder_criteria(
            session, ctx, actor=actor, unit_id=unit_id, data=data
        )

    return _configure(request, session, actor, unit_id, {}, action)


@router.post("/units/{unit_id}/assessment/bands")
def set_bands(
    request: Request,
    unit_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    grade: Annotated[list[str] | None, Form(max_length=100)] = None,
    label: Annotated[list[str] | None, Form(max_length=300)] = None,
    min_percent: Annotated[list[str] | None, Form(max_length=20)] = None,
) -> Response:
    _may_configure(session, actor, unit_id)
    rows = list(zip(grade or [], label or [], min_percent or [], strict=False))
    typed = [
        {"grade": g.strip(), "label": lbl, "min_percent": p.strip()}
        for g, lbl, p in rows
        if g.strip() or lbl.strip() or p.strip()
    ]
    form = {"bands": typed}

    def action() -> object:
        data = BandsIn.model_validate({"bands": typed})
        return service_criteria.set_bands(session, ctx, actor=actor, unit_id=unit_id, data=data)

    return _configure(request, session, actor, unit_id, form, action)
