"""Minutes (biên bản) of a meeting: the working record, its versions and the review comments."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class MinutesState(enum.StrEnum):
    draft = "draft"  # the secretary drafts and edits
    submitted = "submitted"  # waiting for the chair; nobody edits
    returned = "returned"  # the chair sent it back with a comment; editable again
    locked = "locked"  # approved: the text and its SHA-256 are fixed (audit log)


class VersionKind(enum.StrEnum):
    draft = "draft"  # the first draft from the pipeline
    redraft = "redraft"  # a later draft (edited sections kept unless replaced)
    edit = "edit"  # the secretary changed a section
    correction = "correction"  # a change after lock, with a reason; goes back to the chair


class ReviewAction(enum.StrEnum):
    submit = "submit"
    approve = "approve"
    return_ = "return"


def _in(column: str, enum_cls: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in enum_cls)})"


class Minutes(Base):
    """One per meeting. `sections` is the working text; once locked, what members read is the
    version `locked_version_id`, whose canonical text's SHA-256 is in the audit log."""

    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default=MinutesState.draft)
    # The secretary's notes, free text; a leading "[2]" tags a line to agenda item 2.
    notes: Mapped[str] = mapped_column(Text, default="")
    # Per agenda item id (as a string): {"presenter", "conclusion", "document_ids"}.
    items: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The layout around the sections: header lines, title, headings, order, signatures.
    layout: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Section key -> text (one sentence per line), and key -> [{"text", "sources"}].
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    edited_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The consistency check's findings for the working text (a list of Mismatch dumps).
    mismatches: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    mode: Mapped[str | None] = mapped_column(String(16))  # offline | llm
    fallback_reason: Mapped[str | None] = mapped_column(String(500))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    drafted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    override_reason: Mapped[str | None] = mapped_column(Text)
    # A correction after lock in progress: its reason (None otherwise).
    correction_reason: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    locked_version_id: Mapped[int | None] = mapped_column(Integer)
    locked_sha256: Mapped[str | None] = mapped_column(String(64))
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (CheckConstraint(_in("state", MinutesState), name="state"),)


class MinutesVersion(Base):
    """The full text after each draft, re-draft, edit or correction; never changed."""

    __tablename__ = "minutes_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the minutes
    kind: Mapped[str] = mapped_column(String(16))
    author_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    layout: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Set on the version that was locked (approved), so the lock names its text.
    locked: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        UniqueConstraint("minutes_id", "number", name="uq_minutes_versions_number"),
        CheckConstraint(_in("kind", VersionKind), name="kind"),
    )


class MinutesReview(Base):
    """A step of the review chain: a submission (with an override reason), an approval or a
    return with the chair's comment."""

    __tablename__ = "minutes_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    author_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (CheckConstraint(_in("action", ReviewAction), name="action"),)
