"""JSON API for transfers (chuyển sinh hoạt): request, list, accept, reject, cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.core.deps import AuditCtx, DBSession, require_any
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.corrections.service_fields import DecisionIn, RejectIn
from app.transfers import service
from app.transfers import service_queries as queries
from app.transfers.models import TransferStatus
from app.transfers.schemas import Direction, TransferCreate, TransferOut

router = APIRouter(tags=["transfers"])

CanManageTransfers = Annotated[Actor, Depends(require_any(Perm.transfer_manage))]


@router.post("/transfers", response_model=TransferOut, status_code=201)
def create_transfer(
    body: TransferCreate, actor: CanManageTransfers, session: DBSession, ctx: AuditCtx
) -> TransferOut:
    transfer = service.request_transfer(session, ctx, actor=actor, data=body)
    return queries.transfer_out(session, transfer.id)


@router.get("/transfers", response_model=list[TransferOut])
def list_transfers(
    actor: CanManageTransfers,
    session: DBSession,
    direction: Direction = "incoming",
    status: TransferStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[TransferOut]:
    return queries.list_transfers(
        session, actor=actor, direction=direction, status=status, limit=limit
    )


@router.post("/transfers/{transfer_id}/accept", response_model=TransferOut)
def accept_transfer(
    transfer_id: Id,
    actor: CanManageTransfers,
    session: DBSession,
    ctx: AuditCtx,
    body: DecisionIn | None = None,
) -> TransferOut:
    note = body.note if body else None
    service.accept_transfer(session, ctx, actor=actor, transfer_id=transfer_id, note=note)
    return queries.transfer_out(session, transfer_id)


@router.post("/transfers/{transfer_id}/reject", response_model=TransferOut)
def reject_transfer(
    transfer_id: Id, body: RejectIn, actor: CanManageTransfers, session: DBSession, ctx: AuditCtx
) -> TransferOut:
    service.reject_transfer(session, ctx, actor=actor, transfer_id=transfer_id, note=body.note)
    return queries.transfer_out(session, transfer_id)


@router.post("/transfers/{transfer_id}/cancel", response_model=TransferOut)
def cancel_transfer(
    transfer_id: Id,
    actor: CanManageTransfers,
    session: DBSession,
    ctx: AuditCtx,
    body: DecisionIn | None = None,
) -> TransferOut:
    note = body.note if body else None
    service.cancel_transfer(session, ctx, actor=actor, transfer_id=transfer_id, note=note)
    return queries.transfer_out(session, transfer_id)
