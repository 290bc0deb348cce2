"""Unit tree: any depth, stored with a materialised path so that a subtree is one prefix query."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
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
    # As documents and minutes print them ("Chi bộ Khu phố 1, phường Bến Nghé"; "ĐẢNG ỦY
    # PHƯỜNG BẾN NGHÉ"); "" means: derive from the name and the parent's name.
    full_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    superior_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    # The quorum rule a new meeting of this unit starts from; all NULL: the product default.
    quorum_numerator: Mapped[int | None] = mapped_column(Integer)
    quorum_denominator: Mapped[int | None] = mapped_column(Integer)
    quorum_strict: Mapped[bool | None] = mapped_column(Boolean)
    quorum_base: Mapped[str | None] = mapped_column(String(16))

    __table_args__ = (
        Index("ix_units_path", "path"),
        CheckConstraint(
            "(quorum_numerator IS NULL AND quorum_denominator IS NULL "
            "AND quorum_strict IS NULL AND quorum_base IS NULL) OR "
            "(quorum_numerator > 0 AND quorum_denominator > 0 "
            "AND quorum_numerator <= quorum_denominator AND quorum_strict IS NOT NULL "
            "AND quorum_base IN ('must_attend', 'all_members'))",
            name="quorum_default",
        ),
    )


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
