"""Account administration: the accounts an admin looks after (scope, list, state), and
deactivating, reactivating and unlocking them. Creating accounts and their one-time codes is
app.accounts.service_codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, false, func, or_, select, update
from sqlalchemy.orm import Session

from app.accounts.models import Account, AccountCode, AuthToken, LoginAttempt, RoleGrant
from app.accounts.service import normalise_phone
from app.accounts.service_login_throttle import login_key
from app.core import audit, throttle
from app.core.config import AuthSettings
from app.core.errors import Forbidden, NotFound
from app.core.i18n import N_
from app.core.permissions import Actor, Perm, accessible_unit_ids, require_in_unit
from app.core.text import fold
from app.members.models import Member
from app.units.models import Unit

NOT_FOUND = N_("Không tìm thấy tài khoản")


class State:
    """An account's state as the list shows it (msgids in app.web.routes_accounts)."""

    active = "active"
    awaiting_code = "awaiting_code"  # a code is out and unused
    code_expired = "code_expired"  # never set a password, and the code ran out
    locked = "locked"  # sign-ins held back by the throttles
    deactivated = "deactivated"


@dataclass
class AccountRow:
    account: Account
    member_name: str | None
    unit_name: str | None
    state: str


# -- scope -----------------------------------------------------------------------------------


def _home_unit() -> Any:
    """An account's unit: its member's, else its own home unit (committee staff)."""
    return func.coalesce(Member.unit_id, Account.home_unit_id)


def _is_root_admin(actor: Actor) -> bool:
    return any(p.count("/") == 2 for p in actor.paths_for(Perm.account_manage))


def scoped_accounts(actor: Actor) -> Select[Any]:
    """Accounts the actor manages: home unit in scope (or none, for an admin at a root), and no
    role held outside the actor's scope. Anything else answers as if it did not exist."""
    scope = accessible_unit_ids(actor, Perm.account_manage)
    home = _home_unit()
    placed = home.in_(scope) if actor.paths_for(Perm.account_manage) else false()
    if _is_root_admin(actor):
        placed = or_(placed, home.is_(None))
    else:
        granted_inside = exists(
            select(RoleGrant.id).where(
                RoleGrant.account_id == Account.id, RoleGrant.unit_id.in_(scope)
            )
        )
        placed = or_(placed, and_(home.is_(None), granted_inside))
    granted_outside = exists(
        select(RoleGrant.id).where(
            RoleGrant.account_id == Account.id, RoleGrant.unit_id.not_in(scope)
        )
    )
    return (
        select(Account)
        .outerjoin(Member, Member.id == Account.member_id)
        .where(placed, ~granted_outside)
    )


def get_account(session: Session, *, actor: Actor, account_id: int) -> Account:
    """An account the actor manages, else 404."""
    account: Account | None = session.scalar(scoped_accounts(actor).where(Account.id == account_id))
    if account is None:
        raise NotFound(NOT_FOUND)
    return account


def list_accounts(
    session: Session,
    *,
    actor: Actor,
    cfg: AuthSettings,
    now: datetime,
    unit_id: int | None = None,
    q: str = "",
    limit: int = 200,
) -> list[AccountRow]:
    """The accounts the actor manages, optionally in one unit's tree or matching `q`."""
    query = scoped_accounts(actor).add_columns(Member.full_name, Unit.name)
    query = query.outerjoin(Unit, Unit.id == _home_unit())
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị")
        require_in_unit(
            session,
            actor,
            Perm.account_manage,
            unit_id,
            see=Perm.unit_view,
            missing=N_("Không tìm thấy đơn vị"),
            denied=N_("Bạn không có quyền quản lý tài khoản ở đơn vị này"),
        )
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    if needle := fold(q):
        like = f"%{needle}%"
        query = query.where(
            or_(
                func.lower(Account.username).like(like),
                Member.name_folded.like(like),
                func.lower(Account.display_name).like(like),
            )
        )
    rows = session.execute(query.order_by(Account.username).limit(limit)).all()
    accounts = [r[0] for r in rows]
    locked = _locked_ids(session, cfg, accounts, now)
    live = _live_code_ids(session, [a.id for a in accounts], now)
    return [
        AccountRow(a, name, unit_name, _state(a, a.id in locked, a.id in live))
        for a, name, unit_name in rows
    ]


def account_state(session: Session, *, cfg: AuthSettings, account: Account, now: datetime) -> str:
    """One account's state, as the list shows it."""
    locked = _locked_ids(session, cfg, [account], now)
    live = _live_code_ids(session, [account.id], now)
    return _state(account, account.id in locked, account.id in live)


def _state(account: Account, locked: bool, live_code: bool) -> str:
    if not account.is_active:
        return State.deactivated
    if locked:
        return State.locked
    if live_code:
        return State.awaiting_code
    if account.password_changed_at is None:
        return State.code_expired
    return State.active


def _throttle_keys(
    session: Session, cfg: AuthSettings, accounts: list[Account], now: datetime
) -> dict[int, list[str]]:
    """The sign-in buckets held against each account: per login (username, phone; sign-in and
    activation) and per login and each source it was tried from within the forget window."""
    logins = {a.id: [a.username] + ([a.phone] if a.phone else []) for a in accounts}
    typed = {x.lower() for xs in logins.values() for x in xs}
    since = now - timedelta(hours=cfg.throttle_forget_hours)
    ips: dict[str, set[str]] = {}
    if typed:
        for login, ip in session.execute(
            select(func.lower(LoginAttempt.username), LoginAttempt.ip)
            .where(func.lower(LoginAttempt.username).in_(typed), LoginAttempt.at >= since)
            .distinct()
        ):
            ips.setdefault(login, set()).add(ip or "")
    out: dict[int, list[str]] = {}
    for account_id, names in logins.items():
        keys: list[str] = []
        for login in names:
            lk = login_key(login, normalise_phone(login))
            for prefix in ("", "activate:"):
                keys.append(throttle.key("login", prefix + lk))
                keys += [
                    throttle.key("login-source", prefix + lk, ip)
                    for ip in ips.get(login.lower(), ())
                ]
        out[account_id] = keys
    return out


def _locked_ids(
    session: Session, cfg: AuthSettings, accounts: list[Account], now: datetime
) -> set[int]:
    keys = _throttle_keys(session, cfg, accounts, now)
    found = throttle.states(
        session, [k for ks in keys.values() for k in ks], now, cfg.throttle_forget_hours * 3600
    )
    return {i for i, ks in keys.items() if any(found[k].wait(now) for k in ks)}


def _live_code_ids(session: Session, account_ids: list[int], now: datetime) -> set[int]:
    if not account_ids:
        return set()
    return set(
        session.scalars(
            select(AccountCode.account_id).where(
                AccountCode.account_id.in_(account_ids),
                AccountCode.used_at.is_(None),
                AccountCode.expires_at > now,
            )
        )
    )


# -- state changes ----------------------------------------------------------------------------


def deactivate(
    session: Session, ctx: audit.AuditContext, *, actor: Actor, account_id: int, now: datetime
) -> Account:
    """No more sign-ins; every session and token is revoked. Grants stay for reactivation."""
    account = get_account(session, actor=actor, account_id=account_id)
    if account.id == actor.account_id:
        raise Forbidden("Không thể tự khóa tài khoản của mình")
    if account.is_active:
        account.is_active = False
        session.execute(
            update(AuthToken)
            .where(AuthToken.account_id == account.id, AuthToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        audit.record(
            session, ctx, "account.deactivated", object_type="account", object_id=account.id
        )
    return account


def reactivate(
    session: Session, ctx: audit.AuditContext, *, actor: Actor, account_id: int
) -> Account:
    """Sign-ins work again (with the same password)."""
    account = get_account(session, actor=actor, account_id=account_id)
    if not account.is_active:
        account.is_active = True
        audit.record(
            session, ctx, "account.reactivated", object_type="account", object_id=account.id
        )
    return account


def unlock(
    session: Session,
    ctx: audit.AuditContext,
    *,
    actor: Actor,
    cfg: AuthSettings,
    account_id: int,
    now: datetime,
) -> Account:
    """Clear the sign-in delays held against this account's login, from every source it was
    tried from lately (the per-source buckets of other logins stay)."""
    account = get_account(session, actor=actor, account_id=account_id)
    keys = _throttle_keys(session, cfg, [account], now)[account.id]
    throttle.clear(session, keys)
    audit.record(session, ctx, "account.unlocked", object_type="account", object_id=account.id)
    return account
