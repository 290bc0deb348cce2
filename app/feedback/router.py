"""JSON API for feedback threads (góp ý) and ideas (kiến nghị)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, CurrentActor, DBSession
from app.core.ids import Id
from app.core.permissions import Actor
from app.feedback import service, service_summary
from app.feedback.models import FeedbackThread, TargetType, ThreadStatus
from app.feedback.schemas import (
    FeedbackSummaryOut,
    IdeaCreate,
    PostCreate,
    PostOut,
    StatusSet,
    SummaryTarget,
    ThreadCreate,
    ThreadDetail,
    ThreadOut,
)

router = APIRouter(tags=["feedback"])


def detail_out(session: Session, actor: Actor, thread: FeedbackThread) -> ThreadDetail:
    return ThreadDetail(
        **ThreadOut.model_validate(thread).model_dump(),
        posts=[PostOut.model_validate(p) for p in service.posts_of(session, thread.id)],
        can_manage=service.can_manage(session, actor, thread),
    )


@router.post("/feedback", response_model=ThreadDetail, status_code=201)
def create_thread(
    body: ThreadCreate, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> ThreadDetail:
    thread = service.open_thread(
        session,
        ctx,
        actor=actor,
        target_type=body.target_type,
        target_id=body.target_id,
        title=body.title,
        body=body.body,
    )
    return detail_out(session, actor, thread)


@router.post("/feedback/ideas", response_model=ThreadDetail, status_code=201)
def submit_idea(
    body: IdeaCreate, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> ThreadDetail:
    thread = service.submit_idea(session, ctx, actor=actor, title=body.title, body=body.body)
    return detail_out(session, actor, thread)


@router.get("/feedback", response_model=list[ThreadOut])
def list_threads(
    actor: CurrentActor,
    session: DBSession,
    target_type: TargetType | None = None,
    target_id: Id | None = None,
    status: ThreadStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ThreadOut]:
    rows = service.list_threads(
        session,
        actor=actor,
        target_type=target_type,
        target_id=target_id,
        status=status,
        limit=limit,
    )
    return [ThreadOut.model_validate(t) for t in rows]


@router.get("/feedback/{thread_id}", response_model=ThreadDetail)
def get_thread(thread_id: Id, actor: CurrentActor, session: DBSession) -> ThreadDetail:
    return detail_out(session, actor, service.get_thread(session, actor=actor, thread_id=thread_id))


@router.post("/feedback/{thread_id}/posts", response_model=PostOut, status_code=201)
def reply_thread(
    thread_id: Id, body: PostCreate, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> PostOut:
    post = service.reply(session, ctx, actor=actor, thread_id=thread_id, body=body.body)
    return PostOut.model_validate(post)


@router.post("/feedback/{thread_id}/status", response_model=ThreadOut)
def set_thread_status(
    thread_id: Id, body: StatusSet, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> ThreadOut:
    thread = service.set_status(session, ctx, actor=actor, thread_id=thread_id, status=body.status)
    return ThreadOut.model_validate(thread)


@router.get("/feedback/{target_type}/{target_id}/summary", response_model=FeedbackSummaryOut)
def get_feedback_summary(
    target_type: SummaryTarget, target_id: Id, actor: CurrentActor, session: DBSession
) -> FeedbackSummaryOut:
    return service_summary.feedback_summary(
        session, actor=actor, target_type=TargetType(target_type.value), target_id=target_id
    )
