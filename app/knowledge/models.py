"""Indexed chunks and per-document index state (the database's record of what the index holds),
the single-writer lease, and each member's private question history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class IndexedDocument(Base):
    """What the index holds for one document: the version indexed (None once removed)."""

    __tablename__ = "knowledge_documents"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_versions.id", ondelete="SET NULL")
    )
    chunks: Mapped[int] = mapped_column(Integer, default=0)
    # indexed | removed | failed; a failed version leaves the previous state in the index.
    status: Mapped[str] = mapped_column(String(16), default="indexed")
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IndexedChunk(Base):
    __tablename__ = "knowledge_chunks"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"))
    # The id in chroma and the lexical index: "d{document}v{version}c{ordinal}".
    chunk_key: Mapped[str] = mapped_column(String(64), unique=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    article: Mapped[str] = mapped_column(String(200), default="")
    # The nearest heading (the article's title), weighed with each sentence when answering.
    heading: Mapped[str] = mapped_column(String(300), default="", server_default="")
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_knowledge_chunks_document", "document_id", "ordinal"),)


class IndexLease(Base):
    """One row: which indexing job may write to chroma and the lexical index right now."""

    __tablename__ = "knowledge_index_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int | None] = mapped_column(Integer)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped after every committed change, so reader processes know to reload their view.
    generation: Mapped[int] = mapped_column(Integer, default=0)


class Question(Base):
    """A question and its answer, readable only by the account that asked it."""

    __tablename__ = "knowledge_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    found: Mapped[bool] = mapped_column(Boolean, default=False)
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_knowledge_questions_account", "account_id", "asked_at"),)
