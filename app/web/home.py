"""What the home page shows each role: the shortest path to the day's work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.permissions import Actor, Perm, accessible_unit_ids
from app.units.models import Unit


def home_context(session: Session, actor: Actor) -> dict[str, Any]:
    units = session.execute(
        select(Unit.id, Unit.name, Unit.kind)
        .where(Unit.id.in_([g.unit_id for g in actor.grants]))
        .order_by(Unit.path)
    ).all()
    member_count = None
    if actor.has_any(Perm.member_list):
        from app.members.models import Member

        member_count = session.scalar(
            select(func.count(Member.id)).where(
                Member.unit_id.in_(accessible_unit_ids(actor, Perm.member_list))
            )
        )
    cards: list[dict[str, Any]] = []
    for hook in HOME_CARDS:
        cards.extend(hook(session, actor))
    return {"grant_units": units, "member_count": member_count, "cards": cards}


# Domains append functions (session, actor) -> list of {"title", "text", "href"} cards.
HOME_CARDS: list[Any] = []
