"""Called by the `knowledge.index` job once it has recorded a version's chunks: mark the
version's summary pending and queue the `summary.document` job that writes it.

The job row and the pending summary row are written in the index job's own transaction (the
one that records the chunks), so a crash leaves either both the chunks and a queued summary
job or neither; the sweeper re-sends a queued job whose message was lost. Named here, not in
tasks.py: tasks imports the pipeline and the knowledge models, and the index job imports this.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.documents.models import Document
from app.jobs.models import Job, JobStatus
from app.jobs.service import QUEUED_MESSAGE
from app.knowledge import service_hooks as knowledge_hooks
from app.knowledge.models import IndexedDocument
from app.summaries.models import DocumentSummaryRow, SummaryStatus

SUMMARY_KIND = "summary.document"


def summary_of_version(session: Session, version_id: int) -> DocumentSummaryRow | None:
    return session.scalar(
        select(DocumentSummaryRow).where(DocumentSummaryRow.version_id == version_id)
    )


def version_indexed(
    session: Session,
    *,
    document_id: int,
    version_id: int,
    owner_account_id: int | None = None,
) -> Job | None:
    """Queue the summary of a version whose chunks are now in `knowledge_chunks`; None when
    the document is gone. A version summarised before is summarised again (the row is kept,
    its content replaced when the job finishes)."""
    doc = session.get(Document, document_id)
    if doc is None:
        return None
    now = utcnow()
    job = Job(
        kind=SUMMARY_KIND,
        owner_account_id=owner_account_id,
        unit_id=doc.unit_id,
        status=JobStatus.queued,
        progress=0,
        message=QUEUED_MESSAGE,
        params={"document_id": document_id, "version_id": version_id},
        state={},
        attempts=0,
        created_at=now,
        heartbeat_at=now,
    )
    session.add(job)
    session.flush()
    row = summary_of_version(session, version_id)
    if row is None:
        row = DocumentSummaryRow(document_id=document_id, version_id=version_id, summary={})
        session.add(row)
    row.status = SummaryStatus.pending.value
    row.job_id = job.id
    row.error = None
    session.flush()
    knowledge_hooks.ring(session, job.id)
    return job


def needs_summary(session: Session, version_id: int) -> bool:
    """Whether a version already in the index has no summary row yet (indexed before
    summaries existed, or its summary job was never queued)."""
    return summary_of_version(session, version_id) is None


def queue_missing(session: Session) -> int:
    """Queue the summary of every version the index holds without one (indexed before
    summaries existed: `sotay demo` run again on an older data folder); how many were queued."""
    missing = session.execute(
        select(IndexedDocument.document_id, IndexedDocument.version_id).where(
            IndexedDocument.status == "indexed",
            IndexedDocument.version_id.is_not(None),
            ~exists().where(DocumentSummaryRow.version_id == IndexedDocument.version_id),
        )
    ).all()
    for document_id, version_id in missing:
        if version_id is not None:  # the query wants one; the column type allows none
            version_indexed(session, document_id=document_id, version_id=version_id)
    return len(missing)
