"""Append-only, hash-chained audit log: who, acting for whom, did what to which object, when, from where."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.db import Base, UTCDateTime, utcnow

GENESIS = "0" * 64
# Any constant works; it names the one lock that serialises appends on PostgreSQL.
_PG_LOCK_KEY = 0x50_7A_A0_D1


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    on_behalf_of_member_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    unit_id: Mapped[int | None] = mapped_column(Integer, index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    # For the audit viewer's filters (migration 0002_audit_indexes).
    __table_args__ = (
        Index("ix_audit_log_object", "object_type", "object_id"),
        Index("ix_audit_log_action_unit", "action", "unit_id"),
    )


@dataclass(frozen=True)
class AuditContext:
    """Who is acting and from where; built once per request or CLI command."""

    actor_account_id: int | None = None
    on_behalf_of_member_id: int | None = None
    ip: str | None = None


def _canonical_at(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def compute_hash(prev_hash: str, row: dict[str, Any]) -> str:
    payload = json.dumps(
        {
            "prev": prev_hash,
            "at": _canonical_at(row["at"]),
            "actor": row["actor_account_id"],
            "for": row["on_behalf_of_member_id"],
            "action": row["action"],
            "otype": row["object_type"],
            "oid": row["object_id"],
            "unit": row["unit_id"],
            "ip": row["ip"],
            "detail": row["detail"] or {},
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    ctx: AuditContext,
    action: str,
    *,
    object_type: str | None = None,
    object_id: int | str | None = None,
    unit_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one row inside the caller's transaction, chained to the previous row."""
    if session.info.get("sotay_readonly") and session.get_bind().dialect.name == "sqlite":
        # A deferred SQLite read transaction cannot safely become a writer (its snapshot may be
        # stale), so the audit row of a read is written in its own short IMMEDIATE transaction.
        # The read has happened either way, so committing its record independently is right.
        from sqlalchemy.orm import Session as _Session

        bind = session.get_bind().execution_options(sotay_readonly=False)
        with _Session(bind) as own:
            entry = record(
                own,
                ctx,
                action,
                object_type=object_type,
                object_id=object_id,
                unit_id=unit_id,
                detail=detail,
            )
            own.commit()
            own.expunge(entry)
            return entry
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    prev = session.scalar(select(AuditLog.hash).order_by(AuditLog.id.desc()).limit(1))
    row: dict[str, Any] = {
        "at": utcnow(),
        "actor_account_id": ctx.actor_account_id,
        "on_behalf_of_member_id": ctx.on_behalf_of_member_id,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "unit_id": unit_id,
        "ip": ctx.ip,
        "detail": detail or {},
    }
    prev_hash = prev or GENESIS
    entry = AuditLog(**row, prev_hash=prev_hash, hash=compute_hash(prev_hash, row))
    session.add(entry)
    session.flush()
    return entry


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def verify_chain(session: Session, batch: int = 20000) -> VerifyResult:
    """Walk the whole chain in id order and recompute every hash (Core rows: no ORM cost)."""
    cols = AuditLog.__table__.c
    fields = [
        cols.id, cols.at, cols.actor_account_id, cols.on_behalf_of_member_id, cols.action,
        cols.object_type, cols.object_id, cols.unit_id, cols.ip, cols.detail, cols.prev_hash,
        cols.hash,
    ]  # fmt: skip
    prev_hash = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = session.execute(
            select(*fields).where(cols.id > last_id).order_by(cols.id).limit(batch)
        ).all()
        if not rows:
            return VerifyResult(ok=True, checked=checked)
        for r in rows:
            if r.prev_hash != prev_hash:
                return VerifyResult(False, checked, r.id, "broken link: a row was removed or moved")
            if compute_hash(prev_hash, r._asdict()) != r.hash:
                return VerifyResult(False, checked, r.id, "content does not match its hash")
            prev_hash = r.hash
            checked += 1
            last_id = r.id


APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]

APPEND_ONLY_POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
]


def install_append_only_triggers(conn: Connection) -> None:
    statements = APPEND_ONLY_POSTGRES if conn.dialect.name == "postgresql" else APPEND_ONLY_SQLITE
    for stmt in statements:
        conn.exec_driver_sql(stmt)
