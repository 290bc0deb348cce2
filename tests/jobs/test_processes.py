"""Real worker processes: the embedded broker end to end, a SIGKILL mid-job, and Redis."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.permissions import load_actor
from app.jobs import service
from app.jobs.models import JobStatus
from app.jobs.service_dispatch import CeleryDispatcher
from app.jobs.service_embedded import start_embedded_worker, stop_embedded_worker
from tests.factories.org import build_org
from tests.jobs.conftest import Committed, read_job, start_worker, stop, wait_for

pytestmark = [
    pytest.mark.slow,
    # kombu's SQLAlchemy transport still uses a loader option that SQLAlchemy 2.1 deprecates.
    pytest.mark.filterwarnings("ignore:The ``noload`` loader strategy is deprecated"),
]

REDIS_URL = os.environ.get("SOTAY_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def submit(c: Committed, kind: str, params: dict[str, Any]) -> int:
    """Submit as a request would: commit, then the message goes to the settings' broker."""
    with c.db.session() as session:
        org = build_org(session)
        actor = load_actor(session, org.accounts["admin"].id)
        assert actor is not None
        job, _ = service.submit_job(
            session,
            AuditContext(),
            actor=actor,
            kind=kind,
            params=params,
            unit_id=org.units["C"].id,
            dispatcher=CeleryDispatcher(c.settings),
        )
        return job.id


def finished(c: Committed, job_id: int) -> bool:
    return read_job(c.db, job_id).status in service.FINISHED


def test_embedded_worker_runs_a_report_end_to_end(committed: Committed) -> None:
    job_id = submit(committed, "units.report", {})
    child = start_embedded_worker(committed.settings)
    try:
        wait_for(lambda: finished(committed, job_id), what="the report job to finish")
        job = read_job(committed.db, job_id)
        assert job.status == JobStatus.succeeded, job.error
        assert job.progress == 100 and job.attempts == 1
        assert job.result is not None and job.result["totals"]["total"] == 9
    finally:
        stop_embedded_worker(child, timeout=20)
    # serve's shutdown path leaves no worker behind.
    assert child.poll() is not None


def test_worker_killed_mid_job_resumes_from_checkpoint_once(
    committed: Committed, tmp_path: Path
) -> None:
    log = tmp_path / "workers.log"
    first = start_worker(committed.settings, log, "first@%h")
    second: subprocess.Popen[bytes] | None = None
    try:
        job_id = submit(committed, "system.selftest", {"steps": 20, "step_seconds": 0.2})
        wait_for(
            lambda: read_job(committed.db, job_id).progress > 0,
            what="the self-test to make progress",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        killed_at = read_job(committed.db, job_id)
        assert killed_at.status == JobStatus.running
        second = start_worker(committed.settings, log, "second@%h")
        wait_for(lambda: finished(committed, job_id), what="the resumed self-test to finish")
        job = read_job(committed.db, job_id)
        assert job.status == JobStatus.succeeded, (job.error, log.read_text()[-3000:])
        assert job.attempts == 2
        result = job.result
        assert result is not None
        # Counted each step exactly once, and the second attempt began at the saved step.
        assert result["counter"] == 20
        assert result["starts"][0] == 0 and result["starts"][1] >= killed_at.state["step"] > 0
        assert result["attempt"] == 2 and result["worker"].startswith("second@")
    finally:
        stop(first)
        if second is not None:
            stop(second)


@pytest.mark.redis
def test_redis_worker_runs_a_job_end_to_end(committed: Committed, tmp_path: Path) -> None:
    import redis

    base = committed.settings
    settings = Settings(
        env="test",
        data_dir=base.data_dir,
        db=base.db,
        jobs=base.jobs.model_copy(update={"broker_url": REDIS_URL}),
    )
    # Messages left in the queue by an earlier run are harmless (claims are idempotent) but
    # would make this run slower to reach its own job.
    redis.Redis.from_url(REDIS_URL).delete("sotay")
    redis_side = Committed(settings, committed.db)
    assert settings.broker_url == REDIS_URL
    job_id = submit(redis_side, "units.report", {})
    worker = start_worker(settings, tmp_path / "redis-worker.log", "redis@%h")
    try:
        wait_for(lambda: finished(redis_side, job_id), what="the job on Redis to finish")
        job = read_job(committed.db, job_id)
        assert job.status == JobStatus.succeeded, job.error
        assert job.progress == 100 and job.result is not None
    finally:
        stop(worker)
