"""`knowledge.index`: bring the index in line with one document's current state.

The job is a reconciliation, not a command: whatever the document is when the job runs decides
what it does (published: index its latest version; draft, withdrawn or deleted: remove it). So
jobs sent for publish, new version and withdraw may run in any order, twice, or after a crash,
and the last one leaves the index right.

Single writer: chroma's PersistentClient and the lexical SQLite file must have one writing
process (several chroma writers corrupt the index). Every write happens inside this job kind,
and the job first takes the one-row `knowledge_index_lease` with a conditional UPDATE (free,
expired, or already its own after a restart); it renews the lease with each checkpoint and
releases it at the end. Two workers therefore never index at once; a killed worker's lease
expires after `stale_after_seconds`, and its job (resumed under the same id) takes it back.

Nothing half-indexed: text is extracted, chunked and every sentence embedded (into the vector
cache, with checkpoints) before the index is touched; the write replaces the document's chunks
in one step, and a write that fails removes the document from both indexes and the database.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import Database, utcnow
from app.core.errors import Forbidden, from_refusal
from app.core.permissions import Actor, Perm
from app.documents.models import Document, DocumentAudience, DocumentStatus, DocumentVersion
from app.documents.service_storage import get_storage
from app.jobs.service_context import JobContext, JobError, JobLost
from app.jobs.service_registry import register_kind
from app.knowledge import service_index
from app.knowledge.models import IndexedChunk, IndexedDocument, IndexLease
from app.knowledge.service_audience import document_tokens
from app.knowledge.service_hooks import INDEX_KIND
from app.summaries import service_hooks as summary_hooks
from app.units.models import Unit
from pipelines.ingest import IngestError, ingest_file
from pipelines.retrieval import HybridIndex, IndexChunk

LEASE_WAIT_SECONDS = 1800.0


class IndexParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_id: int = Field(ge=1)
    # Sentences embedded between checkpoints: bounds what a resumed run repeats.
    batch: int = Field(default=32, ge=1, le=1024)


@dataclass(frozen=True)
class Snapshot:
    document_id: int
    published: bool
    title: str
    version_id: int | None
    sha256: str
    filename: str
    tokens: tuple[int, ...]


def chunk_key(document_id: int, version_id: int, ordinal: int) -> str:
    return f"d{document_id}v{version_id}c{ordinal}"


# -- the lease ------------------------------------------------------------------------------


def take_lease(db: Database, job_id: int, ttl: float) -> bool:
    now = utcnow()
    with db.session() as session:
        res = session.execute(
            update(IndexLease)
            .where(
                IndexLease.id == 1,
                or_(
                    IndexLease.job_id.is_(None),
                    IndexLease.job_id == job_id,
                    IndexLease.expires_at < now,
                ),
            )
            .values(job_id=job_id, expires_at=now + timedelta(seconds=ttl))
            .execution_options(synchronize_session=False)
        )
        return getattr(res, "rowcount", 0) == 1


def release_lease(db: Database, job_id: int) -> None:
    with db.session() as session:
        session.execute(
            update(IndexLease)
            .where(IndexLease.id == 1, IndexLease.job_id == job_id)
            .values(job_id=None, expires_at=None)
            .execution_options(synchronize_session=False)
        )


def _wait_for_lease(ctx: JobContext) -> None:
    deadline = time.monotonic() + LEASE_WAIT_SECONDS
    while not take_lease(ctx.db, ctx.job_id, ctx.settings.stale_after_seconds):
        if time.monotonic() > deadline:
            raise JobError("Hệ thống đang bận lập chỉ mục văn bản khác; hãy thử lại sau")
        ctx.progress(0, "Đang chờ tác vụ lập chỉ mục khác hoàn thành")
        time.sleep(0.5)


def _renew(ctx: JobContext) -> None:
    if not take_lease(ctx.db, ctx.job_id, ctx.settings.stale_after_seconds):
        raise JobLost(ctx.job_id)  # another job holds the lease now: stop writing at once


# -- reading the document -------------------------------------------------------------------


def snapshot(ctx: JobContext, document_id: int) -> Snapshot | None:
    with ctx.read_session() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return None
        version = session.scalar(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == doc.id)
            .order_by(DocumentVersion.version_no.desc())
            .limit(1)
        )
        issuing = session.scalar(select(Unit.path).where(Unit.id == doc.unit_id)) or ""
        rows = session.execute(
            select(
                DocumentAudience.unit_id,
                Unit.path,
                DocumentAudience.include_subtree,
                DocumentAudience.role,
            )
            .join(Unit, Unit.id == DocumentAudience.unit_id)
            .where(DocumentAudience.document_id == doc.id)
        ).all()
        title = f"{doc.number} — {doc.title}" if doc.number else doc.title
        return Snapshot(
            document_id=doc.id,
            published=doc.status == DocumentStatus.published.value and version is not None,
            title=title,
            version_id=version.id if version else None,
            sha256=version.sha256 if version else "",
            filename=version.original_filename if version else "",
            tokens=document_tokens(issuing, [(r[0], r[1], bool(r[2]), r[3]) for r in rows]),
        )


def _extract(settings: Settings, snap: Snapshot) -> list[IndexChunk]:
    assert snap.version_id is not None
    suffix = Path(snap.filename).suffix[:10]
    with tempfile.TemporaryDirectory(prefix="sotay-index-") as tmp:
        path = Path(tmp) / f"document{suffix}"
        with get_storage(settings).open(snap.sha256) as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        _doc, chunks = ingest_file(path, snap.filename, settings.documents)
    return [
        IndexChunk(
            chunk_id=chunk_key(snap.document_id, snap.version_id, c.ordinal),
            document_id=str(snap.document_id),
            text=c.text,
            units=snap.tokens,
            article=c.article,
            headings=tuple(c.headings),
            title=snap.title,
        )
        for c in chunks
    ]


# -- writing --------------------------------------------------------------------------------


def _bump(session: Any) -> int:
    session.execute(
        update(IndexLease)
        .where(IndexLease.id == 1)
        .values(generation=IndexLease.generation + 1)
        .execution_options(synchronize_session=False)
    )
    return service_index.current_generation(session)


def _record(
    db: Database,
    settings: Settings,
    document_id: int,
    *,
    version_id: int | None,
    chunks: Sequence[IndexChunk],
    status: str,
    error: str | None = None,
    replace_chunks: bool = True,
    summarise: bool = False,
    owner_account_id: int | None = None,
) -> None:
    """The database's side of a change to the index, in one transaction; with `summarise`,
    the version's summary job is queued in that transaction too, so it finds the chunks."""
    with db.session() as session:
        if replace_chunks:
            session.execute(delete(IndexedChunk).where(IndexedChunk.document_id == document_id))
            session.add_all(
                IndexedChunk(
                    document_id=document_id,
                    version_id=version_id,
                    chunk_key=c.chunk_id,
                    ordinal=int(c.chunk_id.rsplit("c", 1)[1]),
                    article=c.article[:200],
                    heading=c.headings[-1][:300] if c.headings else "",
                    text=c.text,
                    text_sha256=hashlib.sha256(c.text.encode()).hexdigest(),
                )
                for c in chunks
            )
        row = session.get(IndexedDocument, document_id)
        # A deleted document has nothing left to describe (and no row to point at).
        if row is None and session.get(Document, document_id) is not None:
            row = IndexedDocument(document_id=document_id)
            session.add(row)
        if row is not None:
            if replace_chunks:
                row.version_id = version_id
                row.chunks = len(chunks)
            row.status = status
            row.error = error
            row.updated_at = utcnow()
        session.flush()
        if summarise and version_id is not None:
            summary_hooks.version_indexed(
                session,
                document_id=document_id,
                version_id=version_id,
                owner_account_id=owner_account_id,
            )
        service_index.mark_generation(settings, _bump(session))


def remove_document(db: Database, settings: Settings, index: HybridIndex, document_id: int) -> None:
    index.remove_document(str(document_id))
    _record(db, settings, document_id, version_id=None, chunks=[], status="removed")


def _embed_with_checkpoints(
    ctx: JobContext, index: HybridIndex, chunks: list[IndexChunk], version_id: int, batch: int
) -> None:
    """Embed every sentence into the vector cache, a batch at a time; a resumed attempt starts
    after the last checkpoint (and the cache makes any repeated batch free)."""
    state = ctx.state
    done = int(state.get("chunks_done", 0)) if state.get("version_id") == version_id else 0
    total = len(chunks)
    pending: list[str] = []
    for i in range(done, total):
        pending.extend(text for _, text in chunks[i].sentence_inputs())
        if len(pending) >= batch or i == total - 1:
            index.embeddings.embed_passages(pending)
            pending = []
            _renew(ctx)
            ctx.checkpoint(
                {"version_id": version_id, "chunks_done": i + 1},
                progress=95 * (i + 1) / total,
                message=f"{i + 1}/{total}",
            )


def check_params(session: Session, actor: Actor, unit_id: int, params: IndexParams) -> None:
    """A submitted job names a document the actor sees (else 404, as for a missing one),
    manages, and that was issued in the job's unit subtree (else 403)."""
    from app.documents import service as documents_service

    doc = documents_service.get_document(session, actor=actor, document_id=params.document_id)
    job_unit = session.get(Unit, unit_id)
    doc_unit = session.get(Unit, doc.unit_id)
    inside = (
        job_unit is not None and doc_unit is not None and doc_unit.path.startswith(job_unit.path)
    )
    if not inside or not documents_service.can_manage(session, actor, doc):
        raise Forbidden("Bạn không có quyền thực hiện thao tác này")


@register_kind(
    INDEX_KIND,
    title="Lập chỉ mục văn bản cho Hỏi đáp",
    params=IndexParams,
    perms=(Perm.job_run, Perm.document_manage),
    check=check_params,
)
def run_index(ctx: JobContext, params: IndexParams) -> dict[str, Any]:
    """Index, re-index or remove one document, as its current state says."""
    settings = ctx.db.settings
    _wait_for_lease(ctx)
    try:
        return _run(ctx, params, settings)
    finally:
        if not ctx.lost:
            release_lease(ctx.db, ctx.job_id)


def _summarise_if_missing(ctx: JobContext, document_id: int, version_id: int) -> None:
    """A version indexed before summaries existed gets its summary on its next index run."""
    with ctx.db.session() as session:
        if summary_hooks.needs_summary(session, version_id):
            summary_hooks.version_indexed(
                session,
                document_id=document_id,
                version_id=version_id,
                owner_account_id=ctx.owner_account_id,
            )


def _run(ctx: JobContext, params: IndexParams, settings: Settings) -> dict[str, Any]:
    with ctx.read_session() as session:
        generation = service_index.current_generation(session)
    index = service_index.open_index(settings, generation)
    snap = snapshot(ctx, params.document_id)
    if snap is None or not snap.published or snap.version_id is None:
        remove_document(ctx.db, settings, index, params.document_id)
        return {"document_id": params.document_id, "action": "removed", "chunks": 0}
    with ctx.read_session() as session:
        held = session.get(IndexedDocument, snap.document_id)
        held_state = (held.version_id, held.chunks, held.status) if held else None
    key = str(snap.document_id)
    if (
        held_state is not None
        and held_state[0] == snap.version_id
        and held_state[2] == "indexed"
        and index.lexical.chunk_count(key) == held_state[1]
        and index.store.count_document(key) > 0
    ):
        _summarise_if_missing(ctx, snap.document_id, snap.version_id)
        return {"document_id": snap.document_id, "action": "unchanged", "chunks": held_state[1]}
    ctx.progress(1, "Đang đọc nội dung văn bản")
    try:
        chunks = _extract(settings, snap)
    except IngestError as exc:
        # The index keeps what it had (nothing of this version was written).
        _record(
            ctx.db,
            settings,
            snap.document_id,
            version_id=snap.version_id,
            chunks=[],
            status="failed",
            error=from_refusal(exc).render(),
            replace_chunks=False,
        )
        raise JobError(exc.message, **exc.params) from exc
    _embed_with_checkpoints(ctx, index, chunks, snap.version_id, params.batch)
    _renew(ctx)
    try:
        index.index_documents(chunks)
        _record(
            ctx.db,
            settings,
            snap.document_id,
            version_id=snap.version_id,
            chunks=chunks,
            status="indexed",
            summarise=True,
            owner_account_id=ctx.owner_account_id,
        )
    except Exception:
        # A write cut half-way must not leave a mix of versions: take the document out.
        index.remove_document(key)
        _record(
            ctx.db,
            settings,
            snap.document_id,
            version_id=None,
            chunks=[],
            status="failed",
            error="write failed",
        )
        raise
    return {"document_id": snap.document_id, "action": "indexed", "chunks": len(chunks)}
