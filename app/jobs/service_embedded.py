"""The worker that `sotay serve` runs beside the web app by default: one solo process, local broker."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from typing import Any

from app.core.config import Settings
from app.jobs.service_runner import PARENT_PID_ENV

log = logging.getLogger(__name__)

_previous_sigterm: Any = None


def worker_env(settings: Settings) -> dict[str, str]:
    """Environment that makes a child process read the same settings as `settings`."""
    env = {
        "SOTAY_ENV": settings.env,
        "SOTAY_DATA_DIR": str(settings.data_dir.resolve()),
        "SOTAY_DB__URL": settings.database_url,
        "SOTAY_JOBS__BROKER_URL": settings.broker_url,
        "SOTAY_AUTH__SECRET_KEY": settings.auth.secret_key,
        "SOTAY_VOTES__BALLOT_KEY": settings.votes.ballot_key,
    }
    for name, value in settings.jobs.model_dump().items():
        if name != "broker_url":
            env[f"SOTAY_JOBS__{name.upper()}"] = str(value)
    return env


def start_embedded_worker(settings: Settings) -> subprocess.Popen[bytes]:
    """Start one `sotay worker --pool solo` child on the configured (by default local) broker."""
    env = {**os.environ, **worker_env(settings), PARENT_PID_ENV: str(os.getpid())}
    cmd = [
        sys.executable,
        "-m",
        "app.cli",
        "worker",
        "--pool",
        "solo",
        "--hostname",
        f"embedded-{os.getpid()}@%h",
    ]
    child = subprocess.Popen(cmd, env=env)
    log.info("embedded worker started (pid %s)", child.pid)
    _exit_on_sigterm()
    return child


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so that `serve` reaches `stop_embedded_worker`.

    uvicorn re-raises the SIGTERM it caught once its own shutdown is done; with the default
    action the process would die on the spot and skip its `finally`. (The worker also stops
    by itself when it sees its parent gone, but a clean stop is better than an orphan.)
    """
    global _previous_sigterm
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        _previous_sigterm = signal.signal(signal.SIGTERM, _raise_exit)


def _raise_exit(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def stop_embedded_worker(child: subprocess.Popen[bytes], timeout: float = 15.0) -> int:
    """Ask the worker to stop (warm shutdown); kill it if a job keeps it busy past `timeout`.

    Killing is safe: the job's row goes stale and the next worker resumes it from its checkpoint.
    """
    global _previous_sigterm
    if _previous_sigterm is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _previous_sigterm)
        _previous_sigterm = None
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log.warning("embedded worker %s did not stop in %ss; killing it", child.pid, timeout)
            child.kill()
            child.wait(timeout=timeout)
    return child.returncode
