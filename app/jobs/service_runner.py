"""The job sweeper inside a Celery worker: a bootstep that starts and stops its thread.

Why a timer thread and not Celery beat: beat would send "sweep" as a message, and a solo
worker busy with a long job would not read it until the job ends, which is exactly when a
sweep is needed elsewhere. Beat (`-B`) also runs as a separate child that a `kill -9` of the
worker leaves behind, and keeps a schedule file. A thread in each worker process sweeps on
time whatever the pool is doing; several workers sweeping at once is safe because every
change is a conditional UPDATE.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import bootsteps

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
