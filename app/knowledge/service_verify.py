"""`sotay index verify` and `rebuild`: compare the index with the database's record of it, and
queue re-indexing of every published document."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.core.config import Settings
from app.core.db import Database
from app.documents.models import Document, DocumentStatus
from app.knowledge import service_index
from app.knowledge.models import IndexedChunk


@dataclass
class Report:
    ok: bool = True
    documents: int = 0
    chunks: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        self.ok = False
        self.problems.append(text)


def verify(db: Database, settings: Settings) -> Report:
    """Per document: chunks recorded in the database == chunks in the lexical index, the
    vector store holds sentences for exactly the same documents, and every vector comes from
    the configured embedding model."""
    report = Report()
    with db.session(readonly=True) as session:
        generation = service_index.current_generation(session)
        expected = {
            str(doc): int(n)
            for doc, n in session.execute(
                select(IndexedChunk.document_id, func.count()).group_by(IndexedChunk.document_id)
            )
        }
    index = service_index.open_index(settings, generation)
    lexical_docs = index.lexical.document_ids()
    vector_docs = index.store.document_ids()
    for doc in sorted(set(expected) | lexical_docs | vector_docs, key=int):
        want = expected.get(doc, 0)
        lex = index.lexical.chunk_count(doc)
        vec = index.store.count_document(doc)
        if lex != want:
            report.problem(f"document {doc}: database {want} chunks, lexical index {lex}")
        if (vec > 0) != (want > 0):
            report.problem(f"document {doc}: database {want} chunks, vector store {vec} sentences")
    for doc, models in sorted(index.stale_documents().items(), key=lambda kv: int(kv[0])):
        report.problem(
            f"document {doc}: vectors from {', '.join(sorted(m or 'an unrecorded model' for m in models))},"
            f" configured {index.model_id} (run `sotay index rebuild`)"
        )
    report.documents = len(expected)
    report.chunks = sum(expected.values())
    return report


def published_document_ids(db: Database) -> list[tuple[int, int]]:
    """(document id, issuing unit id) of every published document."""
    with db.session(readonly=True) as session:
        return [
            (int(i), int(u))
            for i, u in session.execute(
                select(Document.id, Document.unit_id)
                .where(Document.status == DocumentStatus.published.value)
                .order_by(Document.id)
            )
        ]
