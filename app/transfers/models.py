"""Chuyển sinh hoạt: a member's move between units, out of the tree or into it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class TransferKind(enum.StrEnum):
    internal = "internal"  # between two units of this tree
    out = "out"  # to an organisation outside the tree
    incoming = "in"  # from outside the tree


class TransferStatus(enum.StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"
    cancelled = "cancelled"


class Transfer(Base):
    """Chuyển sinh hoạt: requested by the sending side, accepted by the receiving side."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    external_org: Mapped[str | None] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=TransferStatus.pending)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)
