"""Stored summaries. A document's summary belongs to one version, so a new version is summarised
afresh and the old one's summary stays what readers of that version saw; a feedback summary
belongs to its target and is recomputed as posts arrive."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class SummaryStatus(enum.StrEnum):
    pending = "pending"  # queued or running
    ready = "ready"
    failed = "failed"  # the error is kept; the page says the summary is not available


class DocumentSummaryRow(Base):
    __tablename__ = "document_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(16), default=SummaryStatus.pending)
    mode: Mapped[str] = mapped_column(String(16), default="offline")  # offline | llm
    # `pipelines.summarise.DocumentSummary` as JSON; {} until ready.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'ready', 'failed')", name="document_summary_status"),
    )


class FeedbackSummaryRow(Base):
    __tablename__ = "feedback_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    # As feedback threads name their target: document, meeting or draft, and its id.
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=SummaryStatus.pending)
    # `pipelines.summarise.feedback.FeedbackSummary` as JSON; {} until ready.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # How many posts the stored summary read, and the newest post's id, so a page can say
    # "đang cập nhật" while newer posts wait for the debounced job.
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    last_post_id: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("target_type", "target_id", name="uq_feedback_summaries_target"),
        CheckConstraint("status IN ('pending', 'ready', 'failed')", name="feedback_summary_status"),
    )
