"""Web pages for the two-way channel: my threads and ideas, a thread with replies and status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, DBSession
from app.core.errors import NotFound
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor
from app.feedback import service, service_summary
from app.feedback.models import FeedbackThread, TargetType, ThreadStatus
from app.feedback.schemas import (
    STATUS_LABELS,
    TARGET_LABELS,
    FeedbackSummaryOut,
    IdeaCreate,
    PostCreate,
)
from app.units.models import Unit
from app.web.forms import IdeaFields, validated
from app.web.guard import WebActor
from app.web.templating import render

router = APIRouter()

DONE = {
    "opened": "Đã gửi góp ý",
    "idea": "Đã gửi kiến nghị đến chi bộ",
    "replied": "Đã gửi trả lời",
    "status": "Đã cập nhật trạng thái",
}


# The pipeline's label for themes past the last one shown, and ours for folded ones.
OTHER_LABEL = N_("Ý kiến khác")


def _summary(session: Session, actor: Actor, thread: FeedbackThread) -> FeedbackSummaryOut | None:
    """The summary of the feedback on this thread's target, when the reader may see it."""
    if thread.target_type not in service.SUMMARISED or thread.target_id is None:
        return None
    try:
        return service_summary.feedback_summary(
            session,
            actor=actor,
            target_type=TargetType(thread.target_type),
            target_id=thread.target_id,
        )
    except NotFound:  # the target went out of the reader's sight: the thread still reads
        return None


@router.get("/feedback")
def feedback_page(
    request: Request,
    session: DBSession,
    actor: WebActor,
    status: ThreadStatus | None = None,
    done: str = "",
) -> Response:
    threads = service.list_threads(session, actor=actor, status=status, limit=200)
    unit_ids = {t.unit_id for t in threads}
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}
    return render(
        request,
        "feedback/list.html",
        {
            "threads": threads,
            "units": units,
            "status": status.value if status else "",
            "status_labels": STATUS_LABELS,
            "target_labels": TARGET_LABELS,
            "flash": _(DONE[done]) if done in DONE else None,
        },
    )


@router.post("/feedback/ideas")
def submit_idea(
    request: Request, session: DBSession, actor: WebActor, ctx: AuditCtx, idea: IdeaFields
) -> Response:
    data = validated(IdeaCreate, idea)
    thread = service.submit_idea(session, ctx, actor=actor, title=data.title, body=data.body)
    return RedirectResponse(f"/feedback/{thread.id}?done=idea", status_code=303)


@router.get("/feedback/{thread_id}")
def thread_page(
    request: Request, thread_id: Id, session: DBSession, actor: WebActor, done: str = ""
) -> Response:
    thread = service.get_thread(session, actor=actor, thread_id=thread_id)
    return render(
        request,
        "feedback/thread.html",
        {
            "thread": thread,
            "unit": session.get(Unit, thread.unit_id),
            "posts": service.posts_of(session, thread.id),
            "summary": _summary(session, actor, thread),
            "other_label": OTHER_LABEL,
            "manage": service.can_manage(session, actor, thread),
            "status_labels": STATUS_LABELS,
            "target_labels": TARGET_LABELS,
            "flash": _(DONE[done]) if done in DONE else None,
        },
    )


@router.post("/feedback/{thread_id}/posts")
def reply_thread(
    request: Request,
    thread_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    body: Annotated[str, Form(max_length=10000)],
) -> Response:
    data = validated(PostCreate, {"body": body})
    service.reply(session, ctx, actor=actor, thread_id=thread_id, body=data.body)
    return RedirectResponse(f"/feedback/{thread_id}?done=replied", status_code=303)


@router.post("/feedback/{thread_id}/status")
def set_status(
    request: Request,
    thread_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    status: Annotated[ThreadStatus, Form()],
) -> Response:
    service.set_status(session, ctx, actor=actor, thread_id=thread_id, status=status)
    return RedirectResponse(f"/feedback/{thread_id}?done=status", status_code=303)
