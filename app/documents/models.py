"""Documents, their versions (files by content hash), audience, distributions and read receipts."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class DocumentKind(enum.StrEnum):
    chi_thi = "chi_thi"
    nghi_quyet = "nghi_quyet"
    ket_luan = "ket_luan"
    ke_hoach = "ke_hoach"
    huong_dan = "huong_dan"
    thong_bao = "thong_bao"
    bao_cao = "bao_cao"
    cong_van = "cong_van"
    quyet_dinh = "quyet_dinh"
    quy_dinh = "quy_dinh"
    to_trinh = "to_trinh"
    khac = "khac"


class DocumentStatus(enum.StrEnum):
    draft = "draft"
    published = "published"
    withdrawn = "withdrawn"


class Confidentiality(enum.StrEnum):
    normal = "normal"  # thường
    internal = "internal"  # lưu hành nội bộ
    confidential = "confidential"  # mật


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The issuing unit owns the document: its officers manage it.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    number: Mapped[str | None] = mapped_column(String(64))  # "50-CT/TW"
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    confidentiality: Mapped[str] = mapped_column(String(16), default=Confidentiality.normal.value)
    status: Mapped[str] = mapped_column(String(16), default=DocumentStatus.draft.value)
    # Meetings (or any other source) may point here; kept loose so domains stay decoupled.
    source_type: Mapped[str | None] = mapped_column(String(24))
    source_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'published', 'withdrawn')", name="document_status_valid"
        ),
        CheckConstraint(
            "confidentiality IN ('normal', 'internal', 'confidential')",
            name="document_confidentiality_valid",
        ),
        Index("ix_documents_status_published", "status", "published_at"),
    )


class DocumentVersion(Base):
    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    version_no: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(100))
    original_filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("document_id", "version_no", name="uq_document_versions_no"),
        CheckConstraint("version_no >= 1", name="document_version_positive"),
        CheckConstraint("size > 0", name="document_version_size_positive"),
    )


class DocumentAudience(Base):
    __tablename__ = "document_audiences"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    include_subtree: Mapped[bool] = mapped_column(Boolean, default=True)
    # None: everyone in the unit(s); else only holders of this role there (e.g. cell_secretary).
    role: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        UniqueConstraint("document_id", "unit_id", "role", name="uq_document_audience"),
        Index("ix_document_audiences_unit", "unit_id", "document_id"),
    )


class DocumentDistribution(Base):
    __tablename__ = "document_distributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    version_no: Mapped[int] = mapped_column(Integer)
    recipients: Mapped[int] = mapped_column(Integer)
    distributed_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    distributed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DocumentRead(Base):
    """A read receipt: the first time a member opened a document."""

    __tablename__ = "document_reads"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    # The member's unit when they read it, so read rates per unit survive later transfers.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("document_id", "member_id", name="uq_document_reads_member"),
        Index("ix_document_reads_doc_unit", "document_id", "unit_id"),
    )
