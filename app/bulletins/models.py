"""Bulletins, their audience (shaped like a document's), the synthesised audio kept by its cache
key, and the members' private podcast feed tokens."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class BulletinStatus(enum.StrEnum):
    draft = "draft"
    published = "published"
    withdrawn = "withdrawn"


class AudioStatus(enum.StrEnum):
    none = "none"  # a draft: nothing to speak yet
    queued = "queued"
    making = "making"
    done = "done"
    failed = "failed"


class BulletinAudio(Base):
    """One synthesis, found again by the tts cache key: unchanged text is never spoken twice."""

    __tablename__ = "bulletin_audio"

    id: Mapped[int] = mapped_column(primary_key=True)
    cache_key: Mapped[str] = mapped_column(String(64), unique=True)
    # The MP3's name in the storage seam: the sha256 of its bytes.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    duration: Mapped[float] = mapped_column(Float)
    voice: Mapped[str] = mapped_column(String(120))
    provider: Mapped[str] = mapped_column(String(24))
    chapters: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sentences: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Bulletin(Base):
    __tablename__ = "bulletins"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    # [{"title": ..., "text": ...}]: each section is a chapter of the audio.
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    status: Mapped[str] = mapped_column(String(16), default=BulletinStatus.draft.value)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    audio_status: Mapped[str] = mapped_column(String(16), default=AudioStatus.none.value)
    audio_id: Mapped[int | None] = mapped_column(ForeignKey("bulletin_audio.id"))
    audio_job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    audio_error: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'published', 'withdrawn')", name="bulletin_status_valid"
        ),
        CheckConstraint(
            "audio_status IN ('none', 'queued', 'making', 'done', 'failed')",
            name="bulletin_audio_status_valid",
        ),
        Index("ix_bulletins_status_published", "status", "published_at"),
    )


class BulletinAudience(Base):
    """The same shape as `DocumentAudience`, so the documents' audience helpers read it."""

    __tablename__ = "bulletin_audiences"

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    include_subtree: Mapped[bool] = mapped_column(Boolean, default=True)
    role: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        UniqueConstraint("bulletin_id", "unit_id", "role", name="uq_bulletin_audience"),
        Index("ix_bulletin_audiences_unit", "unit_id", "bulletin_id"),
    )


class PodcastToken(Base):
    """The secret of an account's private podcast feed, stored as a SHA-256 hash; revoking
    deletes it, so the old address answers 404."""

    __tablename__ = "podcast_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
