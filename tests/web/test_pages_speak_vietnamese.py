"""Every page a demo role can reach, and forms sent with bad input, show no English or developer
message: a crawl of the GET links from the home page, signed in as each demo role."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.accounts import service as accounts_service
from app.accounts.models import Account
from app.core.config import AuthSettings
from app.core.db import Database
from app.core.deps import SESSION_COOKIE
from app.demo import run_demo
from app.main import create_app
from app.meetings.models import Meeting
from tests.factories.imports import fresh_database

# What pydantic, Starlette and FastAPI say in English when a message is not translated.
ENGLISH = (
    "Input should be",
    "Field required",
    "Value error",
    "value is not a valid",
    "String should",
    "Method Not Allowed",
    "Not Found",
    "Internal Server Error",
)
# Pages of one shape (a member's profile, a meeting) are alike: two of each are enough.
PER_SHAPE = 2
MAX_PAGES = 90
SKIP = ("/logout", "/static/", "/api/", "/openapi.json")
HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, list[str]]]:
    with fresh_database(Path(tmp_path_factory.mktemp("crawl")), "crawl") as db:
        logins = run_demo(db)
        yield db, [username for _role, username, _pw in logins]


def _sign_in(client: TestClient, db: Database, username: str) -> dict[str, str]:
    with db.session() as session:
        account = session.scalars(select(Account).where(Account.username == username)).one()
        secret, row = accounts_service.issue_token(
            session, AuthSettings(), account=account, kind="session", ip="test"
        )
        csrf = row.csrf_token
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, secret)
    return {"X-CSRF-Token": csrf}


def _shape(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(sorted(p.split("=")[0] for p in parts.query.split("&") if p))
    return re.sub(r"\d+", "N", parts.path) + "?" + query


def _english(text: str) -> list[str]:
    return [p for p in ENGLISH if p in text]


def _crawl(client: TestClient) -> tuple[int, list[str]]:
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue = deque(["/"])
    problems: list[str] = []
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        resp = client.get(url)
        pages += 1
        if resp.status_code >= 500:
            problems.append(f"{url}: {resp.status_code}")
            continue
        if "text/html" not in resp.headers.get("content-type", ""):
            continue
        text = resp.text
        if '<html lang="vi">' in text and (found := _english(text)):
            problems.append(f"{url}: {found}")
        for href in HREF.findall(text):
            link = urldefrag(urljoin(str(resp.url), href.replace("&amp;", "&")))[0]
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path in seen or path.startswith(SKIP) or "lang=" in path:
                continue
            if "/download" in path or path.endswith((".ics", ".csv", ".xlsx", ".txt", ".pdf")):
                continue
            shape = _shape(path)
            if shapes.get(shape, 0) >= PER_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            seen.add(path)
            queue.append(path)
    return pages, problems


def test_every_reachable_page_of_each_demo_role(demo: tuple[Database, list[str]]) -> None:
    db, usernames = demo
    report: dict[str, list[str]] = {}
    with TestClient(create_app(db.settings, db)) as client:
        for username in dict.fromkeys(usernames):
            _sign_in(client, db, username)
            pages, problems = _crawl(client)
            assert pages >= 8, f"{username} reached only {pages} pages"
            if problems:
                report[username] = problems
    assert not report, report


def test_forms_sent_with_bad_input_answer_in_vietnamese(
    demo: tuple[Database, list[str]],
) -> None:
    db, usernames = demo
    secretary = usernames[2]
    with db.session() as session:
        meeting_id = session.scalar(select(Meeting.id).order_by(Meeting.id.desc()).limit(1))
    with TestClient(create_app(db.settings, db)) as client:
        # A browser asks for a page; without this a refused form answers JSON.
        csrf = {**_sign_in(client, db, secretary), "Accept": "text/html"}
        sent = [
            client.post(
                "/meetings",
                headers=csrf,
                data={"unit_id": "abc", "title": "", "starts_at": "mai", "document_ids": "08"},
            ),
            client.post(
                "/meetings",
                headers=csrf,
                data={"unit_id": "1", "title": "Họp", "starts_at": "2030-01-01T19:30"},
            ),
            client.post(f"/meetings/{meeting_id}/edit", headers=csrf, data={"starts_at": "x"}),
            client.post("/assistant", headers=csrf, data={"question": "a"}),
            client.post("/votes", headers=csrf, data={"title": "", "closes_at": "hôm qua"}),
            client.post("/feedback/ideas", headers=csrf, data={"title": "", "body": ""}),
            client.post(
                "/account/password",
                headers=csrf,
                data={"old_password": "x", "new_password": "y", "confirm_password": "z"},
            ),
            client.get("/account/password"),
            client.get("/audit?since=31/12/2024&page=abc"),
            client.get("/meetings/abc"),
            client.get("/khong-co-trang-nay"),
        ]
        for resp in sent:
            where = f"{resp.request.method} {resp.request.url.path}: {resp.status_code}"
            assert resp.status_code < 500, where
            assert "text/html" in resp.headers["content-type"], where
            assert not _english(resp.text), (where, _english(resp.text))
