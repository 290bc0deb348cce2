"""Bodies are counted while they stream: an oversize body is refused at its limit, not read whole."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.body_limit import limit_for
from app.core.config import Settings
from app.documents.models import Document
from tests.factories.accounts import bearer
from tests.factories.documents import stored_files
from tests.factories.org import Org
from tests.factories.transfers import web_login

MB = 1024 * 1024
CHUNK = 64 * 1024


class Feed:
    """A request body made on the fly, counting what the app actually pulled from it."""

    def __init__(self, head: bytes, total: int, tail: bytes = b"") -> None:
        self.head, self.total, self.tail = head, total, tail
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._count(self.head)
        block = b"a" * CHUNK
        left = self.total
        while left > 0:
            piece = block[: min(CHUNK, left)]
            left -= len(piece)
            yield self._count(piece)
        yield self._count(self.tail)

    def _count(self, data: bytes) -> bytes:
        self.pulled += len(data)
        return data


def post_streamed(app: FastAPI, path: str, feed: Feed, headers: dict[str, str]) -> httpx.Response:
    """POST through the ASGI app with a body of unknown length (no Content-Length)."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(path, content=feed, headers=headers)

    return anyio.run(go)


def _json_error(resp: httpx.Response) -> dict[str, Any]:
    assert resp.status_code == 413, resp.text[:300]
    body: dict[str, Any] = resp.json()
    assert body["error"] == "too_large"
    return body


def test_a_50_mb_json_body_is_refused_before_it_is_read_whole(
    app: FastAPI, session: Session, org: Org
) -> None:
    feed = Feed(b'{"name": "', 50 * MB, b'"}')
    headers = {**bearer(session, org.accounts["admin"]), "Content-Type": "application/json"}
    resp = post_streamed(app, "/api/v1/units", feed, headers)
    body = _json_error(resp)
    assert "1024 KB" in body["message"]
    assert resp.headers["connection"] == "close"
    # The app stopped pulling at the 1 MB limit, give or take one chunk.
    assert feed.pulled <= MB + CHUNK


def test_a_declared_oversize_body_is_refused_unread(
    app: FastAPI, session: Session, org: Org
) -> None:
    feed = Feed(b'{"name": "', 50 * MB, b'"}')
    headers = {
        **bearer(session, org.accounts["admin"]),
        "Content-Type": "application/json",
        "Content-Length": str(50 * MB + 12),
    }
    resp = post_streamed(app, "/api/v1/units", feed, headers)
    _json_error(resp)
    # The length was known, so the server may discard the rest and keep the connection.
    assert "connection" not in resp.headers
    assert feed.pulled <= CHUNK


def test_anonymous_token_requests_are_bounded_to_a_few_kb(app: FastAPI) -> None:
    feed = Feed(b"username=admin&password=", 7 * MB)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    resp = post_streamed(app, "/api/v1/auth/token", feed, headers)
    body = _json_error(resp)
    assert body["message"] == "Dữ liệu gửi lên quá lớn (tối đa 8 KB)"
    assert feed.pulled <= 8 * 1024 + CHUNK


def test_the_web_login_gets_a_friendly_page_in_the_chosen_language(client: TestClient) -> None:
    form = {"username": "admin", "password": "x" * (20 * 1024)}
    resp = client.post("/login", data=form, headers={"Accept": "text/html"})
    assert resp.status_code == 413
    assert resp.headers["content-type"].startswith("text/html")
    assert "Dữ liệu gửi lên quá lớn (tối đa 8 KB)" in resp.text
    resp = client.post("/login?lang=en", data=form, headers={"Accept": "text/html"})
    assert resp.status_code == 413
    assert "The request body is too large (at most 8 KB)" in resp.text


def test_a_cut_off_upload_leaves_no_rows_and_no_files(
    app: FastAPI,
    session: Session,
    org: Org,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.documents, "max_bytes", MB)
    before_files = stored_files(settings)
    before_rows = session.scalar(select(func.count()).select_from(Document))
    boundary = "gioihan"
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="lon.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    feed = Feed(head, 5 * MB, f"\r\n--{boundary}--\r\n".encode())
    headers = {
        **bearer(session, org.accounts["staff_w1"]),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    resp = post_streamed(app, "/api/v1/documents", feed, headers)
    body = _json_error(resp)
    assert body["message"] == "Tệp quá lớn (tối đa 1 MB)"
    assert feed.pulled <= MB + settings.server.upload_overhead_bytes + CHUNK
    assert session.scalar(select(func.count()).select_from(Document)) == before_rows
    assert stored_files(settings) == before_files  # the staging folder included


def test_a_web_upload_over_the_declared_limit_gets_the_page(
    client: TestClient,
    session: Session,
    org: Org,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.imports, "max_bytes", 100 * 1024)
    csrf = web_login(client, session, org.accounts["admin"])
    resp = client.post(
        "/imports/members",
        headers={**csrf, "Accept": "text/html"},
        files={"file": ("ds.csv", b"a" * (300 * 1024), "text/csv")},
    )
    assert resp.status_code == 413
    assert resp.headers["content-type"].startswith("text/html")
    assert "Tệp quá lớn" in resp.text


def test_limits_follow_the_route_and_the_content_type(settings: Settings) -> None:
    docs = settings.documents.max_bytes + settings.server.upload_overhead_bytes
    imports = settings.imports.max_bytes + settings.server.upload_overhead_bytes
    multipart = "multipart/form-data; boundary=x"
    assert limit_for(settings, "/api/v1/documents", multipart).max_bytes == docs
    assert limit_for(settings, "/api/v1/documents/7/versions", multipart).max_bytes == docs
    assert limit_for(settings, "/documents/new", multipart).max_bytes == docs
    assert limit_for(settings, "/api/v1/imports/members", multipart).max_bytes == imports
    assert limit_for(settings, "/imports/members", multipart).max_bytes == imports
    # The upload allowance is for files only: JSON to an upload route, or a multipart form
    # elsewhere, gets the ordinary limit.
    ordinary = settings.server.max_body_bytes
    assert limit_for(settings, "/api/v1/documents", "application/json").max_bytes == ordinary
    assert limit_for(settings, "/api/v1/documents/7/read", multipart).max_bytes == ordinary
    login = settings.server.max_login_body_bytes
    assert limit_for(settings, "/api/v1/auth/token", "application/json").max_bytes == login
    assert limit_for(settings, "/login", "application/x-www-form-urlencoded").max_bytes == login


def test_a_chunked_web_upload_gets_the_page_and_leaves_nothing(
    app: FastAPI,
    session: Session,
    org: Org,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.documents, "max_bytes", MB)
    before_files = stored_files(settings)
    with TestClient(app) as client:
        csrf = web_login(client, session, org.accounts["staff_w1"])
        cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    boundary = "trangweb"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="lon.pdf"\r\n\r\n'
    ).encode()
    feed = Feed(head, 5 * MB, f"\r\n--{boundary}--\r\n".encode())
    headers = {
        **csrf,
        "Cookie": cookies,
        "Accept": "text/html",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    resp = post_streamed(app, "/documents/new", feed, headers)
    assert resp.status_code == 413
    assert resp.headers["content-type"].startswith("text/html")
    assert "Tệp quá lớn (tối đa 1 MB)" in resp.text
    assert feed.pulled <= MB + settings.server.upload_overhead_bytes + CHUNK
    assert stored_files(settings) == before_files
