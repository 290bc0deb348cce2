"""Account administration: accounts created with a one-time code, activation, deactivation,
unlocking, and the list of accounts an admin looks after.

Nobody ever sees or sends a password: an account is created without one, and its owner sets it
with a one-time code (shown once to be printed or read out; only its argon2 hash is stored,
and neither logs nor the audit log hold it). A reset is a new code.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, false, func, or_, select, update
from sqlalchemy.orm import Session

from app.accounts.models import Account, AccountCode, AuthToken, LoginAttempt, RoleGrant
from app.accounts.service import (
    LoginResult,
    create_account,
    find_login,
    normalise_phone,
    set_password,
)
from app.accounts.service_login_throttle import LoginGate, login_key
from app.core import audit, throttle
from app.core.config import AuthSettings
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.i18n import N_
from app.core.permissions import Actor, Perm, accessible_unit_ids, require_in_unit
from app.core.security import DUMMY_HASH, hash_password, new_token, password_problem
from app.core.security import verify_password as verify_secret
from app.core.text import fold, nfc
from app.members.models import Member
from app.units.models import Unit

# No 0/O, 1/I/L: a code read out over the phone or copied from paper by an older member.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8

NOT_FOUND = N_("Không tìm thấy tài khoản")
BAD_CODE = N_("Tên đăng nhập hoặc mã kích hoạt không đúng, hoặc mã đã hết hạn")


class State:
    """An account's state as the list shows it (msgids in app.web.routes_accounts)."""

    active = "active"
    awaiting_code = "awaiting_code"  # a code is out and unused
    code_expired = "code_expired"  # never set a password, and the code ran out
    locked = "locked"  # sign-ins held back by the throttles
    deactivated = "deactivated"


@dataclass
class IssuedCode:
    """A one-time code as issued: `code` is shown once and never stored."""

    account: Account
    code: str
    expires_at: datetime


@dataclass
class AccountRow:
    account: Account
    member_name: str | None
    unit_name: str | None
    state: str


def new_code() -> str:
    """Eight letters and digits, grouped 4-4 for reading out: "K7PQ-3MXA"."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def code_form(code: str) -> str:
    """The code as compared: upper case, without spaces or dashes (typed either way)."""
    return "".join(ch for ch in nfc(code).upper() if ch.isalnum())


def suggest_username(session: Session, *, name: str) -> str:
    """A free username from a Vietnamese name, ASCII: "Nguyễn Văn An" -> "annv", then "annv2"."""
    words = ["".join(ch for ch in w if ch.isascii() and ch.isalnum()) for w in fold(name).split()]
    words = [w for w in words if w]
    base = (words[-1] + "".join(w[0] for w in words[:-1]))[:56] if words else "user"
    taken = {
        u.lower()
        for u in session.scalars(
            select(Account.username).where(func.lower(Account.username).startswith(base))
        )
    }
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, details=[{"field": field, "message": message}])


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


# -- creating accounts and codes --------------------------------------------------------------


def create_with_code(
    session: Session,
    ctx: audit.AuditContext,
    *,
    actor: Actor,
    cfg: AuthSettings,
    now: datetime,
    member_id: int | None = None,
    unit_id: int | None = None,
    username: str | None = None,
    display_name: str = "",
    phone: str | None = None,
) -> IssuedCode:
    """An account for a member, or for committee staff in a unit, with its activation code."""
    home_unit_id: int | None = None
    audit_unit: int | None = unit_id
    if member_id is not None:
        member = session.get(Member, member_id)
        if member is None:
            raise NotFound("Không tìm thấy đảng viên")
        require_in_unit(
            session,
            actor,
            Perm.account_manage,
            member.unit_id,
            see=Perm.member_view,
            missing=N_("Không tìm thấy đảng viên"),
            denied=N_("Bạn không có quyền quản lý tài khoản ở đơn vị này"),
        )
        if session.scalar(select(Account.id).where(Account.member_id == member.id)):
            raise Conflict("Đảng viên này đã có tài khoản")
        display_name = display_name or member.full_name
        audit_unit = member.unit_id
    else:
        if unit_id is None:
            raise _invalid("unit_id", N_("Chọn đảng viên, hoặc đơn vị của cán bộ"))
        require_in_unit(
            session,
            actor,
            Perm.account_manage,
            unit_id,
            see=Perm.unit_view,
            missing=N_("Không tìm thấy đơn vị"),
            denied=N_("Bạn không có quyền quản lý tài khoản ở đơn vị này"),
        )
        if not nfc(display_name):
            raise _invalid("display_name", N_("Chưa nhập họ và tên"))
        home_unit_id = unit_id
    username = nfc(username or "") or suggest_username(session, name=display_name)
    if phone and session.scalar(select(Account.id).where(Account.phone == normalise_phone(phone))):
        raise Conflict("Số điện thoại đã dùng cho tài khoản khác")
    account = create_account(
        session,
        username=username,
        password=None,
        display_name=display_name,
        phone=phone,
        member_id=member_id,
    )
    account.home_unit_id = home_unit_id
    audit.record(
        session,
        ctx,
        "account.created",
        object_type="account",
        object_id=account.id,
        unit_id=audit_unit,
        detail={"username": account.username, "member_id": member_id},
    )
    return _issue(session, ctx, cfg, account=account, purpose="activate", by=actor, now=now)


def reset_with_code(
    session: Session,
    ctx: audit.AuditContext,
    *,
    actor: Actor,
    cfg: AuthSettings,
    now: datetime,
    account_id: int,
) -> IssuedCode:
    """A new one-time code: the old password and every earlier code stop working at once."""
    account = get_account(session, actor=actor, account_id=account_id)
    if account.id == actor.account_id:
        raise Forbidden("Hãy tự đổi mật khẩu của mình ở trang Tài khoản")
    purpose = "reset" if account.password_changed_at is not None else "activate"
    # Unusable until the code is used: whoever knew the old password is out, sessions too.
    account.password_hash = hash_password(new_token())
    session.execute(
        update(AuthToken)
        .where(AuthToken.account_id == account.id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return _issue(session, ctx, cfg, account=account, purpose=purpose, by=actor, now=now)


def _issue(
    session: Session,
    ctx: audit.AuditContext,
    cfg: AuthSettings,
    *,
    account: Account,
    purpose: str,
    by: Actor | None,
    now: datetime,
) -> IssuedCode:
    _spend_codes(session, account.id, now)
    code = new_code()
    expires = now + timedelta(hours=cfg.activation_code_hours)
    session.add(
        AccountCode(
            account_id=account.id,
            code_hash=hash_password(code_form(code)),
            purpose=purpose,
            created_at=now,
            created_by=by.account_id if by else None,
            expires_at=expires,
        )
    )
    session.flush()
    # The code itself never reaches the log: only that one was issued, and until when.
    audit.record(
        session,
        ctx,
        "account.code_issued",
        object_type="account",
        object_id=account.id,
        detail={"purpose": purpose, "expires_at": expires.isoformat(timespec="minutes")},
    )
    return IssuedCode(account, code, expires)


def issue_code_for_operator(
    session: Session, ctx: audit.AuditContext, *, cfg: AuthSettings, account: Account, now: datetime
) -> IssuedCode:
    """A new code for `sotay accounts create|reset` (the operator has the whole database)."""
    if account.password_changed_at is not None:
        account.password_hash = hash_password(new_token())
        session.execute(
            update(AuthToken)
            .where(AuthToken.account_id == account.id, AuthToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    purpose = "reset" if account.password_changed_at is not None else "activate"
    return _issue(session, ctx, cfg, account=account, purpose=purpose, by=None, now=now)


def _spend_codes(session: Session, account_id: int, now: datetime) -> None:
    session.execute(
        update(AccountCode)
        .where(AccountCode.account_id == account_id, AccountCode.used_at.is_(None))
        .values(used_at=now)
    )


def activate(
    session: Session,
    cfg: AuthSettings,
    *,
    login: str,
    code: str,
    password: str,
    ip: str | None,
    now: datetime,
) -> LoginResult:
    """Set a password with a one-time code, behind the sign-in throttles (keyed apart).

    A wrong code, an unknown login and a spent or expired code answer alike. The caller
    commits even on failure, so that failed attempts count.
    """
    problem = password_problem(password)
    if problem:
        return LoginResult(None, problem, 422)
    key = "activate:" + login_key(login, normalise_phone(login))
    gate = LoginGate.open(session, cfg, login=key, ip=ip, now=now)
    if gate.wait:
        return LoginResult(
            None,
            "Bạn đã thử quá nhiều lần, vui lòng thử lại sau {minutes} phút.",
            429,
            gate.wait,
        )
    account = find_login(session, login)
    typed = code_form(code)
    found: AccountCode | None = None
    if account is not None and account.is_active:
        for row in session.scalars(
            select(AccountCode).where(
                AccountCode.account_id == account.id,
                AccountCode.used_at.is_(None),
                AccountCode.expires_at > now,
            )
        ):
            if verify_secret(row.code_hash, typed):
                found = row
                break
    else:
        verify_secret(DUMMY_HASH, typed)
    if account is None or found is None:
        gate.failed()
        # Kept with the sign-in attempts, so that unlocking finds the sources it came from.
        session.add(LoginAttempt(ip=ip, username=login[:64], success=False))
        return LoginResult(None, BAD_CODE, 401)
    gate.passed()
    _spend_codes(session, account.id, now)
    set_password(session, account, password)
    audit.record(
        session,
        audit.AuditContext(account.id, None, ip),
        "account.activated",
        object_type="account",
        object_id=account.id,
        detail={"purpose": found.purpose},
    )
    return LoginResult(account)


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
