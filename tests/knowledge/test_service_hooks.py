"""The index hook rings the process's broker only for a job row in the process's database: a
row committed elsewhere (a test's database, a seeding script's) is left to its own workers."""

from __future__ import annotations

from pathlib import Path

from app.core.config import Settings, get_settings, set_settings
from app.knowledge import service_hooks as hooks
from tests.jobs.conftest import Committed


def test_process_dispatcher_serves_only_the_process_database(
    committed: Committed, tmp_path: Path
) -> None:
    before = get_settings()
    bell = hooks._ProcessDispatcher()
    try:
        with committed.db.session() as session:
            set_settings(committed.settings)
            assert bell.serves(session)
            set_settings(Settings(env="test", data_dir=tmp_path / "elsewhere"))
            assert not bell.serves(session)
    finally:
        set_settings(before)
