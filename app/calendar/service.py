"""The member's calendar: meetings of their unit and their own items, as a page and a private
.ics feed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from app.calendar.models import CalendarItem, CalendarToken
from app.calendar.service_items import HISTORY, list_items
from app.core.audit import AuditContext, record
from app.core.db import utcnow
from app.core.errors import NotFound
from app.core.permissions import Actor, load_actor
from app.core.security import new_token, token_digest
from app.meetings.models import Attendance, Meeting, MeetingStatus

PRODID = "-//So Tay//Lich sinh hoat//VI"


def my_meetings(
    session: Session, *, actor: Actor, now: datetime | None = None
) -> Sequence[Meeting]:
    """Noticed or later meetings of the actor's own unit, or that they were invited to."""
    now = now or utcnow()
    conds = []
    if actor.member_unit_id is not None:
        conds.append(Meeting.unit_id == actor.member_unit_id)
    if actor.member_id is not None:
        conds.append(
            Meeting.id.in_(
                select(Attendance.meeting_id).where(Attendance.member_id == actor.member_id)
            )
        )
    if not conds:
        return []
    return session.scalars(
        select(Meeting)
        .where(or_(*conds), Meeting.status != MeetingStatus.draft)
        .where(Meeting.starts_at >= now - HISTORY)
        .order_by(Meeting.starts_at)
    ).all()


def rotate_token(session: Session, ctx: AuditContext, *, actor: Actor) -> str:
    """Issue a new feed secret for the actor (the old URL stops working); returns it once."""
    secret = new_token()
    session.execute(delete(CalendarToken).where(CalendarToken.account_id == actor.account_id))
    session.add(CalendarToken(account_id=actor.account_id, token_hash=token_digest(secret)))
    session.flush()
    record(session, ctx, "calendar.token_rotate", object_type="account", object_id=actor.account_id)
    return secret


def actor_for_token(session: Session, token: str) -> Actor:
    """The account a feed secret belongs to; 404 for anything unknown."""
    if not token or len(token) > 200:
        raise NotFound("Không tìm thấy lịch")
    account_id = session.scalar(
        select(CalendarToken.account_id).where(CalendarToken.token_hash == token_digest(token))
    )
    actor = load_actor(session, account_id) if account_id is not None else None
    if actor is None:
        raise NotFound("Không tìm thấy lịch")
    return actor


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next line after a space."""
    out: list[str] = []
    current = ""
    for ch in line:
        limit = 75 if not out else 74
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = ch
        else:
            current += ch
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def to_ics(
    meetings: Sequence[Meeting],
    *,
    base_url: str,
    now: datetime | None = None,
    items: Sequence[CalendarItem] = (),
) -> str:
    """An iCalendar document with one VEVENT per meeting and per personal item."""
    stamp = _utc(now or utcnow())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Sổ Tay — Lịch sinh hoạt",
    ]
    for m in meetings:
        end = m.ends_at or (m.starts_at + timedelta(hours=2))
        location = m.place or m.online_link or ""
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{m.id}@sotay",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(m.starts_at)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{_escape(m.title)}",
            f"LOCATION:{_escape(location)}",
            f"URL:{base_url.rstrip('/')}/meetings/{m.id}",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    for item in items:
        end = item.ends_at or (item.starts_at + timedelta(hours=1))
        lines += [
            "BEGIN:VEVENT",
            f"UID:item-{item.id}@sotay",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(item.starts_at)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{_escape(item.title)}",
            f"LOCATION:{_escape(item.place)}",
            f"DESCRIPTION:{_escape(item.note)}",
            # Private: never shown to anyone but the owner, whatever the calendar app does.
            "CLASS:PRIVATE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    folded: list[str] = []
    for line in lines:
        folded.extend(_fold(line))
    return "\r\n".join(folded) + "\r\n"


def entries(session: Session, *, actor: Actor, now: datetime | None = None) -> dict[str, Any]:
    """What the calendar page lists: the actor's meetings and own items, in one time order."""
    meetings = my_meetings(session, actor=actor, now=now)
    # Acting for a member never opens their private items; the officer sees only meetings.
    items = list_items(session, actor=actor, now=now) if not actor.on_behalf_of_member_id else []
    merged: list[tuple[str, Meeting | CalendarItem]] = [
        *(("meeting", m) for m in meetings),
        *(("item", i) for i in items),
    ]
    merged.sort(key=lambda e: e[1].starts_at)
    return {"meetings": meetings, "items": items, "entries": merged}


def feed(session: Session, *, actor: Actor, base_url: str) -> str:
    """The private .ics feed of the token's owner: meetings and personal items."""
    return to_ics(
        my_meetings(session, actor=actor),
        base_url=base_url,
        items=list_items(session, actor=actor),
    )
