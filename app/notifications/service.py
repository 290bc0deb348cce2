"""Creating notifications in bulk and reading one member's inbox."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.text import nfc
from app.notifications.models import Notification

BATCH = 5000


def notify(
    session: Session,
    *,
    member_ids: Iterable[int],
    kind: str,
    title: str,
    body: str = "",
    link: str | None = None,
    unit_id: int | None = None,
) -> int:
    """Put one notification in each member's inbox, in bulk; returns how many were created.

    Never put secret-ballot data here: notifications are readable by their recipient and staff.
    Outside senders (email/SMS/Zalo) are fed from these rows by the sender seam, not called here,
    so a slow gateway never holds the request's transaction open.
    """
    now = utcnow()
    title, body = nfc(title), nfc(body)
    ids = sorted(set(member_ids))
    for start in range(0, len(ids), BATCH):
        rows = [
            {
                "member_id": mid,
                "unit_id": unit_id,
                "kind": kind,
                "title": title,
                "body": body,
                "link": link,
                "created_at": now,
            }
            for mid in ids[start : start + BATCH]
        ]
        session.execute(insert(Notification), rows)
    return len(ids)


def inbox(
    session: Session, *, member_id: int, unread_only: bool = False, limit: int = 50
) -> Sequence[Notification]:
    """The member's newest notifications."""
    q = select(Notification).where(Notification.member_id == member_id)
    if unread_only:
        q = q.where(Notification.read_at.is_(None))
    return session.scalars(q.order_by(Notification.id.desc()).limit(limit)).all()


def mark_read(session: Session, *, member_id: int, notification_ids: Iterable[int] | None) -> int:
    """Mark some (or, with None, all) of the member's notifications read."""
    q = update(Notification).where(
        Notification.member_id == member_id, Notification.read_at.is_(None)
    )
    if notification_ids is not None:
        q = q.where(Notification.id.in_(list(notification_ids)))
    return session.execute(q.values(read_at=utcnow())).rowcount or 0  # type: ignore[attr-defined]


def unread_count(session: Session, *, member_id: int) -> int:
    """How many of the member's notifications are unread (the badge in the nav)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.member_id == member_id, Notification.read_at.is_(None))
        )
        or 0
    )
