"""Read receipts (first open per member) and read rates per unit for staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.errors import Forbidden
from app.core.permissions import Actor, Perm, accessible_unit_ids
from app.documents import service
from app.documents import service_audience as audience_q
from app.documents.models import DocumentRead, DocumentStatus
from app.documents.schemas import UnitReadRate
from app.members.models import Member
from app.units.models import Unit


def _insert_receipt(session: Session, document_id: int, member_id: int, unit_id: int) -> datetime:
    """Insert the receipt unless one exists; returns the stored (first) read time."""
    values = {
        "document_id": document_id,
        "member_id": member_id,
        "unit_id": unit_id,
        "read_at": utcnow(),
    }
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # The unique (document, member) key makes the first open win, even under concurrency.
    stmt = (
        insert(DocumentRead)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["document_id", "member_id"])
    )
    if session.info.get("sotay_readonly") and dialect == "sqlite":
        # A deferred SQLite read transaction must not turn writer (see audit.record): the receipt
        # is written in its own short transaction; the open has happened either way. The read
        # snapshot cannot see the new row, so the stored time is read back in that transaction.
        bind = session.get_bind().execution_options(sotay_readonly=False)
        with Session(bind) as own:
            own.execute(stmt)
            read_at = _read_at(own, document_id, member_id)
            own.commit()
    else:
        session.execute(stmt)
        read_at = _read_at(session, document_id, member_id)
    assert read_at is not None
    return read_at


def mark_read(session: Session, *, actor: Actor, document_id: int) -> tuple[datetime, bool]:
    """Record the actor's first open of a published document; (read_at, whether it was first)."""
    doc = service.get_document(session, actor=actor, document_id=document_id)
    if actor.member_id is None or actor.member_unit_id is None:
        raise Forbidden("Chỉ đảng viên mới có xác nhận đã đọc")
    if doc.status != DocumentStatus.published.value:
        raise Forbidden("Văn bản chưa ban hành")
    existing = _read_at(session, doc.id, actor.member_id)
    if existing is not None:
        return existing, False
    read_at = _insert_receipt(session, doc.id, actor.member_id, actor.member_unit_id)
    return read_at, True


def _read_at(session: Session, document_id: int, member_id: int) -> datetime | None:
    return session.scalar(
        select(DocumentRead.read_at).where(
            DocumentRead.document_id == document_id, DocumentRead.member_id == member_id
        )
    )


def read_rates(session: Session, *, actor: Actor, document_id: int) -> list[UnitReadRate]:
    """Per unit in the actor's document_view scope: addressed members and how many have read."""
    doc = service.get_document(session, actor=actor, document_id=document_id)
    if not actor.has_any(Perm.document_view):
        raise Forbidden("Bạn không có quyền xem tỷ lệ đọc văn bản")
    recipients = audience_q.recipient_ids_query(session, doc.id).subquery()
    rows = session.execute(
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            func.count(Member.id),
            func.count(DocumentRead.id),
        )
        .select_from(Member)
        .join(recipients, recipients.c[0] == Member.id)
        .join(Unit, Unit.id == Member.unit_id)
        .outerjoin(
            DocumentRead,
            and_(DocumentRead.document_id == doc.id, DocumentRead.member_id == Member.id),
        )
        .where(Unit.id.in_(accessible_unit_ids(actor, Perm.document_view)))
        .group_by(Unit.id, Unit.code, Unit.name, Unit.path)
        .order_by(Unit.path)
    ).all()
    return [
        UnitReadRate(
            unit_id=r[0],
            unit_code=r[1],
            unit_name=r[2],
            members=r[3],
            read=r[4],
            rate=round(r[4] / r[3], 4) if r[3] else 0.0,
        )
        for r in rows
    ]
