"""A file as the summary's input: text through the ingest and chunking pipeline the knowledge
index uses, the symbol ("Số 05-CT/ĐU") and issue date ("…, ngày 15 tháng 9 năm 2025") read
from its header; and the packaged embedder, for callers above the pipelines."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.summarise.models import DocumentChunk, DocumentInput

if TYPE_CHECKING:
    from pipelines.minutes.assign import Embedder
    from vectorstore.config import EmbeddingSettings

__all__ = ["packaged_embedder", "read_document"]

_SYMBOL = re.compile(r"(?:^|\n)\s*Số[:\s]+(\d{1,5}[-/][\w/Đđ-]+)")
_ISSUED = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_HEADER_CHARS = 800


def _title(blocks: list[str]) -> str:
    """The document type and subject in capitals after the header ("CHỈ THỊ VỀ …")."""
    caps = [b for b in blocks[:12] if b.isupper() and len(b) > 3 and not b.startswith("ĐẢNG")]
    return " ".join(caps[:2]).capitalize() if caps else ""


def read_document(path: Path, *, issued: dt.date | None = None) -> DocumentInput:
    """The file's chunks with ids c1, c2, …; `issued` when given, else the header's date, else
    today. Raises `pipelines.ingest.IngestError` for a file the upload would refuse."""
    from pipelines.ingest import ingest_file

    extracted, chunks = ingest_file(path, path.name)
    blocks = [text for text, _ in extracted.blocks]
    header = "\n".join(blocks)[:_HEADER_CHARS]
    if issued is None:
        found = _ISSUED.search(header)
        issued = dt.date(*(int(found.group(i)) for i in (3, 2, 1))) if found else dt.date.today()
    symbol = _SYMBOL.search(header)
    return DocumentInput(
        title=extracted.title or _title(blocks) or path.stem,
        symbol=symbol.group(1) if symbol else "",
        issued=issued,
        chunks=[DocumentChunk(id=f"c{c.ordinal}", **c.model_dump()) for c in chunks],
    )


def packaged_embedder(settings: EmbeddingSettings | None = None) -> Embedder:
    """The configured embedding provider (the packaged e5 by default), loaded on first use."""
    from vectorstore.config import EmbeddingSettings
    from vectorstore.embeddings import make_embeddings

    provider: Embedder = make_embeddings(settings or EmbeddingSettings())
    return provider
