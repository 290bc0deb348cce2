"""One-time codes: accounts created without a password, activation, and reset by a new code.

Nobody ever sees or sends a password: an account is created without one, and its owner sets it
with a one-time code (shown once to be printed or read out; only its argon2 hash is stored,
and neither logs nor the audit log hold it). A reset is a new code.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.accounts.models import Account, AccountCode, AuthToken, LoginAttempt
from app.accounts.service import (
    LoginResult,
    create_account,
    find_login,
    normalise_phone,
    set_password,
)
from app.accounts.service_admin import NOT_FOUND, get_account
from app.accounts.service_login_throttle import LoginGate, login_key
from app.core import audit
from app.core.config import AuthSettings
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.i18n import N_
from app.core.permissions import Actor, Perm, require_in_unit
from app.core.security import DUMMY_HASH, hash_password, new_token, password_problem
from app.core.security import verify_password as verify_secret
from app.core.text import fold, nfc
from app.members.models import Member
from app.units.models import Unit

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


# As the API's schema says (app.accounts.schemas.Username): typed on a phone by anyone.
USERNAME = re.compile(r"[A-Za-z0-9._-]{2,64}")
BAD_CODE = N_("Tên đăng nhập hoặc mã kích hoạt không đúng, hoặc mã đã hết hạn")


@dataclass
class IssuedCode:
    """A one-time code as issued: `code` is shown once and never stored."""

    account: Account
    code: str
    expires_at: datetime


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


# -- creating accounts and codes --------------------------------------------------------------


def create_with_code(
    session: Session,
    ctx: audit.AuditContext,
    *,
    actor: Actor | None,
    cfg: AuthSettings,
    now: datetime,
    member_id: int | None = None,
    unit_id: int | None = None,
    username: str | None = None,
    display_name: str = "",
    phone: str | None = None,
) -> IssuedCode:
    """An account for a member, or for committee staff in a unit, with its activation code.

    `actor` None is the operator at the command line, for whom no scope applies."""
    home_unit_id: int | None = None
    audit_unit: int | None = unit_id
    if member_id is not None:
        member = session.get(Member, member_id)
        if member is None:
            raise NotFound("Không tìm thấy đảng viên")
        if actor is not None:
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
        if actor is not None:
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
    if not USERNAME.fullmatch(username):
        raise _invalid(
            "username",
            N_("Tên đăng nhập gồm 2–64 chữ không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới"),
        )
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


def create_for_operator(
    session: Session,
    *,
    cfg: AuthSettings,
    member_id: int | None,
    unit_code: str | None,
    display_name: str = "",
    username: str | None = None,
) -> IssuedCode:
    """`sotay accounts create`: a member's account, or staff's in the unit with this code."""
    unit_id = None
    if unit_code:
        unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
        if unit_id is None:
            raise NotFound("Không tìm thấy đơn vị")
    return create_with_code(
        session,
        audit.AuditContext(),
        actor=None,
        cfg=cfg,
        now=utcnow(),
        member_id=member_id,
        unit_id=unit_id,
        username=username,
        display_name=display_name,
    )


def reset_for_operator(session: Session, *, cfg: AuthSettings, username: str) -> IssuedCode:
    """`sotay accounts reset`: a new one-time code for the account with this username."""
    account = session.scalar(
        select(Account).where(func.lower(Account.username) == nfc(username).lower())
    )
    if account is None:
        raise NotFound(NOT_FOUND)
    return issue_code_for_operator(
        session, audit.AuditContext(), cfg=cfg, account=account, now=utcnow()
    )


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
