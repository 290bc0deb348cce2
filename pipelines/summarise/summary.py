"""`summarise(doc)`: the offline summary of a document (key points, tasks, short version), every
part citing the chunks it came from. LLM mode is `pipelines.summarise.llm.summarise_with_model`."""

from __future__ import annotations

from pipelines.minutes.assign import Embedder
from pipelines.summarise.keypoints import document_sentences, instruction, key_points
from pipelines.summarise.models import DocumentInput, DocumentSummary, Task
from pipelines.summarise.plain import short_version
from pipelines.summarise.tasks import extract_tasks

__all__ = ["document_tasks", "summarise"]


def document_tasks(doc: DocumentInput) -> list[Task]:
    """The document's tasks, without any sentence that speaks to a summariser."""
    return [t for t in extract_tasks(doc) if not instruction(t.text)]


def summarise(doc: DocumentInput, embedder: Embedder | None = None) -> DocumentSummary:
    """Key points by centrality and coverage (the packaged embeddings when `embedder` is given,
    the lexical scores otherwise), the tasks with their deadlines, and the short version."""
    points = key_points(doc, embedder, sentences=document_sentences(doc))
    tasks = document_tasks(doc)
    return DocumentSummary(key_points=points, tasks=tasks, short=short_version(points, tasks))
