"""What the home page shows each role: the shortest path to the day's work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.i18n import gettext as _
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


class Card(NamedTuple):
    """A home card: `title` and `text` are msgids, translated for each page."""

    title: str
    text: str
    href: str


def add_count_card(perm: Perm, count: Callable[[Session, Actor], int], card: Card) -> None:
    """Shows `card` to those who hold `perm` somewhere, with how many requests wait for them
    as `{n}` in its text."""

    def hook(session: Session, actor: Actor) -> list[dict[str, str]]:
        if not actor.has_any(perm):
            return []
        text = _(card.text).format(n=count(session, actor))
        return [{"title": _(card.title), "text": text, "href": card.href}]

    HOME_CARDS.append(hook)
