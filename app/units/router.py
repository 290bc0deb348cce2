"""JSON API for the unit tree: list, read, history, create, rename, move, dissolve; settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.deps import AuditCtx, CanManageUnits, CurrentActor, DBSession
from app.core.ids import Id
from app.core.text import NFCStr
from app.units import service, service_settings
from app.units.schemas import (
    UnitCreate,
    UnitEventOut,
    UnitMove,
    UnitOut,
    UnitRename,
    UnitSettingsIn,
    UnitSettingsOut,
)

router = APIRouter(tags=["units"])


@router.get("/units", response_model=list[UnitOut])
def list_units(
    actor: CurrentActor,
    session: DBSession,
    q: Annotated[NFCStr | None, Query(max_length=100)] = None,
) -> list[UnitOut]:
    """Units the caller may see; `q` matches names without accents."""
    return [UnitOut.model_validate(u) for u in service.list_units(session, actor=actor, q=q)]


@router.get("/units/{unit_id}", response_model=UnitOut)
def read_unit(unit_id: Id, actor: CurrentActor, session: DBSession) -> UnitOut:
    return UnitOut.model_validate(service.get_unit(session, actor=actor, unit_id=unit_id))


@router.get("/units/{unit_id}/history", response_model=list[UnitEventOut])
def read_unit_history(unit_id: Id, actor: CurrentActor, session: DBSession) -> list[UnitEventOut]:
    events = service.unit_history(session, actor=actor, unit_id=unit_id)
    return [UnitEventOut.model_validate(e) for e in events]


@router.post("/units", response_model=UnitOut, status_code=201)
def create_unit(
    body: UnitCreate, actor: CanManageUnits, session: DBSession, ctx: AuditCtx
) -> UnitOut:
    unit = service.create_unit(
        session,
        ctx,
        actor=actor,
        code=body.code,
        name=body.name,
        kind=body.kind,
        parent_id=body.parent_id,
    )
    return UnitOut.model_validate(unit)


@router.patch("/units/{unit_id}", response_model=UnitOut)
def rename_unit(
    unit_id: Id, body: UnitRename, actor: CanManageUnits, session: DBSession, ctx: AuditCtx
) -> UnitOut:
    unit = service.rename_unit(session, ctx, actor=actor, unit_id=unit_id, name=body.name)
    return UnitOut.model_validate(unit)


@router.post("/units/{unit_id}/move", response_model=UnitOut)
def move_unit(
    unit_id: Id, body: UnitMove, actor: CanManageUnits, session: DBSession, ctx: AuditCtx
) -> UnitOut:
    unit = service.move_unit(session, ctx, actor=actor, unit_id=unit_id, parent_id=body.parent_id)
    return UnitOut.model_validate(unit)


@router.post("/units/{unit_id}/dissolve", response_model=UnitOut)
def dissolve_unit(unit_id: Id, actor: CanManageUnits, session: DBSession, ctx: AuditCtx) -> UnitOut:
    return UnitOut.model_validate(service.dissolve_unit(session, ctx, actor=actor, unit_id=unit_id))


@router.get("/units/{unit_id}/settings", response_model=UnitSettingsOut)
def read_unit_settings(unit_id: Id, actor: CurrentActor, session: DBSession) -> UnitSettingsOut:
    """Printed names and default quorum as set, and what is in use."""
    return service_settings.get_settings(session, actor=actor, unit_id=unit_id)


@router.put("/units/{unit_id}/settings", response_model=UnitSettingsOut)
def update_unit_settings(
    unit_id: Id, body: UnitSettingsIn, actor: CanManageUnits, session: DBSession, ctx: AuditCtx
) -> UnitSettingsOut:
    """Replace the settings; a field left out goes back to its derived default."""
    return service_settings.update_settings(session, ctx, actor=actor, unit_id=unit_id, data=body)
