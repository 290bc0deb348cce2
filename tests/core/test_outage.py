"""A database out of reach answers 503 with Retry-After (JSON, or the web's page), never 500,
and the request's writes are rolled back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from app.core.db import Database
from app.core.deps import SESSION_COOKIE
from app.core.migrate import upgrade
from app.main import create_app
from app.units.models import Unit
from tests.conftest import make_settings
from tests.factories.accounts import bearer
from tests.factories.org import build_org

MESSAGE_VI = (
    "Hệ thống đang tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít phút."
)
MESSAGE_EN = (
    "The system cannot reach its database at the moment. Please try again in a few minutes."
)


def assert_unavailable(resp: Any, message: str = MESSAGE_VI) -> None:
    assert resp.status_code == 503, resp.text[:300]
    assert resp.headers["retry-after"] == "5"
    if resp.headers["content-type"].startswith("application/json"):
        assert resp.json() == {"error": "unavailable", "message": message}
    else:
        assert message in resp.text


@pytest.fixture
def refused(tmp_path: Path) -> Iterator[TestClient]:
    """An app whose PostgreSQL is not listening at all: every connection is refused."""
    settings = make_settings(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/sotay_none")
    db = Database(settings)
    with TestClient(create_app(settings, db), raise_server_exceptions=False) as client:
        yield client
    db.dispose()


def test_a_refused_connection_answers_503_to_the_api(refused: TestClient) -> None:
    assert_unavailable(refused.get("/api/v1/units", headers={"Authorization": "Bearer x"}))
    resp = refused.get(
        "/api/v1/units", headers={"Authorization": "Bearer x", "Accept-Language": "en"}
    )
    assert_unavailable(resp, MESSAGE_EN)
    token = refused.post("/api/v1/auth/token", data={"username": "a", "password": "b"})
    assert_unavailable(token)
    assert_unavailable(refused.get("/healthz", headers={"Accept": "application/json"}))


def test_a_refused_connection_gives_the_web_a_friendly_page(refused: TestClient) -> None:
    refused.cookies.set(SESSION_COOKIE, "phien-cu")
    page = refused.get("/members")
    assert page.headers["content-type"].startswith("text/html")
    assert_unavailable(page)
    assert_unavailable(refused.get("/members?lang=en"), MESSAGE_EN)


@dataclass
class Fresh:
    db: Database
    path: Path
    headers: dict[str, str]
    parent_id: int


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Fresh]:
    """A SQLite database of its own with committed data, so that locks and commits are real."""
    settings = make_settings(tmp_path)
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    with db.session() as session:
        org = build_org(session)
        headers = bearer(session, org.accounts["admin"])
        parent_id = org.units["W1"].id
    yield Fresh(db, Path(settings.database_url.removeprefix("sqlite:///")), headers, parent_id)
    db.dispose()


def _unit_body(code: str, parent_id: int) -> dict[str, Any]:
    return {"code": code, "name": f"Chi bộ {code}", "kind": "cell", "parent_id": parent_id}


def _units_named(db: Database, code: str) -> int:
    with Session(db.engine) as session:
        return session.scalar(select(func.count()).select_from(Unit).where(Unit.code == code)) or 0


def test_sqlite_locked_past_its_busy_timeout_answers_503(fresh: Fresh) -> None:
    @event.listens_for(fresh.db.engine, "connect")
    def _short_wait(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=200")  # the app waits 30 s; a test cannot

    fresh.db.engine.dispose()
    app = create_app(fresh.db.settings, fresh.db)
    holder = sqlite3.connect(fresh.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            resp = client.post(
                "/api/v1/units", json=_unit_body("KHOA", fresh.parent_id), headers=fresh.headers
            )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_unavailable(resp)
    assert _units_named(fresh.db, "KHOA") == 0


def test_a_failed_commit_answers_503_and_leaves_no_row(
    fresh: Fresh, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_commit = Session.commit
    app = create_app(fresh.db.settings, fresh.db)
    with TestClient(app, raise_server_exceptions=False) as client:
        # The unit is flushed by the service, so by commit time the INSERT has been sent.
        monkeypatch.setattr(Session, "commit", _fail_if_dirty(real_commit))
        resp = client.post(
            "/api/v1/units", json=_unit_body("COMMIT", fresh.parent_id), headers=fresh.headers
        )
        monkeypatch.undo()
    assert_unavailable(resp)
    assert _units_named(fresh.db, "COMMIT") == 0


def _fail_if_dirty(real_commit: Any) -> Any:
    """Session.commit that loses the connection on a write session (reads commit as usual)."""

    def commit(self: Session) -> None:
        if self.info.get("sotay_readonly"):
            return real_commit(self)
        raise sa_exc.OperationalError(
            "COMMIT", {}, Exception("server closed the connection unexpectedly")
        )

    return commit


def test_no_free_pooled_connection_answers_503(fresh: Fresh) -> None:
    engine = create_engine(
        fresh.db.settings.database_url, pool_size=1, max_overflow=0, pool_timeout=0.2
    )
    db = Database(fresh.db.settings, engine)
    app = create_app(fresh.db.settings, db)
    with engine.connect(), TestClient(app, raise_server_exceptions=False) as client:
        resp = client.get("/api/v1/units", headers=fresh.headers)
    engine.dispose()
    assert_unavailable(resp)


def test_only_outages_are_taken_for_outages() -> None:
    from app.core.outage import is_outage

    integrity = sa_exc.IntegrityError("INSERT", {}, Exception("duplicate key"))
    syntax = sa_exc.OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))
    locked = sa_exc.OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))
    lost = sa_exc.DBAPIError("SELECT", {}, Exception("x"), connection_invalidated=True)
    assert not is_outage(integrity)
    assert not is_outage(syntax)
    assert is_outage(locked)
    assert is_outage(lost)
    assert is_outage(sa_exc.TimeoutError("QueuePool limit"))
