"""The Celery worker app, built from Settings on demand; `celery -A app.worker worker` finds it here.

Nothing is built at import: `app.worker.app` is created on first attribute access from the
environment's settings, and `make_celery(settings)` builds one for explicit settings. Importing
this module imports `app.kinds`, so every job kind and periodic step is registered in a worker.

`sotay worker` (`run_worker`) migrates, then runs a worker with the job sweeper inside it.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Any

from app import kinds
from app.core.config import Settings, get_settings
from app.jobs.service_celery import SotayCelery, make_sender, register_tasks
from app.jobs.service_runner import PARENT_PID_ENV, SweeperStep

log = logging.getLogger(__name__)
# Imported for their registrations; listed so that the import is not "unused".
KIND_MODULES = kinds.KIND_MODULES


def make_celery(settings: Settings, *, sweeper: bool = True) -> SotayCelery:
    """Build the Celery app for `settings`, with the job task and (in workers) the sweeper."""
    celery = make_sender(settings)
    register_tasks(celery)
    if sweeper:
        celery.steps["worker"].add(SweeperStep)
    return celery


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


_app: SotayCelery | None = None


def __getattr__(name: str) -> Any:
    # `celery -A app.worker` looks up `app` (then `celery`) on this module.
    global _app
    if name in ("app", "celery"):
        if _app is None:
            _app = make_celery(get_settings())
        return _app
    raise AttributeError(name)
