"""Meetings, their agenda, pre-reading, attendance, guests and comments."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class MeetingKind(enum.StrEnum):
    regular = "regular"  # sinh hoạt thường kỳ (hằng tháng)
    thematic = "thematic"  # sinh hoạt chuyên đề
    extraordinary = "extraordinary"  # sinh hoạt bất thường


class MeetingStatus(enum.StrEnum):
    draft = "draft"
    noticed = "noticed"
    in_progress = "in_progress"
    closed = "closed"


class QuorumBase(enum.StrEnum):
    must_attend = "must_attend"  # invitees minus those exempted (the Party rule's default)
    all_members = "all_members"  # every invitee, exempted included


class AttendanceState(enum.StrEnum):
    present = "present"  # có mặt
    excused = "excused"  # vắng có phép (with a reason)
    unexcused = "unexcused"  # vắng không phép
    exempt = "exempt"  # miễn sinh hoạt


class CommentKind(enum.StrEnum):
    opinion = "opinion"  # ý kiến
    proposal = "proposal"  # kiến nghị


def _in(column: str, enum_cls: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in enum_cls)})"


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=MeetingKind.regular)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str | None] = mapped_column(String(500))
    chair_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    secretary_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.draft)
    # Short code read out in the room; members type it to check themselves in.
    checkin_code: Mapped[str] = mapped_column(String(12))
    # Quorum rule as data: present must exceed (or reach) numerator/denominator of the base.
    quorum_numerator: Mapped[int] = mapped_column(Integer, default=2)
    quorum_denominator: Mapped[int] = mapped_column(Integer, default=3)
    quorum_strict: Mapped[bool] = mapped_column(Boolean, default=True)
    quorum_base: Mapped[str] = mapped_column(String(16), default=QuorumBase.must_attend)
    created_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    noticed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set once the reminder went out, so the periodic sweep never sends it twice.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint(_in("status", MeetingStatus), name="status"),
        CheckConstraint(_in("kind", MeetingKind), name="kind"),
        CheckConstraint(_in("quorum_base", QuorumBase), name="quorum_base"),
        CheckConstraint(
            "quorum_numerator > 0 AND quorum_denominator > 0 "
            "AND quorum_numerator <= quorum_denominator",
            name="quorum_fraction",
        ),
        CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="ends_after_start"),
        Index("ix_meetings_unit_starts", "unit_id", "starts_at"),
        Index("ix_meetings_status_starts", "status", "starts_at"),
    )


class AgendaItem(Base):
    __tablename__ = "meeting_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("meeting_id", "position", name="uq_meeting_agenda_items_position"),
    )


class MeetingDocument(Base):
    """A pre-reading document; `document_id` points into the documents domain (checked there)."""

    __tablename__ = "meeting_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    # A plain integer: the documents table is built in parallel; the service validates it.
    document_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), default="")

    __table_args__ = (
        UniqueConstraint("meeting_id", "document_id", name="uq_meeting_documents_document"),
    )


class Attendance(Base):
    """One row per invited member; `state` is None until the roll is taken."""

    __tablename__ = "meeting_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    state: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500), default="")
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # None for a self check-in; the officer's account for a proxy check-in (also audited).
    checked_in_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))

    __table_args__ = (
        UniqueConstraint("meeting_id", "member_id", name="uq_meeting_attendance_member"),
        CheckConstraint("state IS NULL OR " + _in("state", AttendanceState), name="state"),
        CheckConstraint("state IS NULL OR state <> 'excused' OR reason <> ''", name="reason"),
    )


class Guest(Base):
    __tablename__ = "meeting_guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")  # chức vụ / nơi công tác


class MeetingComment(Base):
    """Ý kiến / kiến nghị sent by a member before the meeting."""

    __tablename__ = "meeting_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(16), default=CommentKind.opinion)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_agenda_items.id", ondelete="CASCADE")
    )
    document_id: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        CheckConstraint(_in("kind", CommentKind), name="kind"),
        Index("ix_meeting_comments_meeting", "meeting_id", "id"),
    )


class AttendanceIntent(Base):
    """What an invited member says ahead of a meeting: "I will attend" or "I cannot", with a
    reason; the officers see it before the roll, which stays theirs (`Attendance.state`)."""

    __tablename__ = "meeting_attendance_intents"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    will_attend: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("meeting_id", "member_id", name="uq_meeting_attendance_intent"),
        CheckConstraint("will_attend OR reason <> ''", name="intent_reason"),
    )
