"""A `uvicorn` server of its own for the API fuzz test, seeded with one object of each kind."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.calendar.models import CalendarItem
from app.core.audit import AuditContext
from app.core.config import DBSettings, JobsSettings, Settings
from app.core.db import Database, utcnow
from app.core.migrate import upgrade
from app.meetings.models import MeetingStatus
from app.tasks.models import TaskStatus
from app.votes import service as votes_service
from tests.conftest import PG_URL, recreate_pg_database
from tests.factories.documents import make_document
from tests.factories.feedback import make_idea
from tests.factories.jobs import make_job
from tests.factories.meetings import make_meeting
from tests.factories.org import Org, build_org
from tests.factories.tasks import make_task
from tests.factories.transfers import make_correction, make_transfer
from tests.factories.votes import actor_of, make_vote

ROOT = Path(__file__).resolve().parents[2]
# Every table holds fewer rows than this after seeding, so ids 1..SEEDED_MAX_ID name real
# objects (and some that do not exist or that the caller may not see).
SEEDED_MAX_ID = 12


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _db_url() -> str:
    """SQLite in the data dir, or a PostgreSQL database of its own beside the test database."""
    if not PG_URL:
        return ""
    u = make_url(PG_URL)
    url = u.set(database=f"{u.database}_fuzz").render_as_string(hide_password=False)
    recreate_pg_database(url)
    return url


def _seed_objects(session: Session, settings: Settings, org: Org) -> None:
    u, m, a = org.units, org.members, org.accounts
    for status in MeetingStatus:
        make_meeting(session, u["A"], title=f"Sinh hoạt chi bộ ({status})", status=status)
    make_vote(session, org, unit="A", kind="secret")
    make_vote(session, org, unit="A", kind="open")
    make_vote(session, org, unit="A", opened=False)
    closed = make_vote(session, org, unit="A")
    chair = actor_of(session, org, "sec_a")
    ctx = AuditContext(actor_account_id=chair.account_id)
    votes_service.close_vote(session, ctx=ctx, actor=chair, vote_id=closed.id)
    make_document(session, settings, by=a["sec_a"], unit=u["A"], audience=[u["A"]], publish=True)
    make_document(session, settings, by=a["admin"], unit=u["C"], title="Dự thảo chỉ thị")
    for status in TaskStatus:
        make_task(session, u["A"], m["mem_a"], status=status, grade="HT")
    make_idea(session, m["mem_a"])
    make_transfer(session, m["mem_b"], u["A"], requested_by=a["sec_b"])
    make_correction(session, m["mem_a"], a["mem_a"])
    make_job(session, unit=u["C"], owner=a["admin"])
    for who in ("admin", "mem_a"):
        start = utcnow() + timedelta(days=3)
        session.add(CalendarItem(account_id=a[who].id, title="Lịch riêng", starts_at=start))


def _seed(data_dir: Path, db_url: str) -> dict[str, int]:
    settings = Settings(
        env="test",
        data_dir=data_dir,
        db=DBSettings(url=db_url),
        jobs=JobsSettings(embedded_worker=False),
    )
    settings.ensure_dirs()
    db = Database(settings)
    try:
        upgrade(db.engine)
        with db.session() as session:
            org = build_org(session)
            _seed_objects(session, settings, org)
            session.flush()
            return {name: account.id for name, account in org.accounts.items()}
    finally:
        db.dispose()


@contextmanager
def start_server(data_dir: Path) -> Iterator[tuple[str, dict[str, int]]]:
    """Seed, serve and yield (base url, account ids by username); stop the server after."""
    db_url = _db_url()
    accounts = _seed(data_dir, db_url)
    port = _free_port()
    env = {
        **os.environ,
        "SOTAY_ENV": "test",
        "SOTAY_DATA_DIR": str(data_dir),
        "SOTAY_DB__URL": db_url,
        "SOTAY_JOBS__EMBEDDED_WORKER": "false",
        "SOTAY_DEFAULT_LOCALE": "vi",
    }
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.asgi:app", "--host", "127.0.0.1"]
            + ["--port", str(port), "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(proc, url, log_path)
            yield url, accounts
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start in 60 s")
        time.sleep(0.1)
