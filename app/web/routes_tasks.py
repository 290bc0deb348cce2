"""Web pages for tasks: "Nhiệm vụ của tôi", and a unit's task board with assignment (from a
meeting or a document) and batch grading."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError, NotFound
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import ROLE_PERMS, Actor, Perm
from app.members.models import Member, MemberStatus
from app.tasks import service
from app.tasks import service_sources as sources
from app.tasks.models import TaskGrade, TaskStatus
from app.tasks.schemas import BatchGradeIn, TaskCreate
from app.units import service as units_service
from app.units.models import Unit
from app.web import form_errors
from app.web.guard import WebActor
from app.web.labels import TASK_STATUS_LABELS
from app.web.templating import render

router = APIRouter()

GRADE_LABELS = {
    TaskGrade.XS: "Hoàn thành xuất sắc",
    TaskGrade.HTT: "Hoàn thành tốt",
    TaskGrade.HT: "Hoàn thành",
    TaskGrade.KHT: "Không hoàn thành",
}


def _boards(session: Session, actor: Actor) -> list[Unit]:
    """The units whose task board and report the actor may open: where their grants sit."""
    ids = {
        g.unit_id
        for g in actor.grants
        if Perm.task_manage in ROLE_PERMS[g.role] or Perm.report_view in ROLE_PERMS[g.role]
    }
    if not ids:
        return []
    return list(session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.path)))


@router.get("/tasks/mine")
def my_tasks_page(
    request: Request, session: DBSession, actor: WebActor, saved: str = ""
) -> Response:
    tasks = service.list_my_tasks(session, actor=actor)
    return render(
        request,
        "tasks/mine.html",
        {
            "tasks": tasks,
            "boards": _boards(session, actor),
            "source_links": _source_links(session, actor, tasks),
            "status_labels": TASK_STATUS_LABELS,
            "grade_labels": GRADE_LABELS,
            "flash": _("Đã cập nhật nhiệm vụ") if saved else None,
        },
    )


def _source_links(session: Session, actor: Actor, tasks: list[Any]) -> dict[str, dict[str, str]]:
    return sources.labels(
        session, actor=actor, refs=[(t.source_type.value, t.source_id) for t in tasks]
    )


def _back(request: Request, default: str) -> str:
    # Only a local path: never bounce the browser to another site.
    target = request.query_params.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@router.post("/tasks/{task_id}/start")
def start_task(
    request: Request, task_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    service.advance_task(session, ctx, actor=actor, task_id=task_id, to=TaskStatus.in_progress)
    return RedirectResponse(_back(request, "/tasks/mine?saved=1"), status_code=303)


@router.post("/tasks/{task_id}/complete")
def complete_task(
    request: Request, task_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    service.advance_task(session, ctx, actor=actor, task_id=task_id, to=TaskStatus.done)
    return RedirectResponse(_back(request, "/tasks/mine?saved=1"), status_code=303)


def _board(
    request: Request,
    session: Session,
    actor: Actor,
    unit_id: Id,
    *,
    error: str | None = None,
    flash: str | None = None,
    status_code: int = 200,
    source: str = "",
) -> Response:
    tasks = service.list_unit_tasks(session, actor=actor, unit_id=unit_id)
    unit = units_service.get_unit(session, actor=actor, unit_id=unit_id)
    can_manage = units_service.allowed_in(actor, Perm.task_manage, unit)
    members: list[Any] = []
    if can_manage:
        members = list(
            session.execute(
                select(Member.id, Member.full_name)
                .join(Unit, Unit.id == Member.unit_id)
                .where(
                    Unit.path.startswith(unit.path, autoescape=True),
                    Member.status == MemberStatus.active.value,
                )
                .order_by(Member.name_folded)
            ).all()
        )
    return render(
        request,
        "tasks/board.html",
        {
            "unit": unit,
            "tasks": tasks,
            "to_grade": [t for t in tasks if t.status == TaskStatus.done],
            "stats": service.stats_for_unit(session, unit=unit),
            "can_manage": can_manage,
            "members": members,
            "sources": sources.choices(session, actor=actor, unit=unit) if can_manage else {},
            "source": source,
            "source_links": _source_links(session, actor, tasks),
            "status_labels": TASK_STATUS_LABELS,
            "grade_labels": GRADE_LABELS,
            "error": error,
            "flash": flash,
        },
        status_code=status_code,
    )


@router.get("/units/{unit_id}/tasks")
def task_board_page(
    request: Request,
    unit_id: Id,
    session: DBSession,
    actor: WebActor,
    saved: str = "",
    source: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """`source` ("meeting:<id>") preselects where a new task comes from, e.g. from a meeting."""
    flash = _("Đã lưu nhiệm vụ") if saved else None
    return _board(request, session, actor, unit_id, flash=flash, source=source)


@router.post("/units/{unit_id}/tasks")
def create_task(
    request: Request,
    unit_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    assignee_member_id: Annotated[Id, Form()],
    description: Annotated[str, Form(max_length=4000)],
    start_date: Annotated[date, Form()],
    due_date: Annotated[date, Form()],
    source: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    source_type, source_id = sources.parse_choice(source)
    try:
        data = TaskCreate(
            unit_id=unit_id,
            assignee_member_id=assignee_member_id,
            description=description,
            start_date=start_date,
            due_date=due_date,
            source_type=source_type,
            source_id=source_id,
        )
        service.create_task(session, ctx, actor=actor, data=data)
    except ValidationError as exc:
        message = form_errors.first(exc)
        return _board(
            request, session, actor, unit_id, error=message, status_code=422, source=source
        )
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        return _board(
            request,
            session,
            actor,
            unit_id,
            error=exc.render(),
            status_code=exc.status_code,
            source=source,
        )
    return RedirectResponse(f"/units/{unit_id}/tasks?saved=1", status_code=303)


@router.post("/units/{unit_id}/tasks/grade")
async def grade_tasks(
    request: Request, unit_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    """One form grades many tasks: fields grade_<id> and note_<id>; blank grades are skipped."""
    form = await request.form()
    items = []
    for key, value in form.items():
        if key.startswith("grade_") and isinstance(value, str) and value:
            task_id = key.removeprefix("grade_")
            note = form.get(f"note_{task_id}", "")
            items.append({"task_id": task_id, "grade": value, "note": note})
    # The database work may wait for SQLite's write lock: never on the event loop.
    return await run_in_threadpool(_grade, request, session, actor, ctx, unit_id, items)


def _grade(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    unit_id: Id,
    items: list[dict[str, Any]],
) -> Response:
    if not items:
        return _board(
            request,
            session,
            actor,
            unit_id,
            error=_("Chưa chọn xếp loại cho nhiệm vụ nào"),
            status_code=422,
        )
    try:
        batch = BatchGradeIn.model_validate({"items": items})
        # Every task must belong to this board's unit subtree; load_task also hides the others.
        unit = units_service.get_unit(session, actor=actor, unit_id=unit_id)
        for item in batch.items:
            _task, task_unit = service.load_task(session, actor=actor, task_id=item.task_id)
            if not task_unit.path.startswith(unit.path):
                raise NotFound("Không tìm thấy nhiệm vụ")
        service.grade_tasks(session, ctx, actor=actor, items=batch.items)
    except ValidationError:
        return _board(
            request, session, actor, unit_id, error=_("Xếp loại không hợp lệ"), status_code=422
        )
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        return _board(
            request, session, actor, unit_id, error=exc.render(), status_code=exc.status_code
        )
    return RedirectResponse(f"/units/{unit_id}/tasks?saved=1", status_code=303)
