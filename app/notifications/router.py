"""JSON API for the member's notifications inbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.deps import CurrentActor, DBSession
from app.notifications import service
from app.notifications.schemas import Inbox, MarkedRead, MarkRead, NotificationOut

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=Inbox)
def list_notifications(
    session: DBSession,
    actor: CurrentActor,
    unread_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Inbox:
    # An account with no member record (committee staff) simply has an empty inbox.
    if actor.member_id is None:
        return Inbox(unread=0, items=[])
    items = service.inbox(session, member_id=actor.member_id, unread_only=unread_only, limit=limit)
    return Inbox(
        unread=service.unread_count(session, member_id=actor.member_id),
        items=[NotificationOut.model_validate(n) for n in items],
    )


@router.post("/notifications/read", response_model=MarkedRead)
def mark_notifications_read(data: MarkRead, session: DBSession, actor: CurrentActor) -> MarkedRead:
    if actor.member_id is None:
        return MarkedRead(marked=0)
    marked = service.mark_read(session, member_id=actor.member_id, notification_ids=data.ids)
    return MarkedRead(marked=marked)
