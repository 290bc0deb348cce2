"""JSON API for party badges: who is due in a unit, and recording an award."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.badges import schemas, service
from app.core.deps import AuditCtx, CanListMembers, DBSession, require_any
from app.core.ids import Id
from app.core.localtime import local_today
from app.core.permissions import Actor, Perm

router = APIRouter(tags=["badges"])

CanEditMembers = Annotated[Actor, Depends(require_any(Perm.member_edit))]


@router.get("/units/{unit_id}/badges-due", response_model=list[schemas.BadgeDue])
def list_badges_due(
    unit_id: Id,
    actor: CanListMembers,
    session: DBSession,
    year: Annotated[int | None, Query(ge=1960, le=2200)] = None,
) -> list[schemas.BadgeDue]:
    return service.badges_due(
        session, actor=actor, unit_id=unit_id, year=year or local_today().year
    )


@router.post("/members/{member_id}/badges", response_model=schemas.AwardOut, status_code=201)
def record_badge(
    member_id: Id,
    body: schemas.BadgeAwardIn,
    actor: CanEditMembers,
    session: DBSession,
    ctx: AuditCtx,
) -> schemas.AwardOut:
    award = service.record_badge(session, ctx, actor=actor, member_id=member_id, data=body)
    return service.award_out(award)
