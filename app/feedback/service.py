"""Feedback threads: members post góp ý and kiến nghị; officers of the unit reply and set status."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.db import utcnow
from app.core.errors import Forbidden, Invalid, NotFound
from app.core.permissions import Actor, Perm, accessible_unit_ids, can_in_unit
from app.core.tree import IN_TREE
from app.documents import service as documents_service
from app.feedback.models import FeedbackPost, FeedbackThread, TargetType, ThreadKind, ThreadStatus
from app.members.models import Member
from app.summaries.models import FeedbackSummaryRow, SummaryStatus

# Targets whose posts are summarised (a kiến nghị to a unit is one member's own channel).
SUMMARISED = frozenset({TargetType.document, TargetType.meeting, TargetType.draft})


def visible_condition(actor: Actor) -> ColumnElement[bool]:
    """Threads the actor wrote, and every thread of units where they answer feedback."""
    managed = FeedbackThread.unit_id.in_(accessible_unit_ids(actor, Perm.feedback_manage))
    if actor.member_id is None:
        return managed
    return or_(FeedbackThread.author_member_id == actor.member_id, managed)


def check_target(
    session: Session, actor: Actor, target_type: TargetType, target_id: int | None
) -> None:
    """The member must be able to see what they comment on (else 404, as for the target itself)."""
    if target_type == TargetType.document:
        if target_id is None:
            raise Invalid("Thiếu văn bản được góp ý")
        documents_service.get_document(session, actor=actor, document_id=target_id)
    elif target_type == TargetType.meeting:
        if target_id is None:
            raise Invalid("Thiếu cuộc họp được góp ý")
        from app.meetings.models import Meeting
        from app.meetings.service import visible_condition as meeting_visible

        # A draft meeting is out of a member's sight: it answers like a missing one.
        found = select(Meeting.id).where(Meeting.id == target_id, meeting_visible(actor))
        if session.scalar(found) is None:
            raise NotFound("Không tìm thấy cuộc họp")


def summary_due(session: Session, thread: FeedbackThread) -> None:
    """A member's post on a target: its summary is due again. The row turns pending (keeping the
    summary it has, shown as "đang cập nhật"); the `feedback.summaries` sweep queues one job per
    target once the posts have been quiet for the debounce time, so a burst costs one summary
    and a restart loses nothing (the row, not a timer, remembers it)."""
    if thread.target_type not in SUMMARISED or thread.target_id is None:
        return
    where = (
        FeedbackSummaryRow.target_type == thread.target_type,
        FeedbackSummaryRow.target_id == thread.target_id,
    )
    row = session.scalar(select(FeedbackSummaryRow).where(*where))
    if row is None:
        try:
            with session.begin_nested():
                session.add(
                    FeedbackSummaryRow(
                        target_type=thread.target_type,
                        target_id=thread.target_id,
                        status=SummaryStatus.pending.value,
                        summary={},
                        post_count=0,
                    )
                )
            return
        except IntegrityError:  # a post on the same target made the row first
            row = session.scalar(select(FeedbackSummaryRow).where(*where))
    if row is not None:
        row.status = SummaryStatus.pending.value


def _author(session: Session, actor: Actor) -> tuple[int, int]:
    """(member id, unit id) a thread is filed for: the caller, or the member a cell officer acts
    for (X-On-Behalf-Of, checked by the request's dependencies); the audit row names both."""
    if actor.on_behalf_of_member_id is None:
        if actor.member_id is None or actor.member_unit_id is None:
            raise Forbidden("Chỉ đảng viên mới gửi được góp ý, kiến nghị")
        return actor.member_id, actor.member_unit_id
    member = session.get(Member, actor.on_behalf_of_member_id)
    if member is None or member.status not in IN_TREE:
        raise Forbidden("Chỉ đảng viên mới gửi được góp ý, kiến nghị")
    return member.id, member.unit_id


def _open(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    kind: ThreadKind,
    target_type: TargetType,
    target_id: int | None,
    title: str,
    body: str,
) -> FeedbackThread:
    author_id, unit_id = _author(session, actor)
    if target_type == TargetType.unit:
        target_id = unit_id  # an idea goes to its author's own unit
    now = utcnow()
    thread = FeedbackThread(
        unit_id=unit_id,
        kind=kind.value,
        target_type=target_type.value,
        target_id=target_id,
        title=title,
        status=ThreadStatus.new.value,
        author_member_id=author_id,
        created_at=now,
        updated_at=now,
    )
    session.add(thread)
    session.flush()
    session.add(
        FeedbackPost(
            thread_id=thread.id,
            author_account_id=actor.account_id,
            author_member_id=author_id,
            body=body,
            created_at=now,
        )
    )
    session.flush()
    summary_due(session, thread)
    audit.record(
        session,
        ctx,
        f"feedback.{kind.value}",
        object_type="feedback_thread",
        object_id=thread.id,
        unit_id=thread.unit_id,
        detail={"target_type": target_type.value, "target_id": target_id},
    )
    return thread


def open_thread(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    target_type: TargetType,
    target_id: int | None,
    title: str,
    body: str,
) -> FeedbackThread:
    """A member's góp ý on something they can see, answered by their own unit."""
    if target_type == TargetType.unit:
        raise Invalid("Kiến nghị gửi chi bộ dùng mục riêng")
    check_target(session, actor, target_type, target_id)
    return _open(
        session,
        ctx,
        actor=actor,
        kind=ThreadKind.comment,
        target_type=target_type,
        target_id=target_id,
        title=title,
        body=body,
    )


def submit_idea(
    session: Session, ctx: AuditContext, *, actor: Actor, title: str, body: str
) -> FeedbackThread:
    """A member's kiến nghị to their own unit (filed by an officer for them, too)."""
    return _open(
        session,
        ctx,
        actor=actor,
        kind=ThreadKind.idea,
        target_type=TargetType.unit,
        target_id=None,
        title=title,
        body=body,
    )


def get_thread(session: Session, *, actor: Actor, thread_id: int) -> FeedbackThread:
    """A thread the actor may see, else 404."""
    thread = session.scalar(
        select(FeedbackThread).where(FeedbackThread.id == thread_id, visible_condition(actor))
    )
    if thread is None:
        raise NotFound("Không tìm thấy góp ý")
    return thread


def can_manage(session: Session, actor: Actor, thread: FeedbackThread) -> bool:
    return can_in_unit(session, actor, Perm.feedback_manage, thread.unit_id)


def posts_of(session: Session, thread_id: int) -> Sequence[FeedbackPost]:
    return session.scalars(
        select(FeedbackPost).where(FeedbackPost.thread_id == thread_id).order_by(FeedbackPost.id)
    ).all()


def list_threads(
    session: Session,
    *,
    actor: Actor,
    target_type: TargetType | None = None,
    target_id: int | None = None,
    status: ThreadStatus | None = None,
    limit: int = 100,
) -> Sequence[FeedbackThread]:
    """Visible threads, newest activity first; filter by target to group them for a secretary."""
    q = select(FeedbackThread).where(visible_condition(actor))
    if target_type is not None:
        q = q.where(FeedbackThread.target_type == target_type.value)
    if target_id is not None:
        q = q.where(FeedbackThread.target_id == target_id)
    if status is not None:
        q = q.where(FeedbackThread.status == status.value)
    q = q.order_by(FeedbackThread.updated_at.desc(), FeedbackThread.id.desc()).limit(limit)
    return session.scalars(q).all()


def reply(
    session: Session, ctx: AuditContext, *, actor: Actor, thread_id: int, body: str
) -> FeedbackPost:
    """A reply: an officer's is the unit's official answer; the author may add to their own."""
    thread = get_thread(session, actor=actor, thread_id=thread_id)
    official = can_manage(session, actor, thread)
    if not official and thread.author_member_id != actor.member_id:
        raise Forbidden("Bạn không có quyền trả lời góp ý này")
    if thread.status == ThreadStatus.closed.value:
        raise Invalid("Góp ý đã đóng")
    now = utcnow()
    post = FeedbackPost(
        thread_id=thread.id,
        author_account_id=actor.account_id,
        author_member_id=actor.member_id,
        is_official=official,
        body=body,
        created_at=now,
    )
    session.add(post)
    thread.updated_at = now
    if official and thread.status == ThreadStatus.new.value:
        thread.status = ThreadStatus.answered.value
    session.flush()
    if not official:  # the unit's answers are not members' feedback
        summary_due(session, thread)
    audit.record(
        session,
        ctx,
        "feedback.reply",
        object_type="feedback_thread",
        object_id=thread.id,
        unit_id=thread.unit_id,
        detail={"official": official},
    )
    if official and thread.author_member_id != actor.member_id:
        from app.notifications import service as notifications

        notifications.notify(
            session,
            member_ids=[thread.author_member_id],
            kind="feedback.reply",
            title=thread.title,
            link=f"/feedback/{thread.id}",
            unit_id=thread.unit_id,
        )
    return post


def set_status(
    session: Session, ctx: AuditContext, *, actor: Actor, thread_id: int, status: ThreadStatus
) -> FeedbackThread:
    """Mark a thread mới / đã tiếp thu / đã trả lời / đóng (officers of its unit only)."""
    thread = get_thread(session, actor=actor, thread_id=thread_id)
    if not can_manage(session, actor, thread):
        raise Forbidden("Bạn không có quyền cập nhật trạng thái góp ý")
    previous = thread.status
    thread.status = status.value
    thread.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        ctx,
        "feedback.status",
        object_type="feedback_thread",
        object_id=thread.id,
        unit_id=thread.unit_id,
        detail={"from": previous, "to": status.value},
    )
    return thread
