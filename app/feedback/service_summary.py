"""Feedback summaries (issue 16): the members' posts on a document, meeting or draft grouped into
themes by `pipelines.summarise.feedback`, stored per target and read back through the same
visibility as the target's threads.

There is no anonymous post in the feedback domain: a thread names its author only to that author
and to the officers who answer it. A summary is read by everyone who can see the target, so it
treats every post as anonymous: a stored or shown quote carries no author and no unit, and a
unit's count appears only from the minimum group size (the pipeline's rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from app.core.errors import Invalid, NotFound
from app.core.permissions import Actor
from app.feedback import service
from app.feedback.models import FeedbackPost, FeedbackThread, TargetType, ThreadKind
from app.feedback.schemas import FeedbackSummaryOut, QuoteOut, ThemeOut, UnitCountOut
from app.summaries.models import FeedbackSummaryRow, SummaryStatus
from app.units.models import Unit
from pipelines.minutes.assign import Embedder
from pipelines.summarise.feedback import FeedbackSummary, Post, summarise_feedback

SUMMARY_KIND = "feedback.summary"


def member_posts(target_type: str, target_id: int) -> Select[FeedbackPost, int]:
    """Members' posts on a target with their thread's unit; the unit's official answers and
    kiến nghị to a unit are not feedback on it."""
    return (
        select(FeedbackPost, FeedbackThread.unit_id)
        .join(FeedbackThread, FeedbackThread.id == FeedbackPost.thread_id)
        .where(
            FeedbackThread.target_type == target_type,
            FeedbackThread.target_id == target_id,
            FeedbackThread.kind == ThreadKind.comment.value,
            FeedbackPost.is_official.is_(False),
        )
    )


def newest_post(session: Session, target_type: str, target_id: int) -> tuple[int | None, Any]:
    """(id, time) of the newest member post on the target; (None, None) without one."""
    sub = member_posts(target_type, target_id).subquery()
    row = session.execute(select(func.max(sub.c.id), func.max(sub.c.created_at))).one()
    return row[0], row[1]


@dataclass(frozen=True)
class Computed:
    summary: FeedbackSummary
    post_count: int
    last_post_id: int | None


def compute(
    session: Session,
    *,
    target_type: str,
    target_id: int,
    embedder: Embedder | None,
    min_group_size: int,
) -> Computed:
    """Read every member post on the target and group it; every post goes in as anonymous."""
    rows = session.execute(member_posts(target_type, target_id).order_by(FeedbackPost.id)).all()
    posts = [Post(id=p.id, text=p.body, unit_id=unit_id, anonymous=True) for p, unit_id in rows]
    summary = summarise_feedback(posts, embedder, min_group_size=min_group_size)
    return Computed(summary, len(posts), max((p.id for p in posts), default=None))


def _check_visible(session: Session, actor: Actor, target_type: TargetType, target_id: int) -> None:
    """As reading the target's threads: a document or meeting the actor cannot see, or a draft
    with no thread they can read, answers like a missing one."""
    if target_type not in service.SUMMARISED:
        raise Invalid("Chỉ tóm tắt góp ý về văn bản, cuộc họp hoặc dự thảo")
    if target_type in (TargetType.document, TargetType.meeting):
        service.check_target(session, actor, target_type, target_id)
        return
    # Drafts have no record of their own to check: the actor's own threads on it are the proof.
    seen = exists().where(
        FeedbackThread.target_type == target_type.value,
        FeedbackThread.target_id == target_id,
        service.visible_condition(actor),
    )
    if not session.scalar(select(seen)):
        raise NotFound("Không tìm thấy góp ý")


def _readable(session: Session, actor: Actor, target_type: str, target_id: int) -> dict[int, int]:
    """post id -> thread id for the posts on the target whose thread the actor may read."""
    q = member_posts(target_type, target_id).where(service.visible_condition(actor))
    return {p.id: p.thread_id for p, _unit in session.execute(q)}


def _themes(
    session: Session, stored: FeedbackSummary, readable: dict[int, int]
) -> tuple[list[ThemeOut], int]:
    """Themes as this reader may see them, and the posts of themes folded away: a quote only
    from a post they could open anyway, and a small theme none of whose posts they can read
    counted without its label (taken from those posts)."""
    unit_ids = {u for t in stored.themes for u in t.per_unit}
    names = {
        uid: name
        for uid, name in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)))
    }
    out: list[ThemeOut] = []
    folded = 0
    for theme in stored.themes:
        mine = [i for i in theme.post_ids if i in readable]
        if not mine and theme.count < stored.min_group_size:
            folded += theme.count
            continue
        quotes = [
            QuoteOut(
                post_id=q.post_id,
                thread_id=readable[q.post_id],
                text=q.text,
                link=f"/feedback/{readable[q.post_id]}#post-{q.post_id}",
            )
            for q in theme.quotes
            if q.post_id in readable
        ]
        per_unit = [
            UnitCountOut(unit_id=u, unit_name=names.get(u, ""), count=c)
            for u, c in theme.per_unit.items()
        ]
        out.append(
            ThemeOut(
                label=theme.label,
                count=theme.count,
                quotes=quotes,
                per_unit=per_unit,
                other_units=theme.other_units,
            )
        )
    return out, folded


def feedback_summary(
    session: Session, *, actor: Actor, target_type: TargetType, target_id: int
) -> FeedbackSummaryOut:
    """The target's feedback summary as the actor may read it (404 for a target out of sight)."""
    _check_visible(session, actor, target_type, target_id)
    row = session.scalar(
        select(FeedbackSummaryRow).where(
            FeedbackSummaryRow.target_type == target_type.value,
            FeedbackSummaryRow.target_id == target_id,
        )
    )
    newest, _at = newest_post(session, target_type.value, target_id)
    if row is None:  # no post since summaries began: nothing is due, so nothing is coming
        return FeedbackSummaryOut(target_type=target_type.value, target_id=target_id, status="none")
    themes: list[ThemeOut] = []
    folded = total = min_group = 0
    if row.summary:
        stored = FeedbackSummary.model_validate(row.summary)
        readable = _readable(session, actor, target_type.value, target_id)
        themes, folded = _themes(session, stored, readable)
        total, min_group = stored.total, stored.min_group_size
    return FeedbackSummaryOut.model_validate(
        {
            "target_type": target_type.value,
            "target_id": target_id,
            "status": row.status,
            "updating": newest is not None and newest > (row.last_post_id or 0),
            "total": total,
            "min_group_size": min_group,
            "themes": themes,
            "other_count": folded,
            "updated_at": row.updated_at if row.summary else None,
            "error": row.error if row.status == SummaryStatus.failed.value else None,
        }
    )
