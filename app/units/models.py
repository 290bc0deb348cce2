"""Unit tree: any depth, stored with a materialised path so that a subtree is one prefix query."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class UnitKind(enum.StrEnum):
    city_committee = "city_committee"  # Thành ủy / Tỉnh ủy
    ward_committee = "ward_committee"  # Đảng ủy phường
    commune_committee = "commune_committee"  # Đảng ủy xã
    grassroots_committee = "grassroots_committee"  # Đảng bộ cơ sở
    intermediate_committee = "intermediate_committee"  # Đảng bộ bộ phận
    bloc_committee = "bloc_committee"  # Đảng ủy khối
    cell = "cell"  # Chi bộ
    other = "other"


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # "/1/5/23/": ids of the ancestors and the unit itself. A subtree is `path LIKE '/1/5/%'`.
    path: Mapped[str] = mapped_column(String(1024), default="")
    depth: Mapped[int] = mapped_column(Integer, default=0)
    dissolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_units_path", "path"),)


class UnitEvent(Base):
    """History of a unit: created, renamed, moved, dissolved. Never edited."""

    __tablename__ = "unit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
