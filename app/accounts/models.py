"""Accounts, role grants on units, one-time activation codes, login tokens and login attempts."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    member = "member"
    cell_secretary = "cell_secretary"
    cell_deputy = "cell_deputy"
    committee_staff = "committee_staff"
    committee_admin = "committee_admin"
    auditor = "auditor"
    city_admin = "city_admin"


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    display_name: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    # Null for staff-only accounts.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Not read since sign-ins are throttled (app.core.throttle, migration 0011); dropping them
    # would rebuild this table, which most others reference, on SQLite.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The unit an account without a member belongs to (committee staff), for the admins' scope;
    # a member's account follows the member's unit instead (migration 0014).
    home_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RoleGrant(Base):
    """A role held on a unit; it covers the unit's whole subtree."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("account_id", "unit_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    # Dates of record in Vietnam's calendar, both inclusive; null start: since it was granted,
    # null end: until revoked. The actor's grants are read through these (app.core.permissions).
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500), default="")


class AccountCode(Base):
    """A one-time code that lets its account set a password (activation or reset).

    Only an argon2 hash of the code is kept; it is shown once, to be printed or read out.
    """

    __tablename__ = "account_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    purpose: Mapped[str] = mapped_column(String(16))  # "activate" | "reset"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuthToken(Base):
    """A web session or an API bearer token; only the SHA-256 of the secret is stored."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "session" | "api"
    csrf_token: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ip: Mapped[str | None] = mapped_column(String(64))


class LoginAttempt(Base):
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    ip: Mapped[str | None] = mapped_column(String(64), index=True)
    username: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)
