"""Web pages for the unit tree: the tree with member counts, a unit's page and its management forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, DBSession
from app.core.errors import Conflict, Invalid
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.members import service as members_service
from app.units import service
from app.units.models import UnitKind
from app.units.schemas import EVENT_LABELS, KIND_LABELS, UnitCreate, UnitMove, UnitRename
from app.web import form_errors
from app.web.guard import WebActor
from app.web.templating import render

router = APIRouter()

_LABELS = {"kind_labels": KIND_LABELS, "event_labels": EVENT_LABELS, "kinds": list(UnitKind)}


def _first_error(exc: ValidationError) -> str:
    return form_errors.first(exc)


@router.get("/units", response_class=HTMLResponse)
def units_page(request: Request, session: DBSession, actor: WebActor) -> Response:
    units = service.list_units(session, actor=actor)
    counts = members_service.count_live_by_unit(session, actor=actor)
    forest = service.build_forest(units, counts)
    return render(request, "units/tree.html", {"forest": forest, **_LABELS})


def _unit_page(
    request: Request,
    session: Session,
    actor: Actor,
    unit_id: Id,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    unit = service.get_unit(session, actor=actor, unit_id=unit_id)
    children = service.child_units(session, actor=actor, unit=unit)
    counts = members_service.count_live_by_unit(
        session, actor=actor, unit_ids=[unit.id, *(c.id for c in children)]
    )
    parent = service.visible_parent(session, actor=actor, unit=unit)
    can_manage = service.allowed_in(actor, Perm.unit_manage, unit)
    move_targets: list[Any] = []
    if can_manage and unit.dissolved_at is None:
        move_targets = [
            u
            for u in service.list_units(session, actor=actor, perm=Perm.unit_manage)
            if u.dissolved_at is None
            and not u.path.startswith(unit.path)
            and u.id != unit.parent_id
        ]
    ctx = {
        "unit": unit,
        "parent": parent,
        "children": children,
        "counts": counts,
        "history": service.unit_history(session, actor=actor, unit_id=unit.id),
        "can_manage": can_manage,
        "can_list_members": service.allowed_in(actor, Perm.member_list, unit),
        "move_targets": move_targets,
        "error": error,
        **_LABELS,
    }
    return render(request, "units/detail.html", ctx, status_code=status_code)


@router.get("/units/{unit_id}", response_class=HTMLResponse)
def unit_page(request: Request, unit_id: Id, session: DBSession, actor: WebActor) -> Response:
    return _unit_page(request, session, actor, unit_id)


def _after(
    request: Request, session: Session, actor: Actor, unit_id: Id, action: Callable[[], int]
) -> Response:
    """Run a management action; show input problems on the unit's page, let 403/404 through."""
    try:
        # A savepoint, so that a refused action leaves nothing half-written behind.
        with session.begin_nested():
            target = action()
    except ValidationError as exc:
        return _unit_page(request, session, actor, unit_id, _first_error(exc), 422)
    except (Invalid, Conflict) as exc:
        return _unit_page(request, session, actor, unit_id, exc.render(), exc.status_code)
    return RedirectResponse(f"/units/{target}", status_code=303)


@router.post("/units")
def create_unit_form(
    request: Request,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    parent_id: Annotated[Id, Form()],
    code: Annotated[str, Form(max_length=64)] = "",
    name: Annotated[str, Form(max_length=255)] = "",
    kind: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    # Same permission answer as the API before any input is judged.
    service.get_unit(session, actor=actor, unit_id=parent_id, perm=Perm.unit_manage)

    def action() -> int:
        body = UnitCreate.model_validate(
            {"code": code, "name": name, "kind": kind, "parent_id": parent_id}
        )
        unit = service.create_unit(
            session,
            ctx,
            actor=actor,
            code=body.code,
            name=body.name,
            kind=body.kind,
            parent_id=body.parent_id,
        )
        return unit.id

    return _after(request, session, actor, parent_id, action)


@router.post("/units/{unit_id}/rename")
def rename_unit_form(
    request: Request,
    unit_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    name: Annotated[str, Form(max_length=255)] = "",
) -> Response:
    service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)

    def action() -> int:
        body = UnitRename.model_validate({"name": name})
        return service.rename_unit(session, ctx, actor=actor, unit_id=unit_id, name=body.name).id

    return _after(request, session, actor, unit_id, action)


@router.post("/units/{unit_id}/move")
def move_unit_form(
    request: Request,
    unit_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    parent_id: Annotated[Id, Form()],
) -> Response:
    service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)

    def action() -> int:
        body = UnitMove.model_validate({"parent_id": parent_id})
        unit = service.move_unit(
            session, ctx, actor=actor, unit_id=unit_id, parent_id=body.parent_id
        )
        return unit.id

    return _after(request, session, actor, unit_id, action)


@router.post("/units/{unit_id}/dissolve")
def dissolve_unit_form(
    request: Request, unit_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)
    return _after(
        request,
        session,
        actor,
        unit_id,
        lambda: service.dissolve_unit(session, ctx, actor=actor, unit_id=unit_id).id,
    )
