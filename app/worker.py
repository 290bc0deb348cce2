"""The Celery app, built from Settings on demand; `celery -A app.worker worker` also finds it here.

Nothing is built at import: `app.worker.app` is created on first attribute access from the
environment's settings, and `make_celery(settings)` builds one for explicit settings.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from celery import Celery

from app.core.config import Settings, get_settings
from app.core.db import Database


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


def make_celery(settings: Settings, *, sweeper: bool = True) -> SotayCelery:
    """Build the Celery app for `settings`, with the job task and (in workers) the sweeper."""
    from app.jobs.service_celery import register_tasks

    celery = SotayCelery(settings)
    celery.conf.update(celery_config(settings))
    register_tasks(celery)
    if sweeper:
        from app.jobs.service_runner import SweeperStep

        celery.steps["worker"].add(SweeperStep)
    return celery


_app: SotayCelery | None = None


def __getattr__(name: str) -> Any:
    # `celery -A app.worker` looks up `app` (then `celery`) on this module.
    global _app
    if name in ("app", "celery"):
        if _app is None:
            _app = make_celery(get_settings())
        return _app
    raise AttributeError(name)
