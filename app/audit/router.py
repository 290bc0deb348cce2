"""JSON API for the audit log: filtered listing and the hash-chain check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.audit import service
from app.audit.schemas import AuditPageOut, AuditQuery, VerifyOut
from app.core.deps import AuditCtx, CanViewAudit, DBSession

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=AuditPageOut)
def list_audit(
    query: Annotated[AuditQuery, Query()], actor: CanViewAudit, session: DBSession, ctx: AuditCtx
) -> AuditPageOut:
    """Audit rows in the caller's scope, newest first; the read is itself audited."""
    return service.list_entries(session, ctx, actor=actor, query=query)


@router.get("/audit/verify", response_model=VerifyOut)
def verify_audit(actor: CanViewAudit, session: DBSession, ctx: AuditCtx) -> VerifyOut:
    """Recompute the whole hash chain and report the first bad row."""
    return service.verify(session, ctx, actor=actor)
