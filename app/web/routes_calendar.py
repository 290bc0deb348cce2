"""The member's calendar: the page, the private .ics feed, and personal items (add, edit,
delete) shown on both beside the unit's meetings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.calendar import service as calendar
from app.calendar import service_items as calendar_items
from app.calendar.models import CalendarItem
from app.calendar.schemas import CalendarItemIn
from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor
from app.web import form_errors
from app.web.forms import form_page
from app.web.guard import WebActor
from app.web.labels import MEETING_LABELS as LABELS
from app.web.local_time import local_text, parse_local
from app.web.templating import render

router = APIRouter()
FIELDS = {
    "title": N_("Tiêu đề"),
    "starts_at": N_("Bắt đầu"),
    "ends_at": N_("Kết thúc"),
    "place": N_("Địa điểm"),
    "note": N_("Ghi chú"),
}
Text = Annotated[str, Form(max_length=5000)]
DONE = {"item_saved": N_("Đã lưu lịch riêng"), "item_deleted": N_("Đã xóa lịch riêng")}
ITEM_PAGE = "meetings/calendar_item.html"


def _form(title: str, starts_at: str, ends_at: str, place: str, note: str) -> dict[str, str]:
    return {
        "title": title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place,
        "note": note,
    }


def _item_fields(
    title: Annotated[str, Form(max_length=300)] = "",
    starts_at: Annotated[str, Form(max_length=40)] = "",
    ends_at: Annotated[str, Form(max_length=40)] = "",
    place: Annotated[str, Form(max_length=300)] = "",
    note: Text = "",
) -> dict[str, str]:
    return _form(title, starts_at, ends_at, place, note)


# The item form as typed, checked by `_save` once the sender is known (an anonymous post goes
# to the login page whatever it holds).
ItemFields = Annotated[dict[str, str], Depends(_item_fields)]


def _save(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    form: dict[str, str],
    item: CalendarItem | None,
) -> Response:
    page = {"item": item}
    try:
        data = CalendarItemIn.model_validate(
            {
                "title": form["title"],
                "starts_at": parse_local(form["starts_at"]),
                "ends_at": parse_local(form["ends_at"]),
                "place": form["place"],
                "note": form["note"],
            }
        )
        with session.begin_nested():
            if item is None:
                calendar_items.create_item(session, ctx, actor=actor, data=data)
            else:
                calendar_items.replace_item(session, ctx, actor=actor, item_id=item.id, data=data)
    except ValidationError as exc:
        details = form_errors.details(exc, FIELDS)
        message = _("Chưa lưu được: hãy sửa các mục dưới đây.")
        return form_page(
            request, ITEM_PAGE, page, form=form, error=message, details=details, status_code=422
        )
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        return form_page(
            request, ITEM_PAGE, page, form=form, error=exc.render(), status_code=exc.status_code
        )
    return RedirectResponse("/calendar?done=item_saved", status_code=303)


@router.get("/calendar/items/new")
def new_item_page(request: Request, actor: WebActor) -> Response:
    return form_page(request, ITEM_PAGE, {"item": None}, form=_form("", "", "", "", ""))


@router.post("/calendar/items")
def create_item(
    request: Request,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    form: ItemFields,
) -> Response:
    return _save(request, session, actor, ctx, form, None)


@router.get("/calendar/items/{item_id}/edit")
def edit_item_page(request: Request, item_id: Id, session: DBSession, actor: WebActor) -> Response:
    item = calendar_items.get_item(session, actor=actor, item_id=item_id)
    form: dict[str, Any] = _form(
        item.title, local_text(item.starts_at), local_text(item.ends_at), item.place, item.note
    )
    return form_page(request, ITEM_PAGE, {"item": item}, form=form)


@router.post("/calendar/items/{item_id}/edit")
def edit_item(
    request: Request,
    item_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    form: ItemFields,
) -> Response:
    item = calendar_items.get_item(session, actor=actor, item_id=item_id)
    return _save(request, session, actor, ctx, form, item)


@router.post("/calendar/items/{item_id}/delete")
def delete_item(
    request: Request, item_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    calendar_items.delete_item(session, ctx, actor=actor, item_id=item_id)
    return RedirectResponse("/calendar?done=item_deleted", status_code=303)


@router.get("/calendar")
def calendar_page(
    request: Request, session: DBSession, actor: WebActor, done: str = ""
) -> Response:
    return render(
        request,
        "meetings/calendar.html",
        {
            **calendar.entries(session, actor=actor),
            "feed_url": None,
            "flash": _(DONE[done]) if done in DONE else None,
            **LABELS,
        },
    )


@router.post("/calendar/token")
def rotate_calendar_token(
    request: Request, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    secret = calendar.rotate_token(session, ctx, actor=actor)
    # The secret is shown once, on this response; only its hash is kept.
    return render(
        request,
        "meetings/calendar.html",
        {
            **calendar.entries(session, actor=actor),
            "feed_url": str(request.base_url).rstrip("/") + f"/calendar/{secret}.ics",
            **LABELS,
        },
    )


@router.get("/calendar/{token}.ics")
def calendar_feed(token: str, request: Request, session: DBSession) -> Response:
    """The private feed: the secret in the URL is the only credential, so no login here."""
    actor = calendar.actor_for_token(session, token)
    body = calendar.feed(session, actor=actor, base_url=str(request.base_url))
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, no-store"},
    )
