"""The summary job, for real: the index job queues it once the version's chunks are recorded; it
stores the summary ready (offline or by the chat model), or failed with the error; run again it
replaces its version's row, and a new version gets a row of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from sqlalchemy import delete, select

from app.core.permissions import load_actor
from app.jobs.models import Job, JobStatus
from app.knowledge.models import IndexedChunk
from app.knowledge.service_hooks import INDEX_KIND
from app.summaries import service, service_hooks
from app.summaries import tasks as summary_tasks
from app.summaries.models import DocumentSummaryRow
from app.summaries.service_hooks import SUMMARY_KIND
from pipelines.summarise.llm import numbered_sources
from tests.factories.summaries import directive
from tests.jobs.conftest import committed  # noqa: F401 - fixture used by kb
from tests.knowledge.conftest import KB, kb  # noqa: F401 - fixture
from tests.knowledge.test_tasks import publish

SUMMARY = (SUMMARY_KIND,)


@pytest.fixture(autouse=True)
def configured_model() -> Iterator[None]:
    """Each test says which chat model it has; none means the configured one (extractive)."""
    yield
    summary_tasks.use_model(None)


def indexed(kb: KB) -> int:  # noqa: F811
    doc_id = publish(kb, directive().encode(), title="Chỉ thị về sinh hoạt chi bộ")
    assert kb.run_jobs() == ["succeeded"]  # the index job alone
    return doc_id


def row_of(kb: KB, doc_id: int) -> DocumentSummaryRow:  # noqa: F811
    with kb.c.db.session() as s:
        return s.scalars(
            select(DocumentSummaryRow)
            .where(DocumentSummaryRow.document_id == doc_id)
            .order_by(DocumentSummaryRow.id.desc())
        ).first() or pytest.fail("no summary row")


def job(kb: KB, job_id: int | None) -> Job:  # noqa: F811
    with kb.c.db.session() as s:
        found = s.get(Job, job_id)
        assert found is not None
        return found


def test_the_index_queues_the_summary_and_the_job_stores_it_ready(kb: KB) -> None:  # noqa: F811
    doc_id = indexed(kb)
    pending = row_of(kb, doc_id)
    queued = job(kb, pending.job_id)
    assert pending.status == "pending" and pending.summary == {}
    assert queued.kind == SUMMARY_KIND and queued.status == JobStatus.queued
    assert queued.params == {"document_id": doc_id, "version_id": pending.version_id}
    assert kb.sent.sent == [queued.id]  # rung after the index's commit
    assert kb.run_jobs(SUMMARY) == ["succeeded"]
    ready = row_of(kb, doc_id)
    assert (ready.id, ready.status, ready.mode, ready.error) == (
        pending.id,
        "ready",
        "offline",
        None,
    )
    done = job(kb, ready.job_id)
    assert done.status == JobStatus.succeeded and done.progress == 100
    assert done.result is not None and done.result["tasks"] == 5 and not done.result["fallback"]
    with kb.c.db.session() as s:
        keys = set(
            s.scalars(select(IndexedChunk.chunk_key).where(IndexedChunk.document_id == doc_id))
        )
        actor = load_actor(s, kb.org.accounts["mem_a"].id)  # type: ignore[attr-defined]
        assert actor is not None
        view = service.document_summary(s, actor=actor, document_id=doc_id)
    cited = [p["chunk_id"] for p in ready.summary["key_points"]]
    cited += [t["chunk_id"] for t in ready.summary["tasks"]]
    assert cited and set(cited) <= keys
    assert view.status == "ready" and view.tasks[0].for_us and len(view.tasks) == 5


def test_a_version_without_chunks_fails_with_the_reason(kb: KB) -> None:  # noqa: F811
    doc_id = indexed(kb)
    with kb.c.db.session() as s:
        s.execute(delete(IndexedChunk).where(IndexedChunk.document_id == doc_id))
    assert kb.run_jobs(SUMMARY) == ["failed"]
    row = row_of(kb, doc_id)
    assert row.status == "failed" and row.summary == {}
    assert row.error == "Phiên bản văn bản này chưa được lập chỉ mục nên chưa tóm tắt được"
    assert job(kb, row.job_id).error == row.error


def test_a_crash_in_the_pipeline_fails_the_row_not_the_worker(
    kb: KB,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc_id = indexed(kb)

    def boom(*_args: object, **_kw: object) -> None:
        raise RuntimeError("model file missing")

    monkeypatch.setattr(summary_tasks, "summarise", boom)
    assert kb.run_jobs(SUMMARY) == ["failed"]
    row = row_of(kb, doc_id)
    assert row.status == "failed" and row.error == "RuntimeError: model file missing"
    assert job(kb, row.job_id).error == "Không tóm tắt được văn bản"


def test_running_again_replaces_the_versions_row(kb: KB) -> None:  # noqa: F811
    doc_id = indexed(kb)
    assert kb.run_jobs(SUMMARY) == ["succeeded"]
    first = row_of(kb, doc_id)
    with kb.c.db.session() as s:
        s.get(DocumentSummaryRow, first.id).summary = {"stale": True}  # type: ignore[union-attr]
        again = service_hooks.version_indexed(s, document_id=doc_id, version_id=first.version_id)
        assert again is not None
        again_id = again.id
    assert kb.run_jobs(SUMMARY) == ["succeeded"]
    second = row_of(kb, doc_id)
    assert (second.id, second.job_id, second.status) == (first.id, again_id, "ready")
    assert second.summary == first.summary  # the same chunks give the same summary
    with kb.c.db.session() as s:
        rows = s.scalars(select(DocumentSummaryRow).where(DocumentSummaryRow.document_id == doc_id))
        assert len(rows.all()) == 1
    # The finished job sent again (a re-delivered message) does nothing.
    kb.sent.sent.append(first.job_id or 0)
    assert kb.run_jobs(SUMMARY) == ["skipped"]


def test_llm_mode_keeps_only_cited_lines_and_falls_back_offline(kb: KB) -> None:  # noqa: F811
    doc_id = indexed(kb)
    with kb.c.db.session() as s:
        version_id = row_of(kb, doc_id).version_id
        doc = summary_tasks.document_input(s, document_id=doc_id, version_id=version_id)
    sources = numbered_sources(doc)
    n, said = next((i, x.text) for i, x in enumerate(sources, 1) if x.text.startswith("Đảng viên"))
    reply = f"Ý chính:\n- {said} [S{n}]\n- Văn bản này đã bị hủy bỏ [S{n}]\n- Không nguồn.\n"
    summary_tasks.use_model(GenericFakeChatModel(messages=iter([AIMessage(content=reply)])))
    assert kb.run_jobs(SUMMARY) == ["succeeded"]
    row = row_of(kb, doc_id)
    assert row.mode == "llm" and [p["text"] for p in row.summary["key_points"]] == [said]
    # A model that fails gives the offline summary, flagged.
    summary_tasks.use_model(GenericFakeChatModel(messages=iter([])))
    with kb.c.db.session() as s:
        service_hooks.version_indexed(s, document_id=doc_id, version_id=version_id)
    assert kb.run_jobs(SUMMARY) == ["succeeded"]
    row = row_of(kb, doc_id)
    assert row.mode == "offline" and row.summary["fallback_reason"]
    assert len(row.summary["key_points"]) >= 3


def test_the_index_job_is_the_one_that_queues(kb: KB) -> None:  # noqa: F811
    """Publishing queues only the index; the summary follows it, never before its chunks."""
    doc_id = publish(kb, directive().encode(), title="Chỉ thị")
    with kb.c.db.session() as s:
        kinds = s.scalars(select(Job.kind).where(Job.id.in_(kb.sent.sent))).all()
        assert kinds == [INDEX_KIND]
        assert (
            s.scalar(select(DocumentSummaryRow.id).where(DocumentSummaryRow.document_id == doc_id))
            is None
        )


def test_a_version_indexed_before_summaries_gets_one(kb: KB) -> None:  # noqa: F811
    """A version indexed without a summary (before summaries existed) is queued by its next
    index run, which finds the index current, and by `queue_missing` (what `sotay demo` calls)."""
    from app.documents.models import Document
    from app.knowledge import service_hooks as knowledge_hooks

    doc_id = indexed(kb)
    kb.sent.sent.clear()
    with kb.c.db.session() as s:
        s.execute(delete(DocumentSummaryRow))
        assert service_hooks.queue_missing(s) == 1
        s.execute(delete(DocumentSummaryRow))
        doc = s.get(Document, doc_id)
        assert doc is not None
        knowledge_hooks.document_changed(s, doc)
    kb.sent.sent = kb.sent.sent[-1:]  # the index job only
    assert kb.run_jobs() == ["succeeded"]  # "unchanged", and the summary queued
    assert row_of(kb, doc_id).status == "pending"
    assert kb.run_jobs(SUMMARY) == ["succeeded"]
    assert row_of(kb, doc_id).status == "ready"
    with kb.c.db.session() as s:
        assert service_hooks.queue_missing(s) == 0
