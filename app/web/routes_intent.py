"""The home page's answer to the next meeting: "Tôi sẽ dự" or "Tôi không dự được" with a
reason, posted from the member's home and back there."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from app.core.deps import AuditCtx, DBSession
from app.core.ids import Id
from app.meetings import service_intent
from app.web.guard import WebActor

router = APIRouter()


@router.post("/meetings/{meeting_id}/intent")
def set_intent_form(
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    will_attend: Annotated[str, Form(max_length=3)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    service_intent.set_intent(
        session,
        ctx,
        actor=actor,
        meeting_id=meeting_id,
        will_attend=will_attend == "yes",
        reason=reason,
    )
    return RedirectResponse("/?done=intent#h-meeting", status_code=303)
