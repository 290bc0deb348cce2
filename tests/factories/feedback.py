"""Feedback factories: an idea (kiến nghị) opened by a member of a unit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.feedback.models import FeedbackPost, FeedbackThread
from app.members.models import Member


def make_idea(
    session: Session, member: Member, *, title: str = "Đề nghị đổi giờ họp", body: str = "Nội dung"
) -> FeedbackThread:
    thread = FeedbackThread(
        unit_id=member.unit_id,
        kind="idea",
        target_type="unit",
        target_id=member.unit_id,
        title=title,
        status="new",
        author_member_id=member.id,
    )
    session.add(thread)
    session.flush()
    session.add(FeedbackPost(thread_id=thread.id, author_member_id=member.id, body=body))
    session.flush()
    return thread
