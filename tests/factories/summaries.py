"""Summary factories: a ward directive with tasks for cells, secretaries, members and the ward
committee; its chunks recorded as the knowledge index records them (without chroma), and its
summary by the real pipeline, stored as the summary job stores it."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.localtime import local_today
from app.documents.models import Document, DocumentVersion
from app.knowledge.models import IndexedChunk, IndexedDocument
from app.knowledge.tasks import chunk_key
from app.summaries.models import DocumentSummaryRow, SummaryStatus
from app.summaries.tasks import document_input
from pipelines.ingest import ingest_file
from pipelines.summarise import summarise

# Absolute dates fall next year, so the tasks stay adoptable whatever day the tests run.
YEAR = local_today().year + 1


def directive(extra: str = "") -> str:
    """A directive of the ward: the cells (Điều 3), the cell secretaries (4), the members (5)
    and the ward committee (6) each get a task with a deadline; `extra` is one more article."""
    return (
        "Chương I. MỤC ĐÍCH, YÊU CẦU\n"
        "Điều 1. Mục đích\n"
        "Nâng cao chất lượng sinh hoạt chi bộ, gắn việc học tập nghị quyết với nhiệm vụ chính "
        "trị của địa phương.\n"
        "Điều 2. Yêu cầu\n"
        "Việc triển khai phải thiết thực, đúng tiến độ, có kiểm tra, đánh giá kết quả.\n"
        "Chương II. NHIỆM VỤ\n"
        "Điều 3. Nhiệm vụ của các chi bộ\n"
        "1. Các chi bộ tổ chức học tập, quán triệt Nghị quyết cho toàn thể đảng viên trước "
        f"ngày 15 tháng 3 năm {YEAR}.\n"
        "2. Các chi bộ gửi báo cáo kết quả sinh hoạt chuyên đề về Văn phòng Đảng ủy phường "
        "định kỳ hằng quý.\n"
        "Điều 4. Nhiệm vụ của bí thư chi bộ\n"
        "Bí thư chi bộ xây dựng kế hoạch sinh hoạt chuyên đề trong thời hạn 30 ngày kể từ "
        "ngày ký.\n"
        "Điều 5. Nhiệm vụ của đảng viên\n"
        "Đảng viên viết bản thu hoạch cá nhân sau khi học tập nghị quyết, nộp cho chi bộ chậm "
        f"nhất ngày 30 tháng 4 năm {YEAR}.\n"
        "Điều 6. Tổ chức thực hiện\n"
        "Đảng ủy phường kiểm tra, giám sát việc thực hiện Chỉ thị này và sơ kết trong quý II "
        f"năm {YEAR}.\n" + extra
    )


def index_chunks(session: Session, settings: Settings, doc: Document) -> list[IndexedChunk]:
    """Record the newest version's chunks as the index job does (same extraction, same keys),
    without the vector store: enough for the summary and its citations."""
    version = session.scalars(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == doc.id)
        .order_by(DocumentVersion.version_no.desc())
    ).first()
    assert version is not None
    from app.documents.service_storage import get_storage

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / version.original_filename
        with get_storage(settings).open(version.sha256) as src:
            path.write_bytes(src.read())
        _extracted, chunks = ingest_file(path, version.original_filename, settings.documents)
    rows = [
        IndexedChunk(
            document_id=doc.id,
            version_id=version.id,
            chunk_key=chunk_key(doc.id, version.id, c.ordinal),
            ordinal=c.ordinal,
            article=c.article[:200],
            heading=c.headings[-1][:300] if c.headings else "",
            text=c.text,
            text_sha256=hashlib.sha256(c.text.encode()).hexdigest(),
        )
        for c in chunks
    ]
    session.add_all(rows)
    held = session.get(IndexedDocument, doc.id) or IndexedDocument(document_id=doc.id)
    held.version_id, held.chunks, held.status = version.id, len(rows), "indexed"
    session.add(held)
    session.flush()
    return rows


def store_summary(session: Session, doc: Document) -> DocumentSummaryRow:
    """The newest version's summary by the offline pipeline (lexical scores: no model to load),
    stored ready as the job stores it."""
    version_id = session.scalar(
        select(IndexedChunk.version_id).where(IndexedChunk.document_id == doc.id).limit(1)
    )
    assert version_id is not None
    summary = summarise(document_input(session, document_id=doc.id, version_id=version_id))
    row = DocumentSummaryRow(
        document_id=doc.id,
        version_id=version_id,
        status=SummaryStatus.ready.value,
        mode=summary.mode,
        summary=summary.model_dump(mode="json"),
    )
    session.add(row)
    session.flush()
    return row
