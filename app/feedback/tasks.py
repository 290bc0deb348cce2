"""`feedback.summary`: a target's feedback grouped into themes and stored, and the periodic step
`feedback.summaries` that queues it once a target's posts have been quiet for the debounce time.

The debounce lives in the database, not in a timer: a post marks the target's summary row
pending (`service.summary_due`), and every sweep queues one job for each pending row whose
newest post is older than `feedback.summary_debounce_seconds` and that has no job queued or
running. A restart loses nothing, and many posts make one job. A job that finds posts newer
than the ones it read leaves the row pending, so the next quiet sweep summarises again.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import Database, utcnow
from app.core.i18n import N_
from app.core.permissions import Actor, Perm
from app.feedback import service_summary
from app.feedback.models import TargetType
from app.feedback.service_summary import SUMMARY_KIND
from app.jobs.models import Job, JobStatus
from app.jobs.service import QUEUED_MESSAGE
from app.jobs.service_context import JobContext, JobError
from app.jobs.service_dispatch import CeleryDispatcher, diverted, send_after_commit
from app.jobs.service_registry import register_kind, register_periodic
from app.summaries.models import FeedbackSummaryRow, SummaryStatus
from pipelines.minutes.assign import Embedder
from pipelines.summarise.reading import packaged_embedder

log = logging.getLogger(__name__)

# Keeps one sweep's transaction short however many targets were posted on.
BATCH = 50
_LIVE = (JobStatus.queued.value, JobStatus.running.value)


class SummaryParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target_type: TargetType
    target_id: int = Field(ge=1, le=2**31 - 1)


def check_params(session: Session, actor: Actor, unit_id: int, params: Any) -> None:
    """Submitted by hand (the jobs API): only for a target the actor can see the feedback of."""
    if params.target_type == TargetType.unit:
        raise JobError(N_("Chỉ tóm tắt góp ý về văn bản, cuộc họp hoặc dự thảo"))
    service_summary.feedback_summary(
        session, actor=actor, target_type=params.target_type, target_id=params.target_id
    )


_EMBEDDERS: dict[str, Embedder | None] = {}
_EMBEDDER_LOCK = threading.Lock()


def embedder_for(settings: Settings) -> Embedder | None:
    """The packaged embedding model (offline by default), loaded once per process; lexical
    similarity alone when turned off or when the model cannot load, which groups less well but
    still groups. Not the index's cached handle: members' posts are not indexed content."""
    if not settings.feedback.summary_embeddings:
        return None
    key = settings.embeddings.model_dump_json()
    with _EMBEDDER_LOCK:
        if key not in _EMBEDDERS:
            try:
                _EMBEDDERS[key] = packaged_embedder(settings.embeddings)
            except Exception:  # any load failure means "lexical only", not a failed summary
                log.warning("feedback summary: embeddings unavailable, lexical only", exc_info=True)
                _EMBEDDERS[key] = None
        return _EMBEDDERS[key]


def _store(ctx: JobContext, params: SummaryParams, values: dict[str, Any]) -> bool:
    """Write the row while this job owns it, or no job does (one submitted by hand through the
    jobs API); a sweep's job that took over since keeps it. A target never posted on since
    summaries began gets its row here."""
    target = (
        FeedbackSummaryRow.target_type == params.target_type.value,
        FeedbackSummaryRow.target_id == params.target_id,
    )
    owner = or_(FeedbackSummaryRow.job_id == ctx.job_id, FeedbackSummaryRow.job_id.is_(None))
    with ctx.db.session() as session:
        res = session.execute(
            update(FeedbackSummaryRow)
            .where(*target, owner)
            .values(**values, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if getattr(res, "rowcount", 0) == 1:
            return True
        if session.scalar(select(FeedbackSummaryRow.id).where(*target)) is not None:
            return False
        try:
            with session.begin_nested():
                session.add(
                    FeedbackSummaryRow(
                        target_type=params.target_type.value,
                        target_id=params.target_id,
                        **{"summary": {}, "post_count": 0, **values, "job_id": None},
                    )
                )
        except IntegrityError:  # a post made the row meanwhile: its own job will summarise
            return False
        return True


@register_kind(
    SUMMARY_KIND,
    title="Tóm tắt góp ý",
    params=SummaryParams,
    perms=(Perm.feedback_manage,),
    check=check_params,
)
def run_summary(ctx: JobContext, params: SummaryParams) -> dict[str, Any]:
    """Group every member post on the target into themes and store them; the row stays pending
    when posts came in while it ran."""
    settings = ctx.db.settings
    ctx.progress(5, N_("Đang đọc góp ý"))
    try:
        with ctx.read_session() as session:
            embedder = embedder_for(settings)
            done = service_summary.compute(
                session,
                target_type=params.target_type.value,
                target_id=params.target_id,
                embedder=embedder,
                min_group_size=settings.feedback.summary_min_group_size,
            )
    except Exception as exc:
        _store(ctx, params, {"status": SummaryStatus.failed.value, "error": str(exc)[:500]})
        raise JobError(N_("Không tóm tắt được góp ý")) from exc
    ctx.progress(80, N_("Đang lưu tóm tắt góp ý"))
    with ctx.read_session() as session:
        newest, _at = service_summary.newest_post(
            session, params.target_type.value, params.target_id
        )
    behind = newest is not None and newest > (done.last_post_id or 0)
    stored = _store(
        ctx,
        params,
        {
            "status": (SummaryStatus.pending if behind else SummaryStatus.ready).value,
            "summary": done.summary.model_dump(mode="json"),
            "post_count": done.post_count,
            "last_post_id": done.last_post_id,
            "error": None,
            # Cleared so the next sweep may queue again when newer posts are waiting.
            "job_id": None,
        },
    )
    return {
        "themes": len(done.summary.themes),
        "posts": done.post_count,
        "stored": stored,
        "embeddings": embedder is not None,
    }


def _due(
    session: Session, target: tuple[str, int], job_id: int | None, quiet_before: datetime
) -> bool:
    if job_id is not None:
        status = session.scalar(select(Job.status).where(Job.id == job_id))
        if status in _LIVE:
            return False  # one job per target: the queued one reads every post when it runs
    _newest, at = service_summary.newest_post(session, *target)
    return at is None or at <= quiet_before


def queue_due(session: Session, now: datetime, debounce_seconds: float) -> list[int]:
    """Queue a summary job for each pending target whose posts have been quiet long enough;
    the ids of the jobs made (the caller sends them after commit)."""
    quiet_before = now - timedelta(seconds=debounce_seconds)
    # Plain columns, not entities: a claim below is an UPDATE the identity map does not see.
    rows = session.execute(
        select(
            FeedbackSummaryRow.id,
            FeedbackSummaryRow.target_type,
            FeedbackSummaryRow.target_id,
            FeedbackSummaryRow.job_id,
        )
        .where(FeedbackSummaryRow.status == SummaryStatus.pending.value)
        .order_by(FeedbackSummaryRow.updated_at, FeedbackSummaryRow.id)
        .limit(BATCH)
    ).all()
    made: list[int] = []
    for row_id, target_type, target_id, job_id in rows:
        if not _due(session, (target_type, target_id), job_id, quiet_before):
            continue
        job = Job(
            kind=SUMMARY_KIND,
            status=JobStatus.queued,
            progress=0,
            message=QUEUED_MESSAGE,
            params={"target_type": target_type, "target_id": target_id},
            state={},
            attempts=0,
            created_at=now,
            heartbeat_at=now,
        )
        try:
            with session.begin_nested():
                session.add(job)
                session.flush()
                # Conditional on the job id read above: of two sweeps racing, one claims the row.
                claim = session.execute(
                    update(FeedbackSummaryRow)
                    .where(FeedbackSummaryRow.id == row_id, _same_job(job_id))
                    .values(job_id=job.id)
                    .execution_options(synchronize_session=False)
                )
                if getattr(claim, "rowcount", 0) != 1:
                    raise _Taken
        except _Taken:
            continue  # the savepoint took the job row back with it
        made.append(job.id)
    return made


class _Taken(Exception):
    """Another sweep claimed the row first."""


def _same_job(job_id: int | None) -> Any:
    if job_id is None:
        return FeedbackSummaryRow.job_id.is_(None)
    return FeedbackSummaryRow.job_id == job_id


@register_periodic("feedback.summaries")
def queue_summaries(db: Database, now: datetime) -> object:
    """The debounce: queue the summaries whose targets' posts have been quiet long enough."""
    bell = diverted() or CeleryDispatcher(db.settings)
    with db.session() as session:
        made = queue_due(session, now, db.settings.feedback.summary_debounce_seconds)
        for job_id in made:
            send_after_commit(session, bell, job_id)
    return {"queued": made}
