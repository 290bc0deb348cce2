"""Reads for transfers: incoming and outgoing lists, counts, and the choices a request form offers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.accounts.models import Account
from app.core.permissions import Actor, Perm, accessible_unit_ids
from app.core.text import fold
from app.core.tree import IN_TREE
from app.members.models import Member
from app.transfers.models import Transfer, TransferStatus
from app.transfers.schemas import Direction, TransferOut, UnitRef
from app.transfers.service import MEMBER_UNIT_KINDS
from app.units.models import Unit


def _query() -> Any:
    src, dst = aliased(Unit), aliased(Unit)
    req, dec = aliased(Account), aliased(Account)
    return (
        select(
            Transfer,
            Member.full_name,
            src.code,
            src.name,
            dst.code,
            dst.name,
            req.username,
            dec.username,
        )
        .join(Member, Member.id == Transfer.member_id)
        .outerjoin(src, src.id == Transfer.from_unit_id)
        .outerjoin(dst, dst.id == Transfer.to_unit_id)
        .outerjoin(req, req.id == Transfer.requested_by)
        .outerjoin(dec, dec.id == Transfer.decided_by)
    )


def _out(row: Any) -> TransferOut:
    t, name, src_code, src_name, dst_code, dst_name, req, dec = row
    return TransferOut(
        id=t.id,
        member_id=t.member_id,
        member_name=name,
        kind=t.kind,
        status=t.status,
        from_unit=UnitRef(id=t.from_unit_id, code=src_code, name=src_name)
        if t.from_unit_id
        else None,
        to_unit=UnitRef(id=t.to_unit_id, code=dst_code, name=dst_name) if t.to_unit_id else None,
        external_org=t.external_org,
        reason=t.reason,
        requested_at=t.requested_at,
        requested_by=req,
        decided_at=t.decided_at,
        decided_by=dec,
        decision_note=t.decision_note,
    )


def list_transfers(
    session: Session,
    *,
    actor: Actor,
    direction: Direction,
    status: TransferStatus | None = None,
    limit: int = 100,
) -> list[TransferOut]:
    """Transfers arriving in (incoming) or leaving (outgoing) the units the actor manages."""
    column = Transfer.to_unit_id if direction == "incoming" else Transfer.from_unit_id
    stmt = _query().where(column.in_(accessible_unit_ids(actor, Perm.transfer_manage)))
    if status is not None:
        stmt = stmt.where(Transfer.status == status)
    stmt = stmt.order_by(Transfer.requested_at.desc(), Transfer.id.desc()).limit(limit)
    return [_out(r) for r in session.execute(stmt).all()]


def transfer_out(session: Session, transfer_id: int) -> TransferOut:
    """One transfer for a response; the caller has already been authorised for it."""
    return _out(session.execute(_query().where(Transfer.id == transfer_id)).one())


def count_pending_incoming(session: Session, actor: Actor) -> int:
    return (
        session.scalar(
            select(func.count(Transfer.id)).where(
                Transfer.status == TransferStatus.pending,
                Transfer.to_unit_id.in_(accessible_unit_ids(actor, Perm.transfer_manage)),
            )
        )
        or 0
    )


def member_choices(
    session: Session, actor: Actor, *, q: str = "", limit: int = 300
) -> list[tuple[int, str, str]]:
    """Members the actor may send elsewhere: (id, name, unit code), optionally name-filtered."""
    stmt = (
        select(Member.id, Member.full_name, Unit.code)
        .join(Unit, Unit.id == Member.unit_id)
        .where(
            Member.unit_id.in_(accessible_unit_ids(actor, Perm.transfer_manage)),
            Member.status.in_(IN_TREE),
        )
    )
    if q.strip():
        stmt = stmt.where(Member.name_folded.contains(fold(q), autoescape=True))
    rows = session.execute(stmt.order_by(Member.name_folded, Member.id).limit(limit)).all()
    return [(r[0], r[1], r[2]) for r in rows]


def destination_choices(session: Session) -> list[tuple[int, str, str]]:
    """Every unit that can receive members, across the tree: (id, code, name)."""
    rows = session.execute(
        select(Unit.id, Unit.code, Unit.name)
        .where(Unit.dissolved_at.is_(None), Unit.kind.in_(list(MEMBER_UNIT_KINDS)))
        .order_by(Unit.code)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def managed_units(session: Session, actor: Actor) -> list[tuple[int, str, str]]:
    """Units in the actor's transfer scope that can receive members (for arrivals)."""
    rows = session.execute(
        select(Unit.id, Unit.code, Unit.name)
        .where(
            Unit.id.in_(accessible_unit_ids(actor, Perm.transfer_manage)),
            Unit.dissolved_at.is_(None),
            Unit.kind.in_(list(MEMBER_UNIT_KINDS)),
        )
        .order_by(Unit.code)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]
