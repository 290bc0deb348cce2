"""Role grants by admins: grant and revoke a role on a unit, with dates and a reason, and the
list of who holds what in a unit's tree. Every change is audited.

Nobody grants outside their scope, nor a role above their own (`Actor.may_grant`, beside the
rest of the permission model), nor to themselves: a grant of one's own could outlive the end
date one was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Account, Role, RoleGrant
from app.accounts.service import grant_role
from app.accounts.service_admin import get_account
from app.core import audit
from app.core.errors import Forbidden, Invalid, NotFound
from app.core.i18n import N_
from app.core.localtime import local_today
from app.core.permissions import Actor, Perm, require_in_unit
from app.core.text import nfc
from app.units.models import Unit

MISSING_GRANT = N_("Không tìm thấy vai trò được cấp")
NOT_IN_UNIT = N_("Không tìm thấy đơn vị")
DENIED = N_("Bạn không có quyền cấp vai trò ở đơn vị này")
TOO_HIGH = N_("Bạn không thể cấp hoặc thu hồi vai trò cao hơn vai trò của mình")
SELF = N_("Không thể tự cấp hoặc thu hồi vai trò của chính mình")


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, details=[{"field": field, "message": message}])


class GrantState:
    upcoming = "upcoming"
    active = "active"
    ended = "ended"


@dataclass
class GrantRow:
    grant: RoleGrant
    account: Account
    unit: Unit
    state: str


def grant_state(grant: RoleGrant, today: date) -> str:
    """Whether the grant works today (both of its dates are inclusive)."""
    if grant.starts_on is not None and grant.starts_on > today:
        return GrantState.upcoming
    if grant.ends_on is not None and grant.ends_on < today:
        return GrantState.ended
    return GrantState.active


def _unit_for_granting(session: Session, actor: Actor, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(NOT_IN_UNIT)
    require_in_unit(
        session, actor, Perm.account_manage, unit.id, see=Perm.unit_view,
        missing=NOT_IN_UNIT, denied=DENIED,
    )  # fmt: skip
    return unit


def grant(
    session: Session,
    ctx: audit.AuditContext,
    *,
    actor: Actor,
    account_id: int,
    unit_id: int,
    role: Role,
    reason: str,
    today: date,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> RoleGrant:
    """Grant `role` on a unit (its whole tree) from `starts_on` (default today) to `ends_on`."""
    unit = _unit_for_granting(session, actor, unit_id)
    if unit.dissolved_at is not None:
        raise _invalid("unit_id", N_("Đơn vị đã giải thể"))
    account = get_account(session, actor=actor, account_id=account_id)
    if role == Role.member:
        raise _invalid(
            "role", N_("Vai trò đảng viên đi theo chi bộ của đảng viên, không cấp riêng")
        )
    if account.id == actor.account_id:
        raise Forbidden(SELF)
    if not actor.may_grant(role, unit.path):
        raise Forbidden(TOO_HIGH)
    starts_on = starts_on or today
    if ends_on is not None and ends_on < starts_on:
        raise _invalid("ends_on", N_("Ngày kết thúc phải sau ngày bắt đầu"))
    if ends_on is not None and ends_on < today:
        raise _invalid("ends_on", N_("Ngày kết thúc đã qua"))
    reason = " ".join(reason.split())
    if not reason:
        raise _invalid("reason", N_("Chưa nhập lý do"))
    row = grant_role(
        session,
        account_id=account.id,
        unit_id=unit.id,
        role=role,
        granted_by=actor.account_id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
    )
    _audit(session, ctx, "role.granted", row, reason)
    return row


def _audit(
    session: Session, ctx: audit.AuditContext, action: str, row: RoleGrant, reason: str
) -> None:
    audit.record(
        session,
        ctx,
        action,
        object_type="account",
        object_id=row.account_id,
        unit_id=row.unit_id,
        detail={
            "grant_id": row.id,
            "role": row.role,
            "starts_on": row.starts_on.isoformat() if row.starts_on else None,
            "ends_on": row.ends_on.isoformat() if row.ends_on else None,
            "reason": reason,
        },
    )


def revoke(
    session: Session, ctx: audit.AuditContext, *, actor: Actor, grant_id: int, reason: str
) -> None:
    """Take a grant away now; the audit log keeps what it was."""
    row = session.get(RoleGrant, grant_id)
    if row is None:
        raise NotFound(MISSING_GRANT)
    unit = session.get(Unit, row.unit_id)
    assert unit is not None
    require_in_unit(
        session, actor, Perm.account_manage, unit.id, see=Perm.unit_view,
        missing=MISSING_GRANT, denied=DENIED,
    )  # fmt: skip
    get_account(session, actor=actor, account_id=row.account_id)  # 404 outside the scope
    if row.account_id == actor.account_id:
        raise Forbidden(SELF)
    if not actor.may_grant(Role(row.role), unit.path):
        raise Forbidden(TOO_HIGH)
    reason = " ".join(reason.split())
    if not reason:
        raise _invalid("reason", N_("Chưa nhập lý do"))
    _audit(session, ctx, "role.revoked", row, reason)
    session.delete(row)
    session.flush()


def unit_grants(session: Session, *, actor: Actor, unit_id: int, today: date) -> list[GrantRow]:
    """Who holds which role in the unit's tree, ended grants included, by unit then role."""
    unit = _unit_for_granting(session, actor, unit_id)
    rows = session.execute(
        select(RoleGrant, Account, Unit)
        .join(Account, Account.id == RoleGrant.account_id)
        .join(Unit, Unit.id == RoleGrant.unit_id)
        .where(Unit.path.startswith(unit.path, autoescape=True))
        .order_by(Unit.path, RoleGrant.role, Account.username)
    ).all()
    return [GrantRow(g, a, u, grant_state(g, today)) for g, a, u in rows]


def account_grants(
    session: Session, *, actor: Actor, account_id: int, today: date
) -> list[GrantRow]:
    """An account's grants (it must be one the actor manages)."""
    account = get_account(session, actor=actor, account_id=account_id)
    rows = session.execute(
        select(RoleGrant, Unit)
        .join(Unit, Unit.id == RoleGrant.unit_id)
        .where(RoleGrant.account_id == account.id)
        .order_by(Unit.path, RoleGrant.role)
    ).all()
    return [GrantRow(g, account, u, grant_state(g, today)) for g, u in rows]


def _operator_target(
    session: Session, username: str, role: str, unit_code: str
) -> tuple[Account, Role, Unit]:
    account = session.scalar(
        select(Account).where(func.lower(Account.username) == nfc(username).lower())
    )
    if account is None:
        raise NotFound("Không tìm thấy tài khoản")
    try:
        parsed = Role(role)
    except ValueError as exc:
        raise _invalid("role", N_("Lựa chọn không hợp lệ")) from exc
    unit = session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise NotFound(NOT_IN_UNIT)
    return account, parsed, unit


def grant_for_operator(
    session: Session,
    *,
    username: str,
    role: str,
    unit_code: str,
    reason: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> RoleGrant:
    """`sotay accounts grant`: no scope or rank applies to the operator; dates are checked."""
    account, parsed, unit = _operator_target(session, username, role, unit_code)
    if parsed == Role.member:
        raise _invalid(
            "role", N_("Vai trò đảng viên đi theo chi bộ của đảng viên, không cấp riêng")
        )
    today = local_today()
    starts_on = starts_on or today
    if ends_on is not None and ends_on < starts_on:
        raise _invalid("ends_on", N_("Ngày kết thúc phải sau ngày bắt đầu"))
    reason = " ".join(reason.split())
    if not reason:
        raise _invalid("reason", N_("Chưa nhập lý do"))
    row = grant_role(
        session, account_id=account.id, unit_id=unit.id, role=parsed,
        starts_on=starts_on, ends_on=ends_on, reason=reason,
    )  # fmt: skip
    _audit(session, audit.AuditContext(), "role.granted", row, reason)
    return row


def revoke_for_operator(
    session: Session, *, username: str, role: str, unit_code: str, reason: str
) -> None:
    """`sotay accounts revoke`: the grant of `role` on the unit, taken away now."""
    account, parsed, unit = _operator_target(session, username, role, unit_code)
    row = session.scalar(
        select(RoleGrant).where(
            RoleGrant.account_id == account.id,
            RoleGrant.unit_id == unit.id,
            RoleGrant.role == parsed.value,
        )
    )
    if row is None:
        raise NotFound(MISSING_GRANT)
    _audit(session, audit.AuditContext(), "role.revoked", row, " ".join(reason.split()))
    session.delete(row)
    session.flush()
