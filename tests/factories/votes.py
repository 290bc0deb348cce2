"""Vote factories: a vote in a unit, opened or not, and the actor of an org account."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.permissions import Actor, load_actor
from app.votes import service as votes_service
from app.votes.models import Vote
from app.votes.schemas import Answer, VoteCreate
from tests.factories.org import Org


def actor_of(session: Session, org: Org, name: str) -> Actor:
    actor = load_actor(session, org.accounts[name].id)
    assert actor is not None
    return actor


def make_vote(
    session: Session,
    org: Org,
    *,
    unit: str = "A",
    kind: str = "secret",
    items: list[str] | None = None,
    opened: bool = True,
    chair: str = "sec_a",
    **fields: object,
) -> Vote:
    chair_actor = actor_of(session, org, chair)
    ctx = AuditContext(actor_account_id=chair_actor.account_id)
    data = VoteCreate.model_validate(
        {
            "unit_id": org.units[unit].id,
            "title": "Thông qua nghị quyết tháng 5",
            "kind": kind,
            "items": items or ["Thông qua dự thảo nghị quyết"],
            **fields,
        }
    )
    vote = votes_service.create_vote(session, ctx=ctx, actor=chair_actor, data=data)
    if opened:
        votes_service.open_vote(session, ctx=ctx, actor=chair_actor, vote_id=vote.id)
    return vote


def answers_for(session: Session, vote: Vote, choice: str = "agree") -> list[Answer]:
    comment = "Cần bổ sung" if choice == "other" else ""
    return [
        Answer(item_id=i.id, choice=choice, comment=comment)  # type: ignore[arg-type]
        for i in votes_service.list_items(session, vote_id=vote.id)
    ]
