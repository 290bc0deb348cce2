"""Fixtures for job tests that need real commits: a fresh database and data dir per test.

Workers and the job context write in their own transactions, which the rolled-back session
of the main fixtures cannot see, so these tests get a database of their own (SQLite in the
test's tmp_path, or a dedicated PostgreSQL database when SOTAY_TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from app.core.config import DBSettings, JobsSettings, Settings
from app.core.db import Database
from app.core.migrate import upgrade
from app.jobs.models import Job
from app.jobs.service_embedded import worker_env
from tests.conftest import PG_URL, recreate_pg_database
from tests.jobs.fakes import RecordingDispatcher, recording_jobs

REPO = Path(__file__).resolve().parents[2]
# Fast clocks so that recovery happens within seconds; never asserted on.
FAST_JOBS = JobsSettings(
    embedded_worker=False,
    heartbeat_seconds=0.3,
    stale_after_seconds=2.0,
    sweep_every_seconds=0.3,
    requeue_queued_after_seconds=30.0,
    max_attempts=5,
)


@dataclass
class Committed:
    settings: Settings
    db: Database


def _jobs_db_url() -> str:
    if not PG_URL:
        return ""
    url = make_url(PG_URL)
    return url.set(database=f"{url.database}_jobs").render_as_string(hide_password=False)


@pytest.fixture
def committed(tmp_path: Path) -> Iterator[Committed]:
    url = _jobs_db_url()
    if url:
        recreate_pg_database(url)
    settings = Settings(
        env="test", data_dir=tmp_path / "data", db=DBSettings(url=url), jobs=FAST_JOBS
    )
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    try:
        yield Committed(settings, db)
    finally:
        db.dispose()


@pytest.fixture
def dispatcher() -> Iterator[RecordingDispatcher]:
    """Keep the ids of the jobs this test sends (rolled-back tests never commit anyway)."""
    with recording_jobs() as recorder:
        yield recorder


def wait_for(
    predicate: Callable[[], Any], *, timeout: float = 60.0, interval: float = 0.2, what: str = ""
) -> Any:
    """Poll until `predicate` returns something truthy; fail (never hang) after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what or predicate}")


def read_job(db: Database, job_id: int) -> Job:
    with db.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def start_worker(settings: Settings, log: Path, name: str, **env: str) -> subprocess.Popen[bytes]:
    """A real `sotay worker` process, as operators start it."""
    full_env = {**os.environ, **worker_env(settings), **env}
    full_env.pop("SOTAY_WORKER_PARENT_PID", None)
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker", "--pool", "solo", "--hostname", name],
            cwd=REPO,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.kill()
        child.wait(timeout=30)
