"""Browser-test fixtures: Debian's Chromium, and one real server for the session.

The server is `uvicorn app.asgi:app` in a subprocess on a free port, with its own data
directory (SQLite, no embedded worker), migrated and seeded with the permission-test org.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.core.config import JobsSettings, Settings
from app.core.db import Database
from app.core.migrate import upgrade
from app.units.models import UnitKind
from tests.factories.accounts import PASSWORD, make_account
from tests.factories.documents import make_document
from tests.factories.meetings import make_meeting
from tests.factories.members import make_member
from tests.factories.org import Org, build_org
from tests.factories.units import make_unit
from tests.factories.votes import make_vote

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    # Ids of the seeded org, by the names used in tests/factories/org.py.
    units: dict[str, int]
    members: dict[str, int]
    accounts: dict[str, int]
    # Issue-3 objects seeded for the page checks (meeting, vote, document in cell A).
    objects: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Never download a browser: use the distribution's Chromium (see RECIPES.md).
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


Ids = dict[str, int]


def _seed(data_dir: Path) -> tuple[Ids, Ids, Ids, Ids]:
    settings = Settings(env="test", data_dir=data_dir, jobs=JobsSettings(embedded_worker=False))
    settings.ensure_dirs()
    db = Database(settings)
    try:
        upgrade(db.engine)
        with db.session() as session:
            org = build_org(session)
            objects = _seed_issue3(session, settings, org)
            session.flush()
            ids = (
                {k: u.id for k, u in org.units.items()},
                {k: m.id for k, m in org.members.items()},
                {k: a.id for k, a in org.accounts.items()},
                objects,
            )
    finally:
        db.dispose()
    return ids


def _seed_issue3(session: Session, settings: Settings, org: Org) -> Ids:
    """Cell E for the meeting scenario (its own people, so no other test sees its changes),
    and a meeting, an open secret ballot and a document in cell A for the page checks."""
    u, m, a = org.units, org.members, org.accounts
    u["E"] = make_unit(session, "Chi bộ Khu phố 5", UnitKind.cell, u["W1"], code="E")
    for key, name in [
        ("sec_e", "Lý Thị Hoa"),
        ("mem_e1", "Trương Văn Hải"),
        ("mem_e2", "Mai Thị Lan"),
        ("mem_e3", "Phan Văn Long"),
    ]:
        m[key] = make_member(session, u["E"], name)
        role = Role.cell_secretary if key == "sec_e" else None
        a[key] = make_account(session, key, member=m[key], role=role, unit=u["E"])
    session.flush()
    doc_e = make_document(
        session,
        settings,
        by=a["sec_e"],
        unit=u["E"],
        audience=[u["E"]],
        publish=True,
        title="Dự thảo nghị quyết tháng 12",
    )
    doc_a = make_document(
        session, settings, by=a["sec_a"], unit=u["A"], audience=[u["A"]], publish=True
    )
    meeting_a = make_meeting(session, u["A"])
    vote_a = make_vote(session, org, unit="A", chair="sec_a")
    return {"doc_e": doc_e.id, "doc_a": doc_a.id, "meeting_a": meeting_a.id, "vote_a": vote_a.id}


@contextmanager
def serve(data_dir: Path) -> Iterator[str]:
    """`uvicorn app.asgi:app` on a free port over `data_dir` (no embedded worker); its URL."""
    port = _free_port()
    env = {
        **os.environ,
        "SOTAY_ENV": "test",
        "SOTAY_DATA_DIR": str(data_dir),
        "SOTAY_DB__URL": "",
        "SOTAY_JOBS__EMBEDDED_WORKER": "false",
        "SOTAY_DEFAULT_LOCALE": "vi",
    }
    log = (data_dir / "server.log").open("wb")
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
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {(data_dir / 'server.log').read_text()}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start in 60 s")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("live")
    units, members, accounts, objects = _seed(data_dir)
    with serve(data_dir) as url:
        yield LiveServer(url, data_dir, units, members, accounts, objects)


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.url


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would, and wait for the home page."""
    page.goto("/login")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    # The home page greets a member by name (issue 15), so wait for the greeting itself.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def serious_violations(page: Page) -> list[str]:
    """axe-core violations of impact serious or critical, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    out = []
    for v in results.response["violations"]:
        if v.get("impact") in ("serious", "critical"):
            targets = [n.get("target") for n in v.get("nodes", [])][:5]
            out.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return out


def no_horizontal_scroll(page: Page) -> tuple[int, int]:
    """(document width, viewport width) so the assertion message says how far it spills."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    viewport: int = page.evaluate("window.innerWidth")
    return width, viewport
