"""After the meeting: its resolution (nghị quyết) and the cell's self-assessment of its quality."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class Resolution(Base):
    """A resolution issued from a meeting, which is its basis (sở cứ)."""

    __tablename__ = "resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    number: Mapped[str] = mapped_column(String(64))  # số hiệu, e.g. "05-NQ/CB"
    issued_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    # The file, once stored as a document (documents slice); distribution goes through it.
    document_id: Mapped[int | None] = mapped_column(Integer)
    created_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("unit_id", "number", name="uq_resolutions_unit_number"),)


class AssessmentCriterion(Base):
    """One criterion of meeting quality; unit_id NULL is the global default set."""

    __tablename__ = "assessment_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    code: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(500))
    max_score: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        CheckConstraint("max_score > 0", name="max_positive"),
        UniqueConstraint("unit_id", "code", name="uq_assessment_criteria_unit_code"),
        # NULLs are distinct in a unique constraint, so the global set needs its own index.
        Index(
            "uq_assessment_criteria_global_code",
            "code",
            unique=True,
            sqlite_where=sql_text("unit_id IS NULL"),
            postgresql_where=sql_text("unit_id IS NULL"),
        ),
    )


class AssessmentBand(Base):
    """A grade reached at min_percent of the maximum total; unit_id NULL is the global default."""

    __tablename__ = "assessment_bands"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    grade: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(100))
    min_percent: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("min_percent BETWEEN 0 AND 100", name="percent_range"),
        UniqueConstraint("unit_id", "grade", name="uq_assessment_bands_unit_grade"),
        Index(
            "uq_assessment_bands_global_grade",
            "grade",
            unique=True,
            sqlite_where=sql_text("unit_id IS NULL"),
            postgresql_where=sql_text("unit_id IS NULL"),
        ),
    )


class MeetingAssessment(Base):
    """The cell's scoring of one meeting: one per meeting."""

    __tablename__ = "meeting_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    total: Mapped[int] = mapped_column(Integer)
    max_total: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(32))
    grade_label: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    assessed_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (CheckConstraint("total >= 0 AND total <= max_total", name="total_range"),)


class AssessmentScore(Base):
    """One criterion's score; max_score is copied so later edits of the criteria keep history."""

    __tablename__ = "assessment_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_assessments.id", ondelete="CASCADE")
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("assessment_criteria.id"))
    score: Mapped[int] = mapped_column(Integer)
    max_score: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= max_score", name="score_range"),
        UniqueConstraint("assessment_id", "criterion_id", name="uq_assessment_scores_pair"),
    )
