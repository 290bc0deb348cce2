"""JSON API for the member's calendar: their meetings, the private feed link, personal items."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.calendar import service as calendar
from app.calendar import service_items as calendar_items
from app.calendar.models import CalendarItem
from app.calendar.schemas import CalendarItemIn, CalendarItemOut, CalendarItemPatch, CalendarLink
from app.core.deps import AuditCtx, CurrentActor, DBSession
from app.core.ids import Id
from app.meetings.models import Meeting
from app.meetings.schemas import MeetingOut

# Tagged as before the calendar had its own folder, so the API document is unchanged.
router = APIRouter(tags=["meetings"])


@router.get("/calendar", response_model=list[MeetingOut])
def list_my_meetings(session: DBSession, actor: CurrentActor) -> list[Meeting]:
    return list(calendar.my_meetings(session, actor=actor))


@router.post("/calendar/token", response_model=CalendarLink)
def rotate_calendar_token(
    request: Request, session: DBSession, actor: CurrentActor, ctx: AuditCtx
) -> CalendarLink:
    secret = calendar.rotate_token(session, ctx, actor=actor)
    return CalendarLink(url=str(request.base_url).rstrip("/") + f"/calendar/{secret}.ics")


@router.get("/calendar/items", response_model=list[CalendarItemOut])
def list_calendar_items(session: DBSession, actor: CurrentActor) -> list[CalendarItem]:
    return list(calendar_items.list_items(session, actor=actor))


@router.post("/calendar/items", response_model=CalendarItemOut, status_code=201)
def create_calendar_item(
    data: CalendarItemIn, session: DBSession, actor: CurrentActor, ctx: AuditCtx
) -> CalendarItem:
    return calendar_items.create_item(session, ctx, actor=actor, data=data)


@router.get("/calendar/items/{item_id}", response_model=CalendarItemOut)
def get_calendar_item(item_id: Id, session: DBSession, actor: CurrentActor) -> CalendarItem:
    return calendar_items.get_item(session, actor=actor, item_id=item_id)


@router.patch("/calendar/items/{item_id}", response_model=CalendarItemOut)
def update_calendar_item(
    item_id: Id, data: CalendarItemPatch, session: DBSession, actor: CurrentActor, ctx: AuditCtx
) -> CalendarItem:
    return calendar_items.update_item(session, ctx, actor=actor, item_id=item_id, data=data)


@router.delete("/calendar/items/{item_id}", status_code=204)
def delete_calendar_item(
    item_id: Id, session: DBSession, actor: CurrentActor, ctx: AuditCtx
) -> Response:
    calendar_items.delete_item(session, ctx, actor=actor, item_id=item_id)
    return Response(status_code=204)
