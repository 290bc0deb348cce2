"""Retrieval for the app: the process's handle on the hybrid index (chroma, lexical postings and
the vector cache under one folder), and search limited to what an asker's audience tokens reach.

Writers: only the app's index job writes, under its lease. Readers (web processes) keep their
handle and reload it when the lease's `generation` has moved on since they last looked: the
lexical postings are in memory, and a chroma client opened in one process keeps the vector
segment it loaded (see `ChromaStore.refresh`), so both are re-read after another process wrote.
The app reads the generation from its database and passes it in; nothing here knows the app.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from pathlib import Path

import numpy as np

from pipelines.chunking import CHUNKING_VERSION
from vectorstore.chunks import Hit, IndexChunk
from vectorstore.config import VectorSettings
from vectorstore.embeddings import CachedEmbeddings
from vectorstore.hybrid import HybridIndex

# The index's own types, named here so that the app reaches the vector store only through
# this package (`lint-imports` holds it to that).
__all__ = [
    "Hit",
    "HybridIndex",
    "IndexChunk",
    "QuerySimilarity",
    "close_all",
    "embed_query",
    "mark_generation",
    "open_index",
    "retrieve",
]

_lock = threading.Lock()
_handles: dict[Path, tuple[HybridIndex, int]] = {}


def open_index(path: Path, settings: VectorSettings, generation: int | None = None) -> HybridIndex:
    """The shared handle on the index under `path`, reloaded when `generation` (the writer's
    counter, read by the caller) is newer than the one it was last loaded at; None means "as
    it is"."""
    path = path.resolve()
    with _lock:
        held = _handles.get(path)
        if held is None:
            index = HybridIndex.open(path, settings, chunking_version=CHUNKING_VERSION)
            _handles[path] = (index, generation or 0)
            return index
        index, seen = held
        if generation is not None and generation != seen:
            index.reload()
            _handles[path] = (index, generation)
        return index


def mark_generation(path: Path, generation: int) -> None:
    """The writer's own handle is current after its write: no reload needed for it."""
    path = path.resolve()
    with _lock:
        held = _handles.get(path)
        if held is not None:
            _handles[path] = (held[0], generation)


def close_all() -> None:
    """Close every handle (tests, and a process that re-opens the index after a restart)."""
    with _lock:
        for index, _ in _handles.values():
            index.close()
        _handles.clear()


def embed_query(index: HybridIndex, question: str) -> np.ndarray:
    """The question's embedding, made once for the search and the answer step."""
    vector: np.ndarray = index.embeddings.embed_query_array(question)
    return vector


def retrieve(
    index: HybridIndex,
    question: str,
    *,
    audience: Collection[int],
    k: int,
    query_vector: np.ndarray | None = None,
) -> list[Hit]:
    """The `k` best chunks sharing at least one audience token with the asker. No token, no
    chunk: an empty set must never reach the index, where it would mean "no filter". The
    tokens are a pre-filter; the app re-checks every hit against its permission rules."""
    if not audience:
        return []
    return index.search(
        question, k=k, allowed_unit_ids=set(audience), snippets=False, query_vector=query_vector
    )


class QuerySimilarity:
    """The question's cosine with a sentence, as the answer step calibrates it: the bare
    sentence (the index embeds it with its context). A sentence is embedded only if the answer
    step asks, read through the vector cache, which a reader never writes."""

    def __init__(self, index: HybridIndex, query_vector: np.ndarray) -> None:
        self.index = index
        self.query_vector = query_vector

    def __call__(self, sentence: str) -> float:
        embeddings = self.index.embeddings
        if isinstance(embeddings, CachedEmbeddings):
            vector = embeddings.embed_passages([sentence], remember=False)[0]
        else:
            vector = embeddings.embed_passages([sentence])[0]
        return float(self.query_vector @ vector)
