"""`sotay worker`: migrate, then run a Celery worker with the job sweeper inside it.

Why a timer thread and not Celery beat: beat would send "sweep" as a message, and a solo
worker busy with a long job would not read it until the job ends, which is exactly when a
sweep is needed elsewhere. Beat (`-B`) also runs as a separate child that a `kill -9` of the
worker leaves behind, and keeps a schedule file. A thread in each worker process sweeps on
time whatever the pool is doing; several workers sweeping at once is safe because every
change is a conditional UPDATE.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Any

from celery import bootsteps

from app.core.config import Settings

log = logging.getLogger(__name__)

# Set by `sotay serve` on its embedded worker, so the worker stops when the server is gone.
PARENT_PID_ENV = "SOTAY_WORKER_PARENT_PID"


class SweeperStep(bootsteps.StartStopStep):  # type: ignore[misc]
    """Worker bootstep: a sweeper thread that lives and dies with the worker."""

    label = "sotay job sweeper"

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.thread: Any = None

    def start(self, worker: Any) -> None:
        from app.jobs.service_dispatch import CeleryDispatcher
        from app.jobs.service_sweeper import SweeperThread

        celery = worker.app
        self.thread = SweeperThread(
            celery.database(), celery.settings.jobs, CeleryDispatcher(celery.settings, celery)
        )
        self.thread.start()

    def stop(self, worker: Any) -> None:
        if self.thread is not None:
            self.thread.stop()
            self.thread = None


def _watch_parent(parent_pid: int) -> None:
    # Our parent is re-assigned (to init) when it dies; then shut down warmly like on SIGTERM.
    while True:
        if os.getppid() != parent_pid:
            log.warning("parent process %s is gone; stopping the worker", parent_pid)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        threading.Event().wait(1.0)


def run_worker(
    settings: Settings,
    *,
    concurrency: int = 1,
    pool: str = "solo",
    beat: bool = True,
    hostname: str | None = None,
) -> None:
    """Run a worker until it is stopped; `beat` turns on the job sweeper in this worker."""
    from app.core.db import Database
    from app.core.migrate import upgrade
    from app.worker import make_celery

    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    db.dispose()

    parent = os.environ.get(PARENT_PID_ENV)
    if parent and parent.isdigit():
        threading.Thread(
            target=_watch_parent, args=(int(parent),), name="parent-watch", daemon=True
        ).start()

    celery = make_celery(settings, sweeper=beat)
    argv = [
        "worker",
        f"--pool={pool}",
        f"--concurrency={max(1, concurrency)}",
        "--loglevel=INFO",
        # The jobs table, not worker-to-worker chatter, is the shared truth; mingle would
        # also wait for replies that the SQLAlchemy transport never broadcasts.
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if hostname:
        argv.append(f"--hostname={hostname}")
    celery.worker_main(argv)
