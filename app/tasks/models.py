"""A task (nhiệm vụ) assigned to one member of a unit, from a meeting, a document or otherwise."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class TaskStatus(enum.StrEnum):
    assigned = "assigned"
    in_progress = "in_progress"
    done = "done"
    graded = "graded"


class TaskGrade(enum.StrEnum):
    XS = "XS"  # hoàn thành xuất sắc
    HTT = "HTT"  # hoàn thành tốt
    HT = "HT"  # hoàn thành
    KHT = "KHT"  # không hoàn thành


class TaskSource(enum.StrEnum):
    meeting = "meeting"
    document = "document"
    other = "other"


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    assignee_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    description: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    # Meetings and documents live in other slices' tables; the id is checked by the service.
    source_type: Mapped[str] = mapped_column(String(16), default=TaskSource.other)
    source_id: Mapped[int | None] = mapped_column(Integer)
    # A task taken from a document's summary keeps the clause it came from: the knowledge
    # index's chunk key ("d12v3c7") and its label ("Điều 5, khoản 2").
    source_chunk_key: Mapped[str | None] = mapped_column(String(64))
    source_article: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=TaskStatus.assigned)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The local (Vietnam) calendar day of done_at: "on time" compares it with due_date in SQL.
    done_on: Mapped[date | None] = mapped_column(Date)
    grade: Mapped[str | None] = mapped_column(String(8))
    grade_note: Mapped[str | None] = mapped_column(Text)
    graded_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("due_date >= start_date", name="due_after_start"),
        CheckConstraint(
            "status IN ('assigned', 'in_progress', 'done', 'graded')", name="status_known"
        ),
        CheckConstraint("source_type IN ('meeting', 'document', 'other')", name="source_known"),
        CheckConstraint("source_type = 'other' OR source_id IS NOT NULL", name="source_has_id"),
        CheckConstraint("grade IS NULL OR grade IN ('XS', 'HTT', 'HT', 'KHT')", name="grade_known"),
        # A graded task has a grade and only a graded one; done and graded ones have done_at.
        CheckConstraint("(status = 'graded') = (grade IS NOT NULL)", name="grade_iff_graded"),
        CheckConstraint(
            "(status IN ('done', 'graded')) = (done_at IS NOT NULL AND done_on IS NOT NULL)",
            name="done_iff_done_at",
        ),
        Index("ix_tasks_unit_status", "unit_id", "status"),
        Index("ix_tasks_assignee_status", "assignee_member_id", "status"),
    )
