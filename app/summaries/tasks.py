"""`summary.document`: summarise one document version from the chunks the knowledge index
recorded for it (key points, tasks with their deadlines, the short version), offline or with
the configured chat model (falling back offline), and store it on the version's row.

Queued by the index job in the transaction that records the chunks (`service_hooks`), so the
chunks are there when it runs. The summary is stored in the same transaction as the job's last
checkpoint, fenced by the attempt: a worker that lost the job writes nothing, and a job run
again (after a crash, or re-sent) summarises the same chunks into the same row again.
"""

from __future__ import annotations

import logging
import threading
from datetime import date
from typing import Any, Literal

from langchain_core.language_models.chat_models import BaseChatModel
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.errors import Forbidden
from app.core.i18n import N_
from app.core.localtime import LOCAL_TZ
from app.core.permissions import Actor, Perm
from app.documents import service as documents_service
from app.documents.models import Document, DocumentVersion
from app.jobs.models import Job, JobStatus
from app.jobs.service_chat import chat_model
from app.jobs.service_context import JobContext, JobError, JobLost
from app.jobs.service_registry import register_kind
from app.knowledge.models import IndexedChunk
from app.summaries.models import DocumentSummaryRow, SummaryStatus
from app.summaries.service_hooks import SUMMARY_KIND, summary_of_version
from pipelines.minutes.assign import Embedder
from pipelines.summarise import DocumentChunk, DocumentInput, DocumentSummary, summarise
from pipelines.summarise.llm import summarise_with_model
from pipelines.summarise.reading import packaged_embedder

log = logging.getLogger(__name__)

NO_VERSION = N_("Không tìm thấy phiên bản văn bản")
NO_CHUNKS = N_("Phiên bản văn bản này chưa được lập chỉ mục nên chưa tóm tắt được")
FAILED = N_("Không tóm tắt được văn bản")


class SummaryParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_id: int = Field(ge=1)
    version_id: int = Field(ge=1)
    # None: the chat model when one is configured (offline when it fails), else offline.
    mode: Literal["offline", "llm"] | None = None


def check_params(session: Session, actor: Actor, unit_id: int, params: Any) -> None:
    """Submitted by hand (the jobs API): a version of a document the actor sees (else 404, as
    for a missing one) and manages, issued in the job's unit subtree (else 403)."""
    doc, _version = documents_service.get_version(
        session, actor=actor, document_id=params.document_id
    )
    version = session.get(DocumentVersion, params.version_id)
    if version is None or version.document_id != doc.id:
        raise JobError(NO_VERSION)
    if doc.unit_id != unit_id or not documents_service.can_manage(session, actor, doc):
        raise Forbidden("Bạn không có quyền thực hiện thao tác này")


# -- engines, built once per process ---------------------------------------------------------

_MODEL: BaseChatModel | None = None
_EMBEDDERS: dict[str, Embedder | None] = {}
_EMBEDDER_LOCK = threading.Lock()


def use_model(model: BaseChatModel | None) -> None:
    """Swap the chat model (tests); None goes back to the configured one."""
    global _MODEL
    _MODEL = model


def _model(ctx: JobContext, mode: str | None) -> BaseChatModel | None:
    return chat_model(ctx, mode, _MODEL)


def _embedder(ctx: JobContext) -> Embedder | None:
    """The packaged embedding model for the key points' centrality; without it the pipeline
    scores sentences lexically, which is still a summary (so a broken model is not a failure).
    Not the index's cached handle: that cache has one writer, the index job."""
    settings = ctx.db.settings.embeddings
    key = settings.model_dump_json()
    with _EMBEDDER_LOCK:
        if key not in _EMBEDDERS:
            try:
                _EMBEDDERS[key] = packaged_embedder(settings)
            except Exception:  # noqa: BLE001 - any load failure means "lexical scores"
                log.warning(
                    "embedding model not loaded; key points scored lexically", exc_info=True
                )
                _EMBEDDERS[key] = None
        return _EMBEDDERS[key]


# -- reading and storing ---------------------------------------------------------------------


def _issued(doc: Document, version: DocumentVersion) -> date:
    """The day relative deadlines count from: the issue date, else publication, else upload."""
    if doc.issued_on is not None:
        return doc.issued_on
    moment = doc.published_at or version.uploaded_at
    return moment.astimezone(LOCAL_TZ).date()


def document_input(session: Session, *, document_id: int, version_id: int) -> DocumentInput:
    """The pipeline's input from the version's indexed chunks, in reading order; JobError when
    the version is gone or has no chunks."""
    doc = session.get(Document, document_id)
    version = session.get(DocumentVersion, version_id)
    if doc is None or version is None or version.document_id != doc.id:
        raise JobError(NO_VERSION)
    chunks = session.scalars(
        select(IndexedChunk)
        .where(IndexedChunk.document_id == doc.id, IndexedChunk.version_id == version.id)
        .order_by(IndexedChunk.ordinal)
    ).all()
    if not chunks:
        raise JobError(NO_CHUNKS)
    return DocumentInput(
        title=doc.title,
        symbol=doc.number or "",
        issued=_issued(doc, version),
        chunks=[
            DocumentChunk(
                id=c.chunk_key,
                ordinal=c.ordinal,
                text=c.text,
                article=c.article,
                headings=[c.heading] if c.heading else [],
            )
            for c in chunks
        ],
    )


def _store(ctx: JobContext, params: SummaryParams, **values: Any) -> bool:
    """Write the version's row with the job's last checkpoint, fenced by the attempt; False
    when the document or version is gone (its row went with it)."""
    with ctx.db.session() as session:
        res = session.execute(
            update(Job)
            .where(
                Job.id == ctx.job_id, Job.status == JobStatus.running, Job.attempts == ctx.attempt
            )
            .values(state={"stored": True}, progress=99, heartbeat_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if getattr(res, "rowcount", 0) != 1:
            session.rollback()
            raise JobLost(ctx.job_id)
        version = session.get(DocumentVersion, params.version_id)
        if version is None or version.document_id != params.document_id:
            return False
        row = summary_of_version(session, params.version_id)
        if row is None:
            row = DocumentSummaryRow(document_id=params.document_id, version_id=params.version_id)
            session.add(row)
        row.job_id = ctx.job_id
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
    return True


def _summarise(ctx: JobContext, doc: DocumentInput, mode: str | None) -> DocumentSummary:
    model = _model(ctx, mode)
    embedder = _embedder(ctx)
    if model is None:
        return summarise(doc, embedder)
    return summarise_with_model(doc, model, embedder=embedder)


@register_kind(
    SUMMARY_KIND,
    title=N_("Tóm tắt văn bản"),
    params=SummaryParams,
    perms=(Perm.job_run, Perm.document_manage),
    check=check_params,
)
def run_summary(ctx: JobContext, params: SummaryParams) -> dict[str, Any]:
    """Read the version's chunks, summarise them and store the summary (or the failure)."""
    ctx.progress(5, N_("Đang đọc nội dung văn bản đã lập chỉ mục"))
    try:
        with ctx.read_session() as session:
            doc = document_input(
                session, document_id=params.document_id, version_id=params.version_id
            )
        ctx.progress(30, N_("Đang tóm tắt văn bản"))
        summary = _summarise(ctx, doc, params.mode)
    except JobLost:
        raise
    except JobError as exc:
        _store(ctx, params, status=SummaryStatus.failed.value, summary={}, error=exc.render())
        raise
    except Exception as exc:
        # The worker's log keeps the traceback; the row keeps what failed, for operators.
        log.exception("summary of version %s failed", params.version_id)
        error = f"{type(exc).__name__}: {exc}"[:500]
        _store(ctx, params, status=SummaryStatus.failed.value, summary={}, error=error)
        raise JobError(FAILED) from exc
    stored = _store(
        ctx,
        params,
        status=SummaryStatus.ready.value,
        mode=summary.mode,
        summary=summary.model_dump(mode="json"),
        error=None,
    )
    if not stored:
        raise JobError(NO_VERSION)
    return {
        "document_id": params.document_id,
        "version_id": params.version_id,
        "mode": summary.mode,
        "fallback": summary.fallback_reason is not None,
        "key_points": len(summary.key_points),
        "tasks": len(summary.tasks),
    }
