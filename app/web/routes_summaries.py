"""Web page for turning a task of a document's summary into a unit task ("Giao cho chi bộ"):
the small form (unit, assignee, due date prefilled from the parsed deadline), and after it the
created task with the clause it came from. The summary itself shows on the document page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError, Forbidden, NotFound
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.documents import service as documents_service
from app.members import service as members_service
from app.members.models import MemberStatus
from app.summaries import service as summaries_service
from app.summaries.schemas import AdoptTaskIn, SummaryTaskView, SummaryView
from app.tasks import service as tasks_service
from app.units import service as units_service
from app.units.models import Unit
from app.web import form_errors
from app.web.guard import WebActor
from app.web.summary_view import deadline_label
from app.web.templating import render

router = APIRouter()

PAGE = "summaries/adopt.html"
ADOPT = "/documents/{document_id}/summary/tasks/{task_index}/adopt"
FIELDS = {
    "unit_id": N_("Chi bộ nhận nhiệm vụ"),
    "assignee_member_id": N_("Người được giao"),
    "due_date": N_("Hạn hoàn thành"),
}
# A cell has a few dozen members; a committee's whole subtree is more than a picker should list.
MAX_ASSIGNEES = 200
TaskIndex = Annotated[int, Path(ge=0, le=10_000)]


def _summary_task(
    session: Session, actor: Actor, document_id: int, task_index: int
) -> tuple[Any, SummaryView, SummaryTaskView]:
    """The document (404 unless visible), its summary and the task at `task_index` (404 when
    the summary has no such task); 403 for a reader who may not give tasks anywhere."""
    doc = documents_service.get_document(session, actor=actor, document_id=document_id)
    view = summaries_service.document_summary(session, actor=actor, document_id=doc.id)
    task = next((t for t in view.tasks if t.index == task_index), None)
    if view.status != "ready" or task is None:
        raise NotFound("Không tìm thấy nhiệm vụ trong tóm tắt văn bản")
    if not view.can_adopt:
        raise Forbidden("Bạn không có quyền giao nhiệm vụ")
    return doc, view, task


def _units(session: Session, actor: Actor) -> list[Unit]:
    """Where the actor may give tasks (the tasks' own permission decides), tree order."""
    return units_service.units_for_picker(session, actor=actor, perm=Perm.task_manage)


def _members(session: Session, actor: Actor, unit: Unit | None) -> list[Any]:
    if unit is None:
        return []
    page = members_service.list_members(
        session,
        actor=actor,
        unit_id=unit.id,
        status=MemberStatus.active,
        page_size=MAX_ASSIGNEES,
    )
    return list(page.items)


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    document_id: int,
    task_index: int,
    *,
    form: dict[str, str],
    created: Any = None,
    error: str | None = None,
    details: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    doc, _view, task = _summary_task(session, actor, document_id, task_index)
    units = _units(session, actor)
    chosen = next(
        (u for u in units if str(u.id) == form.get("unit_id")), units[0] if units else None
    )
    due = task.deadline.due if task.deadline and task.deadline.due else None
    return render(
        request,
        PAGE,
        {
            "doc": doc,
            "task": task,
            "deadline": deadline_label(task.deadline),
            "units": units,
            "unit": chosen,
            "members": _members(session, actor, chosen),
            "form": {"due_date": due.isoformat() if due else "", **form},
            "created": created,
            "error": error,
            "details": details or [],
        },
        status_code=status_code,
    )


@router.get(ADOPT)
def adopt_task_page(
    request: Request,
    document_id: Id,
    task_index: TaskIndex,
    session: DBSession,
    actor: WebActor,
    unit_id: Annotated[str, Query(max_length=12)] = "",
    created: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    """The form; `unit_id` lists another unit's members, `created` shows the task just made."""
    task = None
    if created.isdigit():
        task, _unit = tasks_service.load_task(session, actor=actor, task_id=int(created))
        # Only a task taken from this document: the page shows its clause.
        if task.source_type != "document" or task.source_id != document_id:
            raise NotFound("Không tìm thấy nhiệm vụ")
    return _page(
        request, session, actor, document_id, task_index, form={"unit_id": unit_id}, created=task
    )


@router.post(ADOPT)
def adopt_task(
    request: Request,
    document_id: Id,
    task_index: TaskIndex,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    unit_id: Annotated[str, Form(max_length=12)] = "",
    assignee_member_id: Annotated[str, Form(max_length=12)] = "",
    due_date: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Create the unit task, or draw the form again with what is wrong beside its field."""
    form = {"unit_id": unit_id, "assignee_member_id": assignee_member_id, "due_date": due_date}
    try:
        data = AdoptTaskIn.model_validate(
            {
                "unit_id": unit_id,
                "assignee_member_id": assignee_member_id,
                "due_date": due_date or None,
            }
        )
    except ValidationError as exc:
        details = form_errors.details(exc, FIELDS)
        return _failed(request, session, actor, document_id, task_index, form, details, None, 422)
    # Not visible: the 404 of a missing document; not allowed to give tasks: 403.
    _summary_task(session, actor, document_id, task_index)
    try:
        with session.begin_nested():  # a refused task leaves no row behind
            created = summaries_service.adopt_task(
                session,
                ctx,
                actor=actor,
                document_id=document_id,
                task_index=task_index,
                unit_id=data.unit_id,
                assignee_member_id=data.assignee_member_id,
                due_date=data.due_date,
            )
    except AppError as exc:
        # A unit or member the actor may not use, a date before today: said on the form.
        details = _field_details(exc.details)
        return _failed(
            request,
            session,
            actor,
            document_id,
            task_index,
            form,
            details,
            exc.render(),
            exc.status_code,
        )
    url = ADOPT.format(document_id=document_id, task_index=task_index)
    return RedirectResponse(f"{url}?created={created.id}&unit_id={data.unit_id}", status_code=303)


def _field_details(raw: Any) -> list[dict[str, str]]:
    """The service's details ({"field": name, "message": msgid}) as the form shows them: the
    field's label, the message translated, and `key` to put it beside its input."""
    if not isinstance(raw, list):
        return []
    out = []
    for d in raw:
        if isinstance(d, dict) and d.get("message"):
            key = str(d.get("key") or d.get("field") or "")
            label = FIELDS.get(key)
            field = _(label) if label else str(d.get("field", ""))
            out.append({"key": key, "field": field, "message": _(str(d["message"]))})
    return out


def _failed(
    request: Request,
    session: Session,
    actor: Actor,
    document_id: int,
    task_index: int,
    form: dict[str, str],
    details: list[dict[str, str]] | None,
    error: str | None,
    status_code: int,
) -> Response:
    return _page(
        request,
        session,
        actor,
        document_id,
        task_index,
        form=form,
        error=error or _("Chưa giao được nhiệm vụ: xem lại các ô được đánh dấu"),
        details=details,
        status_code=status_code,
    )
