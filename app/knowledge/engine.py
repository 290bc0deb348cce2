"""The process's handle on the index (chroma + lexical + vector cache under data_dir/index).

Writers: only the `knowledge.index` job writes, under the lease (see indexing.py). Readers (web
processes) keep their handle and reload it when the lease row's `generation` has moved on since
they last looked: the lexical postings are in memory, and a chroma client opened in one process
keeps the vector segment it loaded (see `ChromaStore.refresh`), so both are re-opened from disk
after another process wrote.
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.knowledge.models import IndexLease
from pipelines.chunking import CHUNKING_VERSION
from vectorstore.hybrid import HybridIndex
from vectorstore.lexical import LexicalIndex

_lock = threading.Lock()
_handles: dict[Path, tuple[HybridIndex, int]] = {}


def index_dir(settings: Settings) -> Path:
    return (settings.data_dir / "index").resolve()


def current_generation(session: Session) -> int:
    return int(session.scalar(select(IndexLease.generation).where(IndexLease.id == 1)) or 0)


def open_index(settings: Settings, generation: int | None = None) -> HybridIndex:
    """The shared handle, reloaded when `generation` (read from the database) is newer than the
    one it was last loaded at; None means "as it is"."""
    path = index_dir(settings)
    with _lock:
        held = _handles.get(path)
        if held is None:
            index = HybridIndex.open(path, settings, chunking_version=CHUNKING_VERSION)
            _handles[path] = (index, generation or 0)
            return index
        index, seen = held
        if generation is not None and generation != seen:
            # Swapped, not reloaded in place: a search under way in another thread keeps the
            # postings it started with. The embedding model is kept (loading it is the slow part).
            lexical = LexicalIndex(index.lexical.path)
            index.store.refresh()
            index.lexical = lexical
            _handles[path] = (index, generation)
        return index


def mark_generation(settings: Settings, generation: int) -> None:
    """The writer's own handle is current after its write: no reload needed for it."""
    path = index_dir(settings)
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
