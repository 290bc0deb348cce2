"""Shared fixtures: one migrated database per run (SQLite, or PostgreSQL when
SOTAY_TEST_DATABASE_URL is set), each test inside a transaction that is rolled back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core import security
from app.core.config import DBSettings, JobsSettings, Settings
from app.core.db import Database
from app.core.deps import auth_sessions, get_session
from app.core.migrate import upgrade
from app.main import create_app
from tests.factories.org import Org, build_org

security.use_fast_hashing_for_tests()


def _pg_url() -> str:
    """The PostgreSQL test database; each pytest-xdist worker gets its own copy."""
    url = os.environ.get("SOTAY_TEST_DATABASE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    u = make_url(url)
    return u.set(database=f"{u.database}_{worker}").render_as_string(hide_password=False)


PG_URL = _pg_url()


def recreate_pg_database(url: str) -> None:
    """Drop and create the test database so each run starts from the migrations."""
    u = make_url(url)
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()


def make_settings(data_dir: Path, db_url: str = "") -> Settings:
    return Settings(
        env="test",
        data_dir=data_dir,
        db=DBSettings(url=db_url),
        jobs=JobsSettings(embedded_worker=False),
    )


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    s = make_settings(tmp_path_factory.mktemp("data"), PG_URL)
    s.ensure_dirs()
    return s


@pytest.fixture(scope="session")
def database(settings: Settings) -> Iterator[Database]:
    if PG_URL:
        recreate_pg_database(PG_URL)
    db = Database(settings)
    upgrade(db.engine)
    yield db
    db.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    conn = database.engine.connect()
    trans = conn.begin()
    s = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield s
    finally:
        s.close()
        trans.rollback()
        conn.close()


def bind_session(application: FastAPI, session: Session) -> FastAPI:
    """Route every request of `application` through the test's rolled-back session."""

    def _session() -> Iterator[Session]:
        yield session
        session.flush()

    application.dependency_overrides[get_session] = _session
    application.dependency_overrides[auth_sessions] = lambda: lambda: nullcontext(session)
    return application


@pytest.fixture(scope="session")
def shared_app(settings: Settings, database: Database) -> FastAPI:
    """One application per worker. FastAPI builds each route's dependency graph on an app's
    first request (about half a second for this app's ~400 routes), so an app per test made
    that most of the suite's time; the per-test state is the overrides, reset below."""
    return create_app(settings, database)


@pytest.fixture
def app(shared_app: FastAPI, session: Session) -> Iterator[FastAPI]:
    yield bind_session(shared_app, session)
    shared_app.dependency_overrides.clear()
    # A dispatcher built for one test's requests (app.jobs.deps) is not the next test's.
    shared_app.state._state.pop("job_dispatcher", None)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def org(session: Session) -> Org:
    return build_org(session)
