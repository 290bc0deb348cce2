"""The member's digital profile: identity, education, party data and its histories."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class MemberStatus(enum.StrEnum):
    active = "active"
    transferred = "transferred"  # moved out of the organisation tree
    exempted = "exempted"  # miễn công tác và sinh hoạt đảng
    deceased = "deceased"
    removed = "removed"


class Gender(enum.StrEnum):
    male = "male"
    female = "female"
    other = "other"


class DisciplineForm(enum.StrEnum):
    khien_trach = "khien_trach"  # reprimand
    canh_cao = "canh_cao"  # warning
    cach_chuc = "cach_chuc"  # removal from post
    khai_tru = "khai_tru"  # expulsion


class RatingGrade(enum.StrEnum):
    HTXSNV = "HTXSNV"  # Hoàn thành xuất sắc nhiệm vụ
    HTTNV = "HTTNV"  # Hoàn thành tốt nhiệm vụ
    HTNV = "HTNV"  # Hoàn thành nhiệm vụ
    KHTNV = "KHTNV"  # Không hoàn thành nhiệm vụ
    MIEN = "MIEN"  # miễn sinh hoạt: exempt, not rated


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    # Identity
    full_name: Mapped[str] = mapped_column(String(255))
    name_folded: Mapped[str] = mapped_column(String(255))
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(16))
    hometown: Mapped[str | None] = mapped_column(String(255))  # quê quán
    ethnicity: Mapped[str | None] = mapped_column(String(64))  # dân tộc
    religion: Mapped[str | None] = mapped_column(String(64))  # tôn giáo
    cccd: Mapped[str | None] = mapped_column(String(12), unique=True)  # sensitive
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(500))
    # Education
    education_level: Mapped[str | None] = mapped_column(String(64))  # trình độ học vấn, "12/12"
    political_theory: Mapped[str | None] = mapped_column(String(64))  # lý luận chính trị
    professional_qualification: Mapped[str | None] = mapped_column(String(255))  # chuyên môn
    # Party data
    admission_date: Mapped[date | None] = mapped_column(Date)  # ngày vào Đảng
    official_date: Mapped[date | None] = mapped_column(Date)  # ngày chính thức
    card_number: Mapped[str | None] = mapped_column(String(32), unique=True)  # số thẻ
    dossier_number: Mapped[str | None] = mapped_column(String(32), unique=True)  # số lý lịch
    status: Mapped[str] = mapped_column(String(16), default=MemberStatus.active)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_members_unit_name", "unit_id", "name_folded"),
        # Lists are ordered by (name_folded, id): see migration 0008_member_name_order.
        Index("ix_members_name_order", "name_folded", "id"),
    )


class UnitMembership(Base):
    """History of the units a member belonged to (chuyển sinh hoạt leaves a trail here)."""

    __tablename__ = "unit_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class WorkHistory(Base):
    __tablename__ = "work_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    organisation: Mapped[str] = mapped_column(String(255))
    position: Mapped[str | None] = mapped_column(String(255))


class Award(Base):
    """Khen thưởng, including Huy hiệu Đảng (badge_years set)."""

    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    awarded_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(255))
    issued_by: Mapped[str | None] = mapped_column(String(255))
    decision_number: Mapped[str | None] = mapped_column(String(64))
    badge_years: Mapped[int | None] = mapped_column(Integer)


class Discipline(Base):
    """Kỷ luật: sensitive, every read is audited."""

    __tablename__ = "disciplines"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    decided_on: Mapped[date] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    issued_by: Mapped[str | None] = mapped_column(String(255))
    decision_number: Mapped[str | None] = mapped_column(String(64))


class Training(Base):
    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    course: Mapped[str] = mapped_column(String(255))
    institution: Mapped[str | None] = mapped_column(String(255))
    certificate: Mapped[str | None] = mapped_column(String(255))


class Rating(Base):
    """Yearly đánh giá, xếp loại; one per member and year."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("member_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)


class CorrectionStatus(enum.StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class Correction(Base):
    """A member's proposed change to their own profile, decided by their unit's secretary."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=CorrectionStatus.pending)
    proposed_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)
