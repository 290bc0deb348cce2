"""The Celery app that carries job ids: its configuration, and the one task that runs a job.

Sending needs only the configuration (`make_sender`: web processes, scripts); a worker also
registers `run_job` and the sweeper (`app.worker.make_celery`, which imports every job kind).
"""

from __future__ import annotations

import os
import socket
import threading
from typing import Any

from celery import Celery

from app.core.config import Settings
from app.core.db import Database

RUN_JOB_TASK = "sotay.run_job"


class SotayCelery(Celery):  # type: ignore[misc]
    """A Celery app that also knows its Settings and opens the database lazily, once per process."""

    settings: Settings

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__("sotay", **kwargs)
        self.settings = settings
        self._db: Database | None = None
        self._db_pid: int | None = None
        self._db_lock = threading.Lock()

    def database(self) -> Database:
        # A prefork child must not reuse connections opened by its parent before the fork.
        with self._db_lock:
            if self._db is None or self._db_pid != os.getpid():
                if self._db is not None:
                    # Inherited over fork: drop the parent's pooled connections without
                    # closing them, which would cut the parent's sessions on PostgreSQL.
                    self._db.engine.dispose(close=False)
                self._db = Database(self.settings)
                self._db_pid = os.getpid()
            return self._db


def celery_config(settings: Settings) -> dict[str, Any]:
    """The jobs table holds state and results, so Celery only needs a reliable doorbell."""
    transport_options: dict[str, Any] = {}
    if settings.broker_url.startswith("sqla+sqlite"):
        # These options go to the transport's create_engine(): wait for SQLite's lock (the web
        # process sends while the worker polls) instead of failing after the 5 s default.
        transport_options["connect_args"] = {"timeout": 30}
    return {
        "broker_url": settings.broker_url,
        "broker_transport_options": transport_options,
        "broker_connection_retry_on_startup": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "result_backend": None,
        "task_default_queue": "sotay",
        # A web request must not hang on a broker that is down: the sweeper resends later.
        "task_publish_retry_policy": {
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        "enable_utc": True,
        "timezone": "UTC",
        "worker_send_task_events": False,
    }


def make_sender(settings: Settings) -> SotayCelery:
    """A Celery app that only sends job ids: no task registered, no sweeper."""
    celery = SotayCelery(settings)
    celery.conf.update(celery_config(settings))
    return celery


def register_tasks(celery: SotayCelery) -> None:
    @celery.task(  # type: ignore[untyped-decorator]
        name=RUN_JOB_TASK,
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        ignore_result=True,
    )
    def run_job(self: Any, job_id: int) -> str:
        from app.jobs.service_engine import execute_job

        # The pid tells apart two processes of one prefork worker in the jobs table.
        worker = f"{self.request.hostname or socket.gethostname()}:{os.getpid()}"
        return execute_job(celery.database(), celery.settings.jobs, int(job_id), worker=worker)
