"""JSON API for votes: create, list, open, cast, close, tally and ballot verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, CurrentActor, DBSession, require_any
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.votes import service
from app.votes.models import Vote, VoteStatus
from app.votes.schemas import (
    CastIn,
    CastOut,
    ItemOut,
    TallyOut,
    VerifyOut,
    VoteCreate,
    VoteOut,
)

router = APIRouter(tags=["votes"])

CanManageVotes = Annotated[Actor, Depends(require_any(Perm.vote_manage))]


def _out(session: Session, vote: Vote) -> VoteOut:
    out = VoteOut.model_validate(vote)
    out.items = [
        ItemOut(id=i.id, position=i.position, text=i.text)
        for i in service.list_items(session, vote_id=vote.id)
    ]
    return out


@router.post("/votes", response_model=VoteOut, status_code=201)
def create_vote(
    body: VoteCreate, actor: CanManageVotes, session: DBSession, ctx: AuditCtx
) -> VoteOut:
    return _out(session, service.create_vote(session, ctx=ctx, actor=actor, data=body))


@router.get("/votes", response_model=list[VoteOut])
def list_votes(
    actor: CurrentActor,
    session: DBSession,
    unit_id: Id | None = None,
    status: VoteStatus | None = None,
) -> list[VoteOut]:
    votes = service.list_votes(session, actor=actor, unit_id=unit_id, status=status)
    return [VoteOut.model_validate(v) for v in votes]


@router.get("/votes/{vote_id}", response_model=VoteOut)
def get_vote(vote_id: Id, actor: CurrentActor, session: DBSession) -> VoteOut:
    vote, _unit = service.get_vote(session, actor=actor, vote_id=vote_id)
    return _out(session, vote)


@router.post("/votes/{vote_id}/open", response_model=VoteOut)
def open_vote(vote_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx) -> VoteOut:
    return _out(session, service.open_vote(session, ctx=ctx, actor=actor, vote_id=vote_id))


@router.post("/votes/{vote_id}/close", response_model=VoteOut)
def close_vote(vote_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx) -> VoteOut:
    return _out(session, service.close_vote(session, ctx=ctx, actor=actor, vote_id=vote_id))


@router.post("/votes/{vote_id}/ballots", response_model=CastOut, status_code=201)
def cast_vote(
    vote_id: Id, body: CastIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> CastOut:
    service.cast(session, ctx=ctx, actor=actor, vote_id=vote_id, answers=body.answers)
    return CastOut()


@router.get("/votes/{vote_id}/tally", response_model=TallyOut)
def get_tally(vote_id: Id, actor: CurrentActor, session: DBSession) -> TallyOut:
    return service.tally(session, actor=actor, vote_id=vote_id)


@router.get("/votes/{vote_id}/verify", response_model=VerifyOut)
def verify_ballots(vote_id: Id, actor: CurrentActor, session: DBSession) -> VerifyOut:
    check = service.verify(session, actor=actor, vote_id=vote_id)
    return VerifyOut(ok=check.ok, checked=check.checked, reason=check.reason)
