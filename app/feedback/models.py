"""Feedback threads and their posts, scoped by the unit of the member who opened them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class ThreadKind(enum.StrEnum):
    comment = "comment"  # góp ý on a target
    idea = "idea"  # kiến nghị to the member's unit


class TargetType(enum.StrEnum):
    document = "document"
    meeting = "meeting"
    draft = "draft"
    unit = "unit"


class ThreadStatus(enum.StrEnum):
    new = "new"  # mới
    accepted = "accepted"  # đã tiếp thu
    answered = "answered"  # đã trả lời
    closed = "closed"  # đóng


class FeedbackThread(Base):
    __tablename__ = "feedback_threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unit that answers: the author's unit when the thread was opened.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(16))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default=ThreadStatus.new.value)
    author_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        CheckConstraint("kind IN ('comment', 'idea')", name="feedback_kind_valid"),
        CheckConstraint(
            "target_type IN ('document', 'meeting', 'draft', 'unit')",
            name="feedback_target_valid",
        ),
        CheckConstraint(
            "status IN ('new', 'accepted', 'answered', 'closed')", name="feedback_status_valid"
        ),
        Index("ix_feedback_threads_unit", "unit_id", "status"),
        Index("ix_feedback_threads_target", "target_type", "target_id"),
        Index("ix_feedback_threads_author", "author_member_id"),
    )


class FeedbackPost(Base):
    __tablename__ = "feedback_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_threads.id", ondelete="CASCADE"), index=True
    )
    author_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    author_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # A reply by an officer on behalf of the unit, shown as the unit's answer.
    is_official: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
