"""A document's summary for one reader, their own tasks first, and a summary task turned into a
unit task that keeps its clause.

Both functions find the document through the documents service (`get_version`), so a document
the reader cannot see answers exactly as a missing one. Reading a summary is not audited:
reading a document is not either (only downloads are).
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.errors import Invalid, NotFound
from app.core.i18n import N_
from app.core.localtime import local_today
from app.core.permissions import Actor, Perm
from app.documents import service as documents_service
from app.documents.models import Document, DocumentStatus, DocumentVersion
from app.knowledge.models import IndexedChunk, IndexedDocument
from app.knowledge.service import passage_url
from app.summaries import service_readers as readers
from app.summaries.models import DocumentSummaryRow, SummaryStatus
from app.summaries.schemas import (
    ClauseRef,
    DeadlineView,
    KeyPointView,
    PlainSentenceView,
    SummaryTaskView,
    SummaryView,
    ViewStatus,
)
from app.summaries.service_hooks import summary_of_version
from app.tasks import service as tasks_service
from app.tasks.models import Task, TaskSource
from app.tasks.schemas import TaskCreate
from app.units import service as units_service
from pipelines.summarise import DocumentSummary
from pipelines.summarise import Task as SummaryTask

NO_TASK = N_("Không tìm thấy nhiệm vụ trong bản tóm tắt văn bản")
NO_DATE = N_("Nhiệm vụ này không có hạn cụ thể; hãy chọn hạn hoàn thành")
PAST_DATE = N_("Hạn hoàn thành không được trước ngày bắt đầu")
DESCRIPTION_MAX = 4000  # TaskCreate's limit


def clause(document_id: int, chunk_key: str, article: str) -> ClauseRef:
    """The link to a cited chunk on the document page (the ordinal ends its key: "d1v2c7")."""
    ordinal = chunk_key.rsplit("c", 1)[-1]
    url = (
        passage_url(document_id, int(ordinal)) if ordinal.isdigit() else f"/documents/{document_id}"
    )
    return ClauseRef(chunk_key=chunk_key, article=article, url=url)


def _stored(row: DocumentSummaryRow) -> DocumentSummary | None:
    """The stored summary, or None when the JSON does not read as one (an older shape)."""
    try:
        return DocumentSummary.model_validate(row.summary)
    except ValidationError:
        return None


def _version_chunks(session: Session, version_id: int) -> set[str]:
    return set(
        session.scalars(select(IndexedChunk.chunk_key).where(IndexedChunk.version_id == version_id))
    )


def _status_without_row(session: Session, doc: Document, version: DocumentVersion) -> ViewStatus:
    """No summary row yet: pending while the index has still to record this version (its job
    queues the summary), failed when indexing it failed, else none."""
    held = session.get(IndexedDocument, doc.id)
    if held is None:
        return "pending"
    if held.status == "failed":
        return "failed"
    if held.version_id == version.id and held.status == "indexed":
        return "none"  # indexed before summaries existed: summarised on its next index run
    return "pending"


def _deadline(task: SummaryTask) -> DeadlineView | None:
    d = task.deadline
    if d is None:
        return None
    every = d.every.value if d.every is not None else None
    return DeadlineView(text=d.text, due=d.due, start=d.start, every=every, day=d.day)


def _tasks(
    doc: Document, summary: DocumentSummary, chunks: set[str], ours: set[str]
) -> list[SummaryTaskView]:
    out = []
    for index, task in enumerate(summary.tasks):
        if task.chunk_id not in chunks:
            continue  # cites no clause of this version: never shown
        kind = task.responsible_kind.value if task.responsible_kind is not None else None
        out.append(
            SummaryTaskView(
                **clause(doc.id, task.chunk_id, task.article).model_dump(),
                index=index,
                text=task.text,
                action=task.action,
                responsible=task.responsible,
                responsible_kind=kind,
                deadline=_deadline(task),
                for_us=kind is not None and kind in ours,
            )
        )
    # The reader's own tasks first; each group keeps the document's order.
    return sorted(out, key=lambda t: not t.for_us)


def document_summary(session: Session, *, actor: Actor, document_id: int) -> SummaryView:
    """The summary of the newest version of a published document the actor may see (404 as
    for a missing document otherwise), with the tasks that fall to the reader first."""
    doc, version = documents_service.get_version(session, actor=actor, document_id=document_id)
    view = SummaryView(
        document_id=doc.id,
        version_id=version.id,
        version_no=version.version_no,
        status="none",
        can_adopt=actor.has_any(Perm.task_manage),
    )
    if doc.status != DocumentStatus.published.value:
        return view  # drafts and withdrawn documents are not summarised for readers
    row = summary_of_version(session, version.id)
    if row is None:
        view.status = _status_without_row(session, doc, version)
        return view
    view.job_id, view.updated_at, view.mode = row.job_id, row.updated_at, row.mode
    summary = _stored(row) if row.status == SummaryStatus.ready.value else None
    if summary is None:
        view.status = "pending" if row.status == SummaryStatus.pending.value else "failed"
        return view
    chunks = _version_chunks(session, version.id)
    view.status = "ready"
    view.fallback = summary.fallback_reason is not None
    view.key_points = [
        KeyPointView(**clause(doc.id, p.chunk_id, p.article).model_dump(), text=p.text)
        for p in summary.key_points
        if p.chunk_id in chunks
    ]
    view.tasks = _tasks(doc, summary, chunks, readers.party_kinds(session, actor, doc))
    articles = {p.chunk_id: p.article for p in summary.key_points}
    articles.update({t.chunk_id: t.article for t in summary.tasks})
    view.short = [
        PlainSentenceView(
            text=s.text,
            sources=[clause(doc.id, c, articles.get(c, "")) for c in s.chunk_ids if c in chunks],
        )
        for s in summary.short
        if any(c in chunks for c in s.chunk_ids)
    ]
    return view


def _summary_task(
    session: Session, *, actor: Actor, document_id: int, task_index: int
) -> tuple[Document, DocumentVersion, SummaryTask]:
    """A task of the ready summary of a document the actor sees; 404 otherwise."""
    doc, version = documents_service.get_version(session, actor=actor, document_id=document_id)
    row = summary_of_version(session, version.id)
    if (
        doc.status != DocumentStatus.published.value
        or row is None
        or row.status != SummaryStatus.ready.value
    ):
        raise NotFound(NO_TASK)
    summary = _stored(row)
    if summary is None or not 0 <= task_index < len(summary.tasks):
        raise NotFound(NO_TASK)
    task = summary.tasks[task_index]
    if task.chunk_id not in _version_chunks(session, version.id):
        raise NotFound(NO_TASK)
    return doc, version, task


def _description(task: SummaryTask) -> str:
    text = (task.action or task.text).strip()
    text = text[:1].upper() + text[1:]
    return text[:DESCRIPTION_MAX]


def adopt_task(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    document_id: int,
    task_index: int,
    unit_id: int,
    assignee_member_id: int,
    due_date: date | None = None,
) -> Task:
    """Turn a task of a document's summary into a unit task through the tasks service, keeping
    the clause it came from; due by the parsed deadline unless `due_date` is given."""
    doc, version, item = _summary_task(
        session, actor=actor, document_id=document_id, task_index=task_index
    )
    # What creating a task in the unit needs (the tasks service checks it again), asked before
    # the date so that someone who may not assign tasks there learns nothing more.
    units_service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.task_manage)
    due = due_date or (item.deadline.due if item.deadline is not None else None)
    if due is None:
        raise Invalid(NO_DATE, details=[{"field": "due_date", "message": NO_DATE}])
    start = local_today()
    if due < start:
        raise Invalid(PAST_DATE, details=[{"field": "due_date", "message": PAST_DATE}])
    try:
        data = TaskCreate(
            unit_id=unit_id,
            assignee_member_id=assignee_member_id,
            description=_description(item),
            start_date=start,
            due_date=due,
            source_type=TaskSource.document,
            source_id=doc.id,
        )
    except ValidationError as exc:  # a stored task without words: bad input, not a crash
        raise Invalid(NO_TASK) from exc
    task = tasks_service.create_task(session, ctx, actor=actor, data=data)
    task.source_chunk_key = item.chunk_id
    task.source_article = item.article[:200] or None
    session.flush()
    audit.record(
        session,
        ctx,
        "task.adopt",
        object_type="task",
        object_id=task.id,
        unit_id=task.unit_id,
        detail={
            "document_id": doc.id,
            "version_id": version.id,
            "task_index": task_index,
            "chunk_key": item.chunk_id,
        },
    )
    return task
