"""Accounts: throttled login, session and API tokens, passwords and grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.accounts.models import Account, AuthToken, LoginAttempt, Role, RoleGrant
from app.accounts.service_login_throttle import LoginGate, login_key
from app.core import audit, throttle
from app.core.config import AuthSettings
from app.core.db import utcnow
from app.core.errors import Conflict, Invalid
from app.core.security import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    new_token,
    password_problem,
    token_digest,
    verify_password,
)
from app.core.text import digits, nfc


@dataclass
class LoginResult:
    account: Account | None
    error: str | None = None  # msgid of the reason, shown to the user
    status: int = 200
    retry_after: int = 0  # seconds, with 429

    @property
    def minutes(self) -> int:
        return throttle.minutes(self.retry_after)


def find_login(session: Session, login: str) -> Account | None:
    """An account by username, or by phone number in any common spelling."""
    login = nfc(login).lower()
    account = session.scalar(select(Account).where(func.lower(Account.username) == login))
    if account is None and digits(login) and len(digits(login)) >= 9:
        account = session.scalar(select(Account).where(Account.phone == normalise_phone(login)))
    return account


def normalise_phone(value: str) -> str:
    d = digits(value)
    if d.startswith("84") and len(d) == 11:
        d = "0" + d[2:]
    return d


def authenticate(
    session: Session,
    cfg: AuthSettings,
    *,
    login: str,
    password: str,
    ip: str | None,
    now: datetime,
) -> LoginResult:
    """Check a password behind throttles with growing delays (app.accounts.service_login_throttle).

    An unknown login takes the path of an account, with the same answers, delays and hashing.
    The caller commits even on failure, so that failed attempts are remembered.
    """
    gate = LoginGate.open(
        session, cfg, login=login_key(login, normalise_phone(login)), ip=ip, now=now
    )
    if gate.wait:  # the password is not looked at, so a guess here tells nothing
        _attempt(session, ip, login, False)
        return LoginResult(
            None,
            "Bạn đã thử quá nhiều lần, vui lòng thử lại sau {minutes} phút.",
            429,
            gate.wait,
        )

    account = find_login(session, login)
    if account is None:
        verify_password(DUMMY_HASH, password)
        gate.failed()
        _attempt(session, ip, login, False)
        return LoginResult(None, "Tên đăng nhập hoặc mật khẩu không đúng", 401)

    if not verify_password(account.password_hash, password) or not account.is_active:
        if gate.failed():
            audit.record(
                session,
                audit.AuditContext(None, None, ip),
                "account.throttled",
                object_type="account",
                object_id=account.id,
            )
        _attempt(session, ip, login, False)
        return LoginResult(None, "Tên đăng nhập hoặc mật khẩu không đúng", 401)

    gate.passed()
    account.last_login_at = now
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    _attempt(session, ip, login, True)
    return LoginResult(account)


def _attempt(session: Session, ip: str | None, login: str, success: bool) -> None:
    session.add(LoginAttempt(ip=ip, username=login[:64], success=success))


def issue_token(
    session: Session, cfg: AuthSettings, *, account: Account, kind: str, ip: str | None
) -> tuple[str, AuthToken]:
    """Create a session or API token; the plain secret is returned once and never stored."""
    hours = cfg.session_hours if kind == "session" else cfg.token_hours
    secret = new_token()
    row = AuthToken(
        token_hash=token_digest(secret),
        account_id=account.id,
        kind=kind,
        csrf_token=new_token() if kind == "session" else "",
        expires_at=utcnow() + timedelta(hours=hours),
        ip=ip,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        audit.AuditContext(account.id, None, ip),
        "auth.login",
        object_type="account",
        object_id=account.id,
        detail={"kind": kind},
    )
    return secret, row


def revoke_token(session: Session, token_id: int) -> None:
    session.execute(update(AuthToken).where(AuthToken.id == token_id).values(revoked_at=utcnow()))


def change_password(
    session: Session, ctx: audit.AuditContext, *, account: Account, old: str, new: str
) -> None:
    """The user changes their own password; every other session is signed out."""
    if not verify_password(account.password_hash, old):
        raise Invalid("Mật khẩu hiện tại không đúng")
    set_password(session, account, new)
    audit.record(
        session, ctx, "account.password_changed", object_type="account", object_id=account.id
    )


def set_password(session: Session, account: Account, new: str) -> None:
    """Check and set a new password; every session and token of the account is revoked."""
    problem = password_problem(new)
    if problem:
        raise Invalid(problem)
    account.password_hash = hash_password(new)
    account.password_changed_at = utcnow()
    account.must_change_password = False
    session.execute(
        update(AuthToken)
        .where(AuthToken.account_id == account.id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def create_account(
    session: Session,
    *,
    username: str,
    password: str | None,
    display_name: str = "",
    phone: str | None = None,
    member_id: int | None = None,
) -> Account:
    """Create an account (used by admins, the CLI and the demo); without a password it cannot
    sign in until its owner sets one with a one-time code (app.accounts.service_admin)."""
    username = nfc(username).lower()
    if not username or len(username) > 64:
        raise Invalid("Tên đăng nhập không hợp lệ")
    if session.scalar(select(Account.id).where(func.lower(Account.username) == username)):
        raise Conflict("Tên đăng nhập đã tồn tại")
    if password is not None and (problem := password_problem(password)):
        raise Invalid(problem)
    account = Account(
        username=username,
        display_name=nfc(display_name),
        phone=normalise_phone(phone) if phone else None,
        member_id=member_id,
        # No password yet: the hash of a random secret nobody holds.
        password_hash=hash_password(password if password is not None else new_token()),
        password_changed_at=utcnow() if password is not None else None,
    )
    session.add(account)
    session.flush()
    return account


def grant_role(
    session: Session,
    *,
    account_id: int,
    unit_id: int,
    role: Role,
    granted_by: int | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    reason: str = "",
) -> RoleGrant:
    """Grant a role without checks (the CLI, the demo, and service_grants after its checks);
    an existing grant of the same role on the unit takes the new dates and reason."""
    if role == Role.member:
        raise Invalid("Vai trò đảng viên đi theo chi bộ của đảng viên, không cấp riêng")
    existing = session.scalar(
        select(RoleGrant).where(
            RoleGrant.account_id == account_id, RoleGrant.unit_id == unit_id, RoleGrant.role == role
        )
    )
    if existing:
        if starts_on or ends_on or reason:
            existing.starts_on, existing.ends_on, existing.reason = starts_on, ends_on, reason
            existing.granted_by, existing.granted_at = granted_by, utcnow()
        return existing
    grant = RoleGrant(
        account_id=account_id,
        unit_id=unit_id,
        role=role,
        granted_by=granted_by,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
    )
    session.add(grant)
    session.flush()
    return grant
