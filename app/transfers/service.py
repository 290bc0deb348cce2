"""Chuyển sinh hoạt: transfers between units of the tree, out of it and into it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.i18n import N_
from app.core.localtime import local_today
from app.core.permissions import Actor, Perm, can_in_unit, require_in_unit
from app.core.text import fold
from app.core.tree import IN_TREE
from app.members.models import Member, MemberStatus, UnitMembership
from app.transfers.models import Transfer, TransferKind, TransferStatus
from app.transfers.schemas import (
    NewMemberIn,
    TransferCreate,
)
from app.units.models import Unit, UnitKind

# Members sit in cells; "other" covers party groups (tổ đảng) and units an operator set up by hand.
MEMBER_UNIT_KINDS = frozenset({UnitKind.cell, UnitKind.other})

# --- Sides: who asks and who answers, per kind ---


def requesting_unit(t: Transfer) -> int:
    """The unit that filed the request: the sender, or the receiver for an arrival from outside."""
    unit_id = t.to_unit_id if t.kind == TransferKind.incoming else t.from_unit_id
    assert unit_id is not None
    return unit_id


def deciding_unit(t: Transfer) -> int:
    """The unit that accepts: the receiver, or the sender confirming a move out of the tree."""
    unit_id = t.from_unit_id if t.kind == TransferKind.out else t.to_unit_id
    assert unit_id is not None
    return unit_id


def _authorise(session: Session, actor: Actor, unit_id: int, *, see: Perm, missing: str) -> None:
    """transfer_manage on the unit; 403 when the actor can at least see it, 404 otherwise."""
    require_in_unit(
        session,
        actor,
        Perm.transfer_manage,
        unit_id,
        see=see,
        missing=missing,
        denied=N_("Bạn không có quyền chuyển sinh hoạt trong đơn vị này"),
    )


def _destination(session: Session, unit_id: int | None) -> Unit:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    # One message for every failure, so the answer tells nothing about units out of scope.
    if unit is None or unit.dissolved_at is not None or unit.kind not in MEMBER_UNIT_KINDS:
        raise Invalid("Đơn vị nhận không tồn tại hoặc không nhận đảng viên")
    return unit


def _locked_member(session: Session, member_id: int | None) -> Member | None:
    # Locking the member row serialises two requests for the same person (PostgreSQL).
    if member_id is None:
        return None
    return session.scalar(select(Member).where(Member.id == member_id).with_for_update())


def _ensure_no_pending(session: Session, member_id: int) -> None:
    pending = session.scalar(
        select(func.count(Transfer.id)).where(
            Transfer.member_id == member_id, Transfer.status == TransferStatus.pending
        )
    )
    if pending:
        raise Conflict("Đảng viên này đã có một yêu cầu chuyển sinh hoạt đang chờ xử lý")


def request_transfer(
    session: Session, ctx: AuditContext, *, actor: Actor, data: TransferCreate
) -> Transfer:
    """Open a pending transfer, filed by the sending side (the receiving side for `in`)."""
    if data.kind == TransferKind.incoming:
        return _request_incoming(session, ctx, actor=actor, data=data)
    member = _locked_member(session, data.member_id)
    if member is None:
        raise NotFound("Không tìm thấy đảng viên")
    _authorise(
        session, actor, member.unit_id, see=Perm.member_view, missing="Không tìm thấy đảng viên"
    )
    if member.status not in IN_TREE:
        raise Conflict("Đảng viên không còn sinh hoạt trong đơn vị")
    _ensure_no_pending(session, member.id)
    to_unit_id = None
    if data.kind == TransferKind.internal:
        to_unit_id = _destination(session, data.to_unit_id).id
        if to_unit_id == member.unit_id:
            raise Invalid("Đơn vị nhận trùng với đơn vị hiện tại")
    transfer = Transfer(
        member_id=member.id,
        kind=data.kind,
        from_unit_id=member.unit_id,
        to_unit_id=to_unit_id,
        external_org=data.external_org,
        reason=data.reason,
        status=TransferStatus.pending,
        requested_by=actor.account_id,
    )
    return _file(session, ctx, transfer)


def _request_incoming(
    session: Session, ctx: AuditContext, *, actor: Actor, data: TransferCreate
) -> Transfer:
    to_unit = _destination(session, data.to_unit_id)
    _authorise(session, actor, to_unit.id, see=Perm.unit_view, missing="Không tìm thấy đơn vị")
    if data.new_member is not None:
        member = _new_member(session, to_unit, data.new_member)
    else:
        found = _locked_member(session, data.member_id)
        # Only someone who left the tree can come back in; same answer whether absent or not.
        if found is None or found.status != MemberStatus.transferred:
            raise Invalid("Chỉ nhận lại được đảng viên đã chuyển ra khỏi hệ thống")
        member = found
        _ensure_no_pending(session, member.id)
    transfer = Transfer(
        member_id=member.id,
        kind=TransferKind.incoming,
        from_unit_id=None,
        to_unit_id=to_unit.id,
        external_org=data.external_org,
        reason=data.reason,
        status=TransferStatus.pending,
        requested_by=actor.account_id,
    )
    return _file(session, ctx, transfer, new_member=data.new_member is not None)


def _new_member(session: Session, unit: Unit, data: NewMemberIn) -> Member:
    """A record for someone arriving: outside the tree (status transferred) until accepted."""
    keys = [
        Member.cccd == data.cccd if data.cccd else None,
        Member.card_number == data.card_number if data.card_number else None,
        Member.dossier_number == data.dossier_number if data.dossier_number else None,
    ]
    clauses = [k for k in keys if k is not None]
    if clauses and session.scalar(select(Member.id).where(or_(*clauses)).limit(1)) is not None:
        raise Conflict("Đã có hồ sơ với số thẻ, số lý lịch hoặc CCCD này; hãy chọn hồ sơ đã có")
    member = Member(
        unit_id=unit.id,
        full_name=data.full_name,
        name_folded=fold(data.full_name),
        birth_date=data.birth_date,
        gender=data.gender,
        admission_date=data.admission_date,
        official_date=data.official_date,
        card_number=data.card_number,
        dossier_number=data.dossier_number,
        cccd=data.cccd,
        phone=data.phone,
        status=MemberStatus.transferred,
    )
    session.add(member)
    session.flush()
    return member


def _file(
    session: Session, ctx: AuditContext, transfer: Transfer, *, new_member: bool = False
) -> Transfer:
    session.add(transfer)
    session.flush()
    audit.record(
        session,
        ctx,
        "transfer.request",
        object_type="transfer",
        object_id=transfer.id,
        unit_id=requesting_unit(transfer),
        detail={
            "member_id": transfer.member_id,
            "kind": transfer.kind,
            "from_unit_id": transfer.from_unit_id,
            "to_unit_id": transfer.to_unit_id,
            "new_member": new_member,
        },
    )
    return transfer


# --- Decisions ---

_DECIDE_DENIED = {
    "accept": N_("Chỉ đơn vị nhận mới được chấp nhận yêu cầu này"),
    "reject": N_("Chỉ đơn vị nhận mới được từ chối yêu cầu này"),
    "cancel": N_("Chỉ đơn vị gửi yêu cầu mới được hủy yêu cầu này"),
}


def _for_decision(session: Session, actor: Actor, transfer_id: int, action: str) -> Transfer:
    transfer = session.scalar(select(Transfer).where(Transfer.id == transfer_id).with_for_update())
    if transfer is None:
        raise NotFound("Không tìm thấy yêu cầu chuyển sinh hoạt")
    sides = [u for u in (transfer.from_unit_id, transfer.to_unit_id) if u is not None]
    if not any(can_in_unit(session, actor, Perm.transfer_manage, u) for u in sides):
        raise NotFound("Không tìm thấy yêu cầu chuyển sinh hoạt")
    unit_id = requesting_unit(transfer) if action == "cancel" else deciding_unit(transfer)
    if not can_in_unit(session, actor, Perm.transfer_manage, unit_id):
        raise Forbidden(_DECIDE_DENIED[action])
    if transfer.status != TransferStatus.pending:
        raise Conflict("Yêu cầu này đã được xử lý")
    return transfer


def _close(transfer: Transfer, actor: Actor, status: TransferStatus, note: str | None) -> None:
    transfer.status = status
    transfer.decided_by = actor.account_id
    transfer.decided_at = utcnow()
    transfer.decision_note = note or None


def _record(session: Session, ctx: AuditContext, action: str, transfer: Transfer) -> None:
    audit.record(
        session,
        ctx,
        f"transfer.{action}",
        object_type="transfer",
        object_id=transfer.id,
        unit_id=deciding_unit(transfer) if action != "cancel" else requesting_unit(transfer),
        detail={
            "member_id": transfer.member_id,
            "kind": transfer.kind,
            "from_unit_id": transfer.from_unit_id,
            "to_unit_id": transfer.to_unit_id,
        },
    )


def _end_memberships(session: Session, member_id: int, today: date) -> None:
    open_rows = session.scalars(
        select(UnitMembership).where(
            UnitMembership.member_id == member_id, UnitMembership.end_date.is_(None)
        )
    ).all()
    for row in open_rows:
        row.end_date = max(today, row.start_date)


def accept_transfer(
    session: Session, ctx: AuditContext, *, actor: Actor, transfer_id: int, note: str | None = None
) -> Transfer:
    """Carry out a pending transfer: the membership history moves with the member."""
    transfer = _for_decision(session, actor, transfer_id, "accept")
    member = _locked_member(session, transfer.member_id)
    assert member is not None
    today = local_today()
    if transfer.kind == TransferKind.incoming:
        if member.status != MemberStatus.transferred:
            raise Conflict("Hồ sơ đảng viên đã thay đổi từ khi gửi yêu cầu")
    elif member.status not in IN_TREE or member.unit_id != transfer.from_unit_id:
        raise Conflict("Hồ sơ đảng viên đã thay đổi từ khi gửi yêu cầu")
    to_unit = session.get(Unit, transfer.to_unit_id) if transfer.to_unit_id else None
    if transfer.kind != TransferKind.out and (to_unit is None or to_unit.dissolved_at is not None):
        raise Conflict("Đơn vị nhận đã giải thể")
    # Every check is done: from here on nothing raises, so nothing is left half-changed.
    _end_memberships(session, member.id, today)
    if to_unit is None:
        member.status = MemberStatus.transferred
    else:
        session.add(
            UnitMembership(
                member_id=member.id,
                unit_id=to_unit.id,
                start_date=today,
                note=f"Chuyển sinh hoạt #{transfer.id}",
            )
        )
        member.unit_id = to_unit.id
        if transfer.kind == TransferKind.incoming:
            member.status = MemberStatus.active
    _close(transfer, actor, TransferStatus.accepted, note)
    session.flush()
    _record(session, ctx, "accept", transfer)
    return transfer


def reject_transfer(
    session: Session, ctx: AuditContext, *, actor: Actor, transfer_id: int, note: str
) -> Transfer:
    """Refuse a pending transfer; the member stays where they are."""
    if not note.strip():
        raise Invalid("Vui lòng ghi lý do từ chối")
    transfer = _for_decision(session, actor, transfer_id, "reject")
    _close(transfer, actor, TransferStatus.rejected, note)
    session.flush()
    _record(session, ctx, "reject", transfer)
    return transfer


def cancel_transfer(
    session: Session, ctx: AuditContext, *, actor: Actor, transfer_id: int, note: str | None = None
) -> Transfer:
    """Withdraw a pending request; only the side that filed it may."""
    transfer = _for_decision(session, actor, transfer_id, "cancel")
    _close(transfer, actor, TransferStatus.cancelled, note)
    session.flush()
    _record(session, ctx, "cancel", transfer)
    return transfer
