"""Web page for the member's notifications inbox, and the unread badge in the nav."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.core.deps import DBSession, OptionalActor
from app.core.errors import Unauthorized
from app.core.ids import Id
from app.core.permissions import Actor
from app.notifications import service
from app.web.guard import WebActor, returning_to
from app.web.summary_view import leads
from app.web.templating import render

router = APIRouter()

# How many announced documents of the inbox get their summary's first line (the newest first).
LEAD_DOCUMENTS = 20


@router.get("/notifications")
def notifications_page(request: Request, session: DBSession, actor: WebActor) -> Response:
    items = (
        service.inbox(session, member_id=actor.member_id, limit=100)
        if actor.member_id is not None
        else []
    )
    # A document's notice was written when it was published, before its summary existed: the
    # summary's first line is read now, for the documents the member may still see.
    announced = [
        int(n.link.rsplit("/", 1)[-1])
        for n in items
        if n.kind == "document.published" and n.link and n.link.rsplit("/", 1)[-1].isdigit()
    ]
    document_leads = leads(session, actor, list(dict.fromkeys(announced))[:LEAD_DOCUMENTS])
    # Not "items": the page frame uses that name for its menu.
    return render(
        request, "notifications/index.html", {"inbox": items, "document_leads": document_leads}
    )


@router.get("/notifications/count")
def unread_badge(session: DBSession, actor: OptionalActor) -> Response:
    """Loaded by htmx into the nav link on every page: empty when nothing is unread."""
    if actor is None:
        raise Unauthorized("Vui lòng đăng nhập")
    count = service.unread_count(session, member_id=actor.member_id) if actor.member_id else 0
    return HTMLResponse(f'<span class="badge">{count}</span>' if count else "")


@router.post("/notifications/read")
def mark_read(
    request: Request,
    session: DBSession,
    actor: Annotated[Actor, returning_to("/notifications")],
    notification_id: Annotated[Id | None, Form()] = None,
) -> Response:
    if actor.member_id is not None:
        ids = None if notification_id is None else [notification_id]
        service.mark_read(session, member_id=actor.member_id, notification_ids=ids)
    return RedirectResponse("/notifications", status_code=303)
