"""The process's handle on the index under data_dir/index, kept by `pipelines.retrieval`.

Writers: only the `knowledge.index` job writes, under the lease (see tasks.py), and bumps the
lease row's `generation` after each write. Readers (web processes) pass the generation they
read here, and the handle re-reads what another process wrote when it has moved on.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.knowledge.models import IndexLease
from pipelines import retrieval
from pipelines.retrieval import HybridIndex


def index_dir(settings: Settings) -> Path:
    return (settings.data_dir / "index").resolve()


def current_generation(session: Session) -> int:
    return int(session.scalar(select(IndexLease.generation).where(IndexLease.id == 1)) or 0)


def open_index(settings: Settings, generation: int | None = None) -> HybridIndex:
    """The shared handle, reloaded when `generation` (read from the database) is newer than the
    one it was last loaded at; None means "as it is"."""
    return retrieval.open_index(index_dir(settings), settings, generation)


def mark_generation(settings: Settings, generation: int) -> None:
    """The writer's own handle is current after its write: no reload needed for it."""
    retrieval.mark_generation(index_dir(settings), generation)


def close_all() -> None:
    """Close every handle (tests, and a process that re-opens the index after a restart)."""
    retrieval.close_all()
