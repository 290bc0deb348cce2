"""Web pages for the unit tree: the tree with member counts, a unit's page, its management forms
and its settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, DBSession
from app.core.errors import Conflict, Invalid
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.members import service as members_service
from app.units import service, service_settings
from app.units.models import UnitKind
from app.units.schemas import (
    EVENT_LABELS,
    KIND_LABELS,
    UnitCreate,
    UnitMove,
    UnitRename,
    UnitSettingsIn,
)
from app.web import form_errors
from app.web.forms import form_page
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


SETTINGS_PAGE = "units/settings.html"
SETTINGS_LABELS = {
    "full_name": N_("Tên đầy đủ của đơn vị"),
    "superior_name": N_("Tên cấp ủy cấp trên"),
    "quorum": N_("Túc số mặc định"),
}
# A check of the whole rule has no field of its own: it is about the fraction.
SETTINGS_CHECKS = {"Tỉ lệ túc số không được lớn hơn 1": "quorum"}


def _settings_form(session: Session, unit_id: int, actor: Actor) -> dict[str, str]:
    out = service_settings.get_settings(session, actor=actor, unit_id=unit_id)
    rule = out.quorum_in_use
    return {
        "full_name": out.full_name,
        "superior_name": out.superior_name,
        "quorum_mode": "custom" if out.quorum else "default",
        "numerator": str(rule.numerator),
        "denominator": str(rule.denominator),
        "strict": "strict" if rule.strict else "at_least",
        "base": rule.base.value,
    }


def _settings_page(
    request: Request,
    session: Session,
    actor: Actor,
    unit_id: int,
    form: dict[str, str],
    saved: bool = False,
    **problems: Any,
) -> Response:
    unit = service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)
    page = {"unit": unit, "current": service_settings.settings_out(session, unit=unit)}
    return form_page(request, SETTINGS_PAGE, {**page, "saved": saved}, form=form, **problems)


@router.get("/units/{unit_id}/settings", response_class=HTMLResponse)
def unit_settings_page(
    request: Request, unit_id: Id, session: DBSession, actor: WebActor
) -> Response:
    service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)
    form = _settings_form(session, unit_id, actor)
    saved = request.query_params.get("saved") == "1"
    return _settings_page(request, session, actor, unit_id, form, saved)


@router.post("/units/{unit_id}/settings")
def save_unit_settings(
    request: Request,
    unit_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    full_name: Annotated[str, Form(max_length=1000)] = "",
    superior_name: Annotated[str, Form(max_length=1000)] = "",
    quorum_mode: Annotated[str, Form(max_length=16)] = "default",
    numerator: Annotated[str, Form(max_length=20)] = "",
    denominator: Annotated[str, Form(max_length=20)] = "",
    strict: Annotated[str, Form(max_length=16)] = "strict",
    base: Annotated[str, Form(max_length=16)] = "must_attend",
) -> Response:
    # Same permission answer as the API before any input is judged.
    service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)
    form = {
        "full_name": full_name,
        "superior_name": superior_name,
        "quorum_mode": quorum_mode,
        "numerator": numerator,
        "denominator": denominator,
        "strict": strict,
        "base": base,
    }
    quorum = None
    if quorum_mode == "custom":
        quorum = {
            "numerator": numerator.strip(),
            "denominator": denominator.strip(),
            "strict": strict == "strict",
            "base": base,
        }
    try:
        data = UnitSettingsIn.model_validate(
            {"full_name": full_name, "superior_name": superior_name, "quorum": quorum}
        )
        with session.begin_nested():
            service_settings.update_settings(session, ctx, actor=actor, unit_id=unit_id, data=data)
    except ValidationError as exc:
        details = form_errors.details(exc, SETTINGS_LABELS, SETTINGS_CHECKS)
        error = _("Chưa lưu được: hãy sửa các mục dưới đây.")
        return _settings_page(
            request, session, actor, unit_id, form, error=error, details=details, status_code=422
        )
    except (Invalid, Conflict) as exc:
        return _settings_page(
            request, session, actor, unit_id, form, error=exc.render(), status_code=exc.status_code
        )
    return RedirectResponse(f"/units/{unit_id}/settings?saved=1", status_code=303)
