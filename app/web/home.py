"""What the home page shows each role: the shortest path to the day's work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bulletins import service as bulletins_service
from app.calendar import service as calendar_service
from app.core.db import utcnow
from app.core.i18n import gettext as _
from app.core.permissions import Actor, Perm, accessible_unit_ids
from app.documents import service as documents_service
from app.documents.models import Document, DocumentRead, DocumentStatus
from app.meetings import service_intent
from app.members.models import Member
from app.tasks import service as tasks_service
from app.units.models import Unit
from app.web.summary_view import leads


def home_context(session: Session, actor: Actor) -> dict[str, Any]:
    units = session.execute(
        select(Unit.id, Unit.name, Unit.kind)
        .where(Unit.id.in_([g.unit_id for g in actor.grants]))
        .order_by(Unit.path)
    ).all()
    member_count = None
    if actor.has_any(Perm.member_list):
        member_count = session.scalar(
            select(func.count(Member.id)).where(
                Member.unit_id.in_(accessible_unit_ids(actor, Perm.member_list))
            )
        )
    cards: list[dict[str, Any]] = []
    for hook in HOME_CARDS:
        cards.extend(hook(session, actor))
    return {
        "grant_units": units,
        "member_count": member_count,
        "cards": cards,
        **member_first(session, actor),
    }


def member_first(session: Session, actor: Actor) -> dict[str, Any]:
    """What an older member needs first: their name, the latest bulletin (one tap to play),
    the next meeting, documents not yet read and their open tasks."""
    name = None
    if actor.member_id is not None:
        name = session.scalar(select(Member.full_name).where(Member.id == actor.member_id))
    latest = bulletins_service.latest_for(session, actor=actor)
    audio = bulletins_service.audio_of(session, latest) if latest is not None else None
    now = utcnow()
    upcoming = [m for m in calendar_service.my_meetings(session, actor=actor) if m.starts_at >= now]
    unread: list[Any] = []
    tasks: list[Any] = []
    if actor.member_id is not None:
        read = select(DocumentRead.document_id).where(DocumentRead.member_id == actor.member_id)
        unread = list(
            session.scalars(
                select(Document)
                .where(
                    documents_service.visible_condition(actor),
                    Document.status == DocumentStatus.published.value,
                    Document.id.not_in(read),
                )
                .order_by(Document.published_at.desc())
                .limit(5)
            )
        )
        tasks = [
            t
            for t in tasks_service.list_my_tasks(session, actor=actor)
            if t.status in tasks_service.OPEN
        ][:5]
    intent = None
    if upcoming and actor.member_id is not None:
        intent = service_intent.intent_of(
            session, meeting_id=upcoming[0].id, member_id=actor.member_id
        )
    return {
        "intent": intent,
        "display_name": name,
        "latest_bulletin": latest,
        "latest_audio": audio,
        "next_meeting": upcoming[0] if upcoming else None,
        "unread_documents": unread,
        # Each unread document's first key point, so a member knows what it asks at a glance.
        "document_leads": leads(session, actor, [d.id for d in unread]),
        "open_tasks": tasks,
    }


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
