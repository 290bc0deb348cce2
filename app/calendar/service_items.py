"""Personal calendar items (lịch riêng): written, read, changed and deleted by their owner only.

They are private even from the cell's officers, so every query is by the caller's own account,
and the audit log records that an item changed, never what it says.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calendar.models import CalendarItem
from app.calendar.schemas import CalendarItemIn, CalendarItemPatch
from app.core.audit import AuditContext, record
from app.core.db import utcnow
from app.core.errors import Forbidden, Invalid, NotFound
from app.core.permissions import Actor

# How far back the feed and page reach; older meetings are in the unit's records.
HISTORY = timedelta(days=90)
LIMIT = 500


def _own(actor: Actor) -> None:
    # A secretary acting for a member must not read or write the member's private calendar.
    if actor.on_behalf_of_member_id is not None:
        raise Forbidden("Không được thao tác lịch riêng thay người khác")


def list_items(
    session: Session, *, actor: Actor, now: datetime | None = None
) -> Sequence[CalendarItem]:
    """The caller's own items from HISTORY ago on, earliest first."""
    _own(actor)
    since = (now or utcnow()) - HISTORY
    return session.scalars(
        select(CalendarItem)
        .where(CalendarItem.account_id == actor.account_id, CalendarItem.starts_at >= since)
        .order_by(CalendarItem.starts_at, CalendarItem.id)
        .limit(LIMIT)
    ).all()


def get_item(session: Session, *, actor: Actor, item_id: int) -> CalendarItem:
    """One of the caller's items; anyone else's answers 404 like a missing one."""
    _own(actor)
    item = session.scalar(
        select(CalendarItem).where(
            CalendarItem.id == item_id, CalendarItem.account_id == actor.account_id
        )
    )
    if item is None:
        raise NotFound("Không tìm thấy lịch riêng")
    return item


def _audit(session: Session, ctx: AuditContext, action: str, item: CalendarItem) -> None:
    record(session, ctx, action, object_type="calendar_item", object_id=item.id)


def create_item(
    session: Session, ctx: AuditContext, *, actor: Actor, data: CalendarItemIn
) -> CalendarItem:
    """Add an item to the caller's own calendar."""
    _own(actor)
    item = CalendarItem(
        account_id=actor.account_id,
        title=data.title.strip(),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=data.place.strip(),
        note=data.note.strip(),
    )
    session.add(item)
    session.flush()
    _audit(session, ctx, "calendar_item.create", item)
    return item


def update_item(
    session: Session, ctx: AuditContext, *, actor: Actor, item_id: int, data: CalendarItemPatch
) -> CalendarItem:
    """Change the fields sent of one of the caller's items."""
    item = get_item(session, actor=actor, item_id=item_id)
    sent = data.model_fields_set
    values = {name: getattr(data, name) for name in sent}
    for name in ("title", "starts_at"):
        if name in values and values[name] is None:
            raise Invalid("Cần tiêu đề và giờ bắt đầu")
    for name in ("title", "place", "note"):
        if name in values:
            values[name] = (values[name] or "").strip()
    starts = values.get("starts_at", item.starts_at)
    ends = values.get("ends_at", item.ends_at)
    if ends is not None and ends < starts:
        raise Invalid("Giờ kết thúc phải sau giờ bắt đầu")
    for name, value in values.items():
        setattr(item, name, value)
    session.flush()
    _audit(session, ctx, "calendar_item.update", item)
    return item


def replace_item(
    session: Session, ctx: AuditContext, *, actor: Actor, item_id: int, data: CalendarItemIn
) -> CalendarItem:
    """The web form sends every field: the item becomes exactly that."""
    patch = CalendarItemPatch.model_validate(data.model_dump())
    return update_item(session, ctx, actor=actor, item_id=item_id, data=patch)


def delete_item(session: Session, ctx: AuditContext, *, actor: Actor, item_id: int) -> None:
    """Remove one of the caller's items."""
    item = get_item(session, actor=actor, item_id=item_id)
    _audit(session, ctx, "calendar_item.delete", item)
    session.delete(item)
    session.flush()
