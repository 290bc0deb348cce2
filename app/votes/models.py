"""Votes: open votes (member → choice) and secret ballots (participation kept apart from ballots)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
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


class VoteKind(enum.StrEnum):
    open = "open"  # biểu quyết công khai: who chose what is shown
    secret = "secret"  # bỏ phiếu kín


class VoteForm(enum.StrEnum):
    motions = "motions"  # items are motions (e.g. on an agenda item)
    candidates = "candidates"  # items are candidate names


class VoteStatus(enum.StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class ThresholdBase(enum.StrEnum):
    present = "present"  # quá bán số có mặt
    all = "all"  # quá bán tổng số đảng viên


class Choice(enum.StrEnum):
    agree = "agree"  # Đồng ý
    disagree = "disagree"  # Không đồng ý
    other = "other"  # Ý kiến khác (with a comment)


def _in(column: str, enum_cls: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in enum_cls)})"


class Vote(Base):
    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    # A motion voted in a meeting; None for a standalone online vote with its own window.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(8))
    form: Mapped[str] = mapped_column(String(12), default=VoteForm.motions)
    # Passing rule as data: agree * den > base * num, base being those present or all members.
    threshold_base: Mapped[str] = mapped_column(String(8), default=ThresholdBase.present)
    threshold_num: Mapped[int] = mapped_column(Integer, default=1)
    threshold_den: Mapped[int] = mapped_column(Integer, default=2)
    status: Mapped[str] = mapped_column(String(8), default=VoteStatus.draft)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Frozen at close: the denominators and the results recorded on the meeting.
    eligible_count: Mapped[int | None] = mapped_column(Integer)
    present_count: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Secret ballots: head of the ballot chain sealed at close (also written to the audit log).
    chain_head: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint(_in("kind", VoteKind), name="kind"),
        CheckConstraint(_in("form", VoteForm), name="form"),
        CheckConstraint(_in("status", VoteStatus), name="status"),
        CheckConstraint(_in("threshold_base", ThresholdBase), name="threshold_base"),
        CheckConstraint(
            "threshold_num > 0 AND threshold_den > 0 AND threshold_num < threshold_den",
            name="threshold",
        ),
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at", name="window"
        ),
    )


class VoteItem(Base):
    """One motion, or one candidate, answered Đồng ý / Không đồng ý / Ý kiến khác."""

    __tablename__ = "vote_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))

    __table_args__ = (UniqueConstraint("vote_id", "position", name="uq_vote_items_position"),)


class VoteParticipation(Base):
    """ "Has voted", nothing more: the database's one-member-one-vote guarantee.

    Deliberately no timestamp and no serial id, and on SQLite WITHOUT ROWID (stored in key
    order), so the table itself holds no record of the order in which members voted.
    """

    __tablename__ = "vote_participation"

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)

    __table_args__ = {"sqlite_with_rowid": False}


class OpenChoice(Base):
    """An open vote's answer: who chose what, shown to those who may see the vote."""

    __tablename__ = "vote_open_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("vote_items.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    choice: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("item_id", "member_id", name="uq_vote_open_choices_item_member"),
        CheckConstraint(_in("choice", Choice), name="choice"),
        Index("ix_vote_open_choices_vote", "vote_id", "item_id"),
    )


class Ballot(Base):
    """A secret ballot. No member, account, timestamp or serial id: see ballots.py for why.

    `id` is a random UUID (hex), so key order is random; on SQLite the table is WITHOUT ROWID,
    so physical order is key order too. `prev_hash` is NULL until the vote closes, when the
    ballots are chained in id order (a random permutation, unrelated to the order of casting).
    """

    __tablename__ = "ballots"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    # {"<item_id>": {"choice": "agree|disagree|other", "comment": "..."}}
    choices: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = {"sqlite_with_rowid": False}
