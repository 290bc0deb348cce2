"""SQLite engine behaviour on a real file: concurrent readers, audited reads from GET sessions."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from app.core import audit
from app.core.db import Database
from app.core.migrate import upgrade
from tests.conftest import make_settings


def _db(tmp_path: Path) -> Database:
    db = Database(make_settings(tmp_path))
    upgrade(db.engine)
    return db


def test_sqlite_pragmas_are_set(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


def test_a_reader_does_not_block_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with db.session() as writer:
        audit.record(writer, audit.AuditContext(), "test.write")
        # The writer holds the write lock; a read session still proceeds.
        with db.session(readonly=True) as reader:
            assert reader.scalar(select(func.count(audit.AuditLog.id))) == 0
    db.dispose()


def test_audit_from_a_read_session_is_written_and_chained(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with db.session() as s:
        audit.record(s, audit.AuditContext(), "first")
    with db.session(readonly=True) as reader:
        audit.record(reader, audit.AuditContext(actor_account_id=None), "member.sensitive_read")
    with db.session() as s:
        audit.record(s, audit.AuditContext(), "third")
        assert audit.verify_chain(s).ok
        actions = list(s.scalars(select(audit.AuditLog.action).order_by(audit.AuditLog.id)))
    assert actions == ["first", "member.sensitive_read", "third"]
    db.dispose()
