"""Database engine, ORM base and session handling for SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from app.core.config import Settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware UTC datetimes; SQLite drops tzinfo, so it is put back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(settings: Settings) -> Engine:
    """Build the engine; SQLite gets WAL, foreign keys and BEGIN IMMEDIATE writes."""
    url = settings.database_url
    if is_sqlite(url):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=settings.db.echo,
            # Bound values never reach logs or error messages: they can hold CCCD numbers, and
            # a secret ballot's INSERT logged right after its voter's participation row would
            # link the two.
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": 30},
            # A SQLite connection costs only a file handle, and opening one runs four PRAGMAs;
            # with a pool smaller than the threadpool (40 threads) each burst past the pool
            # opened and closed connections per request.
            pool_size=max(settings.db.pool_size, 40),
            max_overflow=20,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        echo=settings.db.echo,
        hide_parameters=True,  # see above
        pool_size=settings.db.pool_size,
        max_overflow=20,
        pool_pre_ping=True,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Autocommit at the driver level so that we issue BEGIN ourselves (see below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        # Deleted content is zeroed, not left in free space: secret ballots are re-dealt (deleted
        # and rewritten) on every cast, and their earlier copies would keep the order of casting.
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()
        dbapi_conn.create_function("sotay_fold", 1, _fold_sql, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front. A deferred transaction that read first and
        # writes later fails with SQLITE_BUSY if another process committed in between, which
        # would break the audit hash chain's read-then-append step. Callers that only read
        # (health checks, benchmarks of reads) opt out with `sotay_readonly`.
        if conn.get_execution_options().get("sotay_readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def _fold_sql(value: str | None) -> str | None:
    from app.core.text import fold

    return None if value is None else fold(value)


class Database:
    """Owns the engine and the session factory for one application or worker."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        # Reads (GET requests) begin DEFERRED on SQLite so that concurrent readers do not queue
        # behind one write lock; see audit.record for how a read that must audit still writes.
        self.read_sessionmaker = sessionmaker(
            self.engine.execution_options(sotay_readonly=True),
            expire_on_commit=False,
            info={"sotay_readonly": True},
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, readonly: bool = False) -> Iterator[Session]:
        """A unit of work: commit on success, roll back on any error."""
        session = self.read_sessionmaker() if readonly else self.sessionmaker()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
