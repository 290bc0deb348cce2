"""Recordings of meetings, their transcript segments, the edits of each segment and the unit's
listening policy."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class RecordingStatus(enum.StrEnum):
    queued = "queued"  # stored, waiting for the transcription job
    transcribing = "transcribing"
    done = "done"
    failed = "failed"


class Recording(Base):
    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    # The blob's name in the storage seam: the sha256 of its bytes.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    duration: Mapped[float] = mapped_column(Float)
    # Voice-activity pieces found at upload: the denominator of the job's progress.
    pieces: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=RecordingStatus.queued)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    error: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(repr(s.value) for s in RecordingStatus) + ")",
            name="status",
        ),
    )


class TranscriptSegment(Base):
    __tablename__ = "transcript_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    # The voice-activity piece it came from (0-based, stable): the job's resume point.
    index: Mapped[int] = mapped_column(Integer)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    speaker_name: Mapped[str | None] = mapped_column(String(200))
    speaker_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    edited_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))

    __table_args__ = (
        # A resumed or repeated job can never store a piece twice.
        UniqueConstraint("recording_id", "index", name="uq_transcript_segments_piece"),
        CheckConstraint('"end" >= start', name="times"),
    )


class SegmentVersion(Base):
    """The text (and speaker) a segment had before one edit, with who replaced it and when."""

    __tablename__ = "segment_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("transcript_segments.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    speaker_name: Mapped[str | None] = mapped_column(String(200))
    speaker_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # The edit that replaced this text: who made it and when.
    replaced_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RecordingPolicy(Base):
    """Per unit: may ordinary members of the unit listen to its meetings' recordings."""

    __tablename__ = "recording_policies"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    members_may_listen: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
