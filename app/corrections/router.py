"""JSON API for self-service corrections: propose one's own, and decide those of one's unit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.core.deps import AuditCtx, CurrentActor, DBSession, require_any
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.corrections import service
from app.corrections.service_fields import DecisionIn, RejectIn
from app.members.models import CorrectionStatus

router = APIRouter(tags=["corrections"])

CanDecideCorrections = Annotated[Actor, Depends(require_any(Perm.correction_decide))]


@router.post("/me/corrections", response_model=service.CorrectionOut, status_code=201)
def propose_correction(
    body: service.CorrectionCreate, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> service.CorrectionOut:
    correction = service.propose_correction(
        session, ctx, actor=actor, field=body.field, new_value=body.new_value, reason=body.reason
    )
    return service.correction_out(session, ctx, actor=actor, correction_id=correction.id, own=True)


@router.get("/me/corrections", response_model=list[service.CorrectionOut])
def list_my_corrections(
    actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> list[service.CorrectionOut]:
    return service.list_own_corrections(session, ctx, actor=actor)


@router.get("/corrections", response_model=list[service.CorrectionOut])
def list_corrections(
    actor: CanDecideCorrections,
    session: DBSession,
    ctx: AuditCtx,
    status: CorrectionStatus = CorrectionStatus.pending,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[service.CorrectionOut]:
    return service.list_corrections(session, ctx, actor=actor, status=status, limit=limit)


@router.post("/corrections/{correction_id}/approve", response_model=service.CorrectionOut)
def approve_correction(
    correction_id: Id,
    actor: CanDecideCorrections,
    session: DBSession,
    ctx: AuditCtx,
    body: DecisionIn | None = None,
) -> service.CorrectionOut:
    note = body.note if body else None
    service.approve_correction(session, ctx, actor=actor, correction_id=correction_id, note=note)
    return service.correction_out(session, ctx, actor=actor, correction_id=correction_id, own=False)


@router.post("/corrections/{correction_id}/reject", response_model=service.CorrectionOut)
def reject_correction(
    correction_id: Id,
    body: RejectIn,
    actor: CanDecideCorrections,
    session: DBSession,
    ctx: AuditCtx,
) -> service.CorrectionOut:
    service.reject_correction(
        session, ctx, actor=actor, correction_id=correction_id, note=body.note
    )
    return service.correction_out(session, ctx, actor=actor, correction_id=correction_id, own=False)
