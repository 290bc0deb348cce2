"""Audit log: hash chain, append-only triggers, verification after tampering."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.core import audit


def _append(session: Session, n: int) -> list[audit.AuditLog]:
    ctx = audit.AuditContext(actor_account_id=None, ip="127.0.0.1")
    return [
        audit.record(session, ctx, "test.event", object_type="x", object_id=i) for i in range(n)
    ]


def test_chain_links_each_row_to_the_previous(session: Session) -> None:
    rows = _append(session, 3)
    assert rows[1].prev_hash == rows[0].hash
    assert rows[2].prev_hash == rows[1].hash
    assert audit.verify_chain(session).ok


@pytest.mark.parametrize("stmt", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"])
def test_database_refuses_update_and_delete(session: Session, stmt: str) -> None:
    _append(session, 1)
    nested = session.begin_nested()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(stmt))
    nested.rollback()


def _disable_triggers(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_verify_detects_a_tampered_row(session: Session) -> None:
    rows = _append(session, 3)
    _disable_triggers(session)
    session.execute(
        text("UPDATE audit_log SET action = 'forged' WHERE id = :id"), {"id": rows[1].id}
    )
    session.expire_all()
    result = audit.verify_chain(session)
    assert not result.ok
    assert result.first_bad_id == rows[1].id


def test_verify_detects_a_deleted_row(session: Session) -> None:
    rows = _append(session, 3)
    _disable_triggers(session)
    session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": rows[1].id})
    session.expire_all()
    result = audit.verify_chain(session)
    assert not result.ok
    assert result.first_bad_id == rows[2].id
