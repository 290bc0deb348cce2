"""`minutes.draft`: the minutes drafted from the record, the notes and the transcript, offline or
by the configured chat model (falling back offline). The draft is stored in the same
transaction as the job's final checkpoint, fenced by the attempt, so a worker that lost the job
writes nothing, and a restarted job simply drafts again: the same input gives the same draft."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.language_models.chat_models import BaseChatModel
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.db import utcnow
from app.core.i18n import N_
from app.core.permissions import Actor
from app.jobs.models import Job, JobStatus
from app.jobs.service_chat import chat_model
from app.jobs.service_context import JobContext, JobError, JobLost
from app.jobs.service_registry import register_kind
from app.minutes import service, service_draft
from app.minutes.models import Minutes
from pipelines import minutes as pm


class DraftParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minutes_id: int = Field(ge=1)
    replace: bool = False
    mode: Literal["offline", "llm"] | None = None


def check_params(session: Session, actor: Actor, unit_id: int, params: Any) -> None:
    """Submitted by hand (the jobs API): only someone who manages the minutes may."""
    minutes = session.get(Minutes, params.minutes_id)
    if minutes is None:
        raise JobError(service.NO_MINUTES)
    service.get_meeting(session, actor=actor, meeting_id=minutes.meeting_id)
    if minutes.unit_id != unit_id:
        raise JobError(N_("Biên bản không thuộc đơn vị này"))


_MODEL: BaseChatModel | None = None


def use_model(model: BaseChatModel | None) -> None:
    """Swap the chat model (tests); None goes back to the configured one."""
    global _MODEL
    _MODEL = model


def _model(ctx: JobContext, mode: str | None) -> BaseChatModel | None:
    return chat_model(ctx, mode, _MODEL)


@register_kind(
    service.DRAFT_KIND,
    title="Soạn dự thảo biên bản cuộc họp",
    params=DraftParams,
    perms=(),
    check=check_params,
)
def run_draft(ctx: JobContext, params: DraftParams) -> dict[str, Any]:
    """Build the input from the record, draft it, and store the draft with the last
    checkpoint in one transaction."""
    ctx.progress(5, N_("Đang đọc hồ sơ cuộc họp"))
    with ctx.read_session() as session:
        minutes = session.get(Minutes, params.minutes_id)
        if minutes is None:
            raise JobError(service.NO_MINUTES)
        data = service.minutes_input(session, minutes)
    ctx.progress(30, N_("Đang soạn dự thảo"))
    model = _model(ctx, params.mode)
    if model is None:
        if params.mode == "llm":
            raise JobError(N_("Chưa cấu hình mô hình ngôn ngữ"))
        draft = pm.draft_minutes(data)
    else:
        draft = pm.draft_with_model(data, model)
    ctx.progress(80, N_("Đang lưu dự thảo"))
    with ctx.db.session() as session:
        res = session.execute(
            update(Job)
            .where(
                Job.id == ctx.job_id,
                Job.status == JobStatus.running,
                Job.attempts == ctx.attempt,
            )
            .values(state={"stored": True}, progress=99, heartbeat_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if getattr(res, "rowcount", 0) != 1:
            session.rollback()
            raise JobLost(ctx.job_id)
        minutes = session.get(Minutes, params.minutes_id)
        if minutes is None:
            raise JobError(service.NO_MINUTES)
        version = service_draft.store_draft(
            session,
            AuditContext(actor_account_id=ctx.owner_account_id),
            minutes=minutes,
            draft=draft,
            replace=params.replace,
            author_account_id=ctx.owner_account_id,
        )
        result = {
            "minutes_id": minutes.id,
            "version": version.number,
            "mode": draft.mode,
            "fallback": draft.fallback_reason is not None,
            "mismatches": len(minutes.mismatches),
        }
    return result
