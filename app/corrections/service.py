"""Self-service corrections: a member proposes a change to their own profile, a cell officer decides."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.i18n import N_
from app.core.permissions import Actor, Perm, accessible_unit_ids, require_in_unit
from app.core.text import NFCStr, fold, nfc
from app.core.tree import IN_TREE
from app.corrections.service_fields import (
    FIELD_RULES,
    CorrectableField,
    Reason,
    clean_value,
    current_value,
)
from app.members.models import Correction, CorrectionStatus, Member
from app.units.models import Unit

# --- Schemas ---


class CorrectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: CorrectableField
    new_value: Annotated[NFCStr, Field(max_length=500)] = ""
    reason: Reason


class CorrectionOut(BaseModel):
    id: int
    member_id: int
    member_name: str
    unit_id: int
    unit_name: str
    field: str
    old_value: str | None
    new_value: str | None
    masked: bool  # True when the values are sensitive and hidden from this viewer
    reason: str | None
    status: str
    proposed_at: datetime
    decided_at: datetime | None
    decision_note: str | None
    decidable: bool  # whether this viewer may approve or reject it now


# --- Service ---


def _subject_member(session: Session, actor: Actor) -> Member:
    """The member a /me call is about: the caller, or the member a cell officer acts for."""
    member_id = actor.on_behalf_of_member_id or actor.member_id
    member = session.get(Member, member_id) if member_id else None
    if member is None or member.status not in IN_TREE:
        raise Forbidden("Tài khoản của bạn không gắn với hồ sơ đảng viên đang sinh hoạt")
    return member


def propose_correction(
    session: Session, ctx: AuditContext, *, actor: Actor, field: str, new_value: str, reason: str
) -> Correction:
    """Record a member's proposed change to their own profile, pending a decision."""
    member = _subject_member(session, actor)
    value = clean_value(field, new_value)
    if value == current_value(member, field):
        raise Invalid("Giá trị mới trùng với thông tin hiện có")
    if not nfc(reason):
        raise Invalid("Vui lòng nêu lý do")
    pending = session.scalar(
        select(func.count(Correction.id)).where(
            Correction.member_id == member.id,
            Correction.field == field,
            Correction.status == CorrectionStatus.pending,
        )
    )
    if pending:
        raise Conflict("Đã có một đề nghị sửa mục này đang chờ duyệt")
    correction = Correction(
        member_id=member.id,
        field=field,
        old_value=current_value(member, field),
        new_value=value,
        reason=nfc(reason),
        status=CorrectionStatus.pending,
        proposed_by=actor.account_id,
    )
    session.add(correction)
    session.flush()
    # Values stay in the correction row: the audit log is permanent and must not hold them.
    audit.record(
        session,
        ctx,
        "correction.propose",
        object_type="correction",
        object_id=correction.id,
        unit_id=member.unit_id,
        detail={"member_id": member.id, "field": field},
    )
    return correction


def _is_own(actor: Actor, correction: Correction) -> bool:
    """Nobody decides a change to their own record, nor one they proposed for someone else."""
    return correction.member_id == actor.member_id or correction.proposed_by == actor.account_id


def _rows(
    session: Session, ctx: AuditContext, actor: Actor, stmt: Any, *, own: bool
) -> list[CorrectionOut]:
    rows = session.execute(stmt).all()
    sensitive_paths = actor.paths_for(Perm.member_view_sensitive)
    decide_paths = actor.paths_for(Perm.correction_decide)
    out: list[CorrectionOut] = []
    # The member sees their own values; anyone else needs the sensitive permission, audited.
    self_view = own and actor.on_behalf_of_member_id is None
    for c, member_name, unit_id, unit_name, unit_path in rows:
        sensitive = FIELD_RULES.get(c.field, FIELD_RULES["cccd"]).sensitive
        reveal = self_view or any(unit_path.startswith(p) for p in sensitive_paths)
        if sensitive and reveal and not self_view:
            audit.record(
                session,
                ctx,
                "correction.view_sensitive",
                object_type="correction",
                object_id=c.id,
                unit_id=unit_id,
                detail={"member_id": c.member_id, "field": c.field},
            )
        hide = sensitive and not reveal
        out.append(
            CorrectionOut(
                id=c.id,
                member_id=c.member_id,
                member_name=member_name,
                unit_id=unit_id,
                unit_name=unit_name,
                field=c.field,
                old_value=None if hide else c.old_value,
                new_value=None if hide else c.new_value,
                masked=hide,
                reason=c.reason,
                status=c.status,
                proposed_at=c.proposed_at,
                decided_at=c.decided_at,
                decision_note=c.decision_note,
                decidable=c.status == CorrectionStatus.pending
                and not _is_own(actor, c)
                and any(unit_path.startswith(p) for p in decide_paths),
            )
        )
    return out


def _base_query() -> Any:
    return (
        select(Correction, Member.full_name, Unit.id, Unit.name, Unit.path)
        .join(Member, Member.id == Correction.member_id)
        .join(Unit, Unit.id == Member.unit_id)
    )


def list_own_corrections(
    session: Session, ctx: AuditContext, *, actor: Actor, limit: int = 100
) -> list[CorrectionOut]:
    """The caller's own proposals, newest first."""
    member = _subject_member(session, actor)
    stmt = (
        _base_query()
        .where(Correction.member_id == member.id)
        .order_by(Correction.proposed_at.desc(), Correction.id.desc())
        .limit(limit)
    )
    return _rows(session, ctx, actor, stmt, own=True)


def list_corrections(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    status: CorrectionStatus | None = CorrectionStatus.pending,
    limit: int = 200,
) -> list[CorrectionOut]:
    """Corrections of members in the units where the actor decides them."""
    stmt = _base_query().where(
        Member.unit_id.in_(accessible_unit_ids(actor, Perm.correction_decide))
    )
    if status is not None:
        stmt = stmt.where(Correction.status == status)
    stmt = stmt.order_by(Correction.proposed_at, Correction.id).limit(limit)
    return _rows(session, ctx, actor, stmt, own=False)


def count_pending(session: Session, actor: Actor) -> int:
    """Pending corrections this actor could decide (their own excluded)."""
    stmt = (
        select(func.count(Correction.id))
        .join(Member, Member.id == Correction.member_id)
        .where(
            Correction.status == CorrectionStatus.pending,
            Member.unit_id.in_(accessible_unit_ids(actor, Perm.correction_decide)),
            Correction.proposed_by != actor.account_id,
        )
    )
    if actor.member_id is not None:
        stmt = stmt.where(Correction.member_id != actor.member_id)
    return session.scalar(stmt) or 0


def _for_decision(session: Session, actor: Actor, correction_id: int) -> tuple[Correction, Member]:
    correction = session.scalar(
        select(Correction).where(Correction.id == correction_id).with_for_update()
    )
    member = session.get(Member, correction.member_id) if correction else None
    if correction is None or member is None:
        raise NotFound("Không tìm thấy đề nghị sửa thông tin")
    require_in_unit(
        session,
        actor,
        Perm.correction_decide,
        member.unit_id,
        see=Perm.member_view,
        missing=N_("Không tìm thấy đề nghị sửa thông tin"),
        denied=N_("Bạn không có quyền duyệt đề nghị này"),
    )
    if _is_own(actor, correction):
        raise Forbidden("Bạn không thể tự duyệt đề nghị của chính mình")
    if correction.status != CorrectionStatus.pending:
        raise Conflict("Đề nghị này đã được xử lý")
    return correction, member


def _apply(session: Session, member: Member, field: str, value: str | None) -> None:
    if field == "cccd" and value is not None:
        taken = session.scalar(
            select(Member.id).where(Member.cccd == value, Member.id != member.id)
        )
        if taken is not None:
            raise Conflict("Số CCCD này đã có trong một hồ sơ khác")
    if field == "birth_date":
        member.birth_date = date.fromisoformat(value) if value else None
    else:
        setattr(member, field, value)
    if field == "full_name" and value:
        member.name_folded = fold(value)


def approve_correction(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    correction_id: int,
    note: str | None = None,
) -> Correction:
    """Apply a pending correction to the member's profile and close it."""
    correction, member = _for_decision(session, actor, correction_id)
    # The value replaced is the one in the profile now, which may differ from proposal time.
    replaced = current_value(member, correction.field)
    _apply(session, member, correction.field, correction.new_value)
    correction.old_value = replaced
    correction.status = CorrectionStatus.approved
    correction.decided_by = actor.account_id
    correction.decided_at = utcnow()
    correction.decision_note = note or None
    session.flush()
    audit.record(
        session,
        ctx,
        "correction.approve",
        object_type="correction",
        object_id=correction.id,
        unit_id=member.unit_id,
        detail={"member_id": member.id, "field": correction.field},
    )
    return correction


def reject_correction(
    session: Session, ctx: AuditContext, *, actor: Actor, correction_id: int, note: str
) -> Correction:
    """Close a pending correction without changing the profile; the note says why."""
    if not nfc(note):
        raise Invalid("Vui lòng ghi lý do từ chối")
    correction, member = _for_decision(session, actor, correction_id)
    correction.status = CorrectionStatus.rejected
    correction.decided_by = actor.account_id
    correction.decided_at = utcnow()
    correction.decision_note = nfc(note)
    session.flush()
    audit.record(
        session,
        ctx,
        "correction.reject",
        object_type="correction",
        object_id=correction.id,
        unit_id=member.unit_id,
        detail={"member_id": member.id, "field": correction.field},
    )
    return correction


def correction_out(
    session: Session, ctx: AuditContext, *, actor: Actor, correction_id: int, own: bool
) -> CorrectionOut:
    """One correction as this actor may see it; `own` when it is about the actor's own record."""
    stmt = _base_query().where(Correction.id == correction_id)
    return _rows(session, ctx, actor, stmt, own=own)[0]
