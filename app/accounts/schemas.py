"""API schemas for authentication and accounts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.accounts.models import Role
from app.core.ids import Id
from app.core.text import NameStr, NFCStr, PasswordStr

# Letters, digits, dot, dash and underscore: typed on a phone by an older member.
Username = Annotated[
    NFCStr, StringConstraints(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class GrantOut(BaseModel):
    unit_id: int
    role: str


class MeOut(BaseModel):
    account_id: int
    username: str
    member_id: int | None
    member_unit_id: int | None
    grants: list[GrantOut]


class PasswordChangeIn(BaseModel):
    old_password: PasswordStr = Field(min_length=1, max_length=256)
    new_password: PasswordStr = Field(min_length=1, max_length=256)


# -- administration (issue 17) -----------------------------------------------------------------


class AccountCreateIn(BaseModel):
    """A member's account (`member_id`), or committee staff's (`unit_id` and `display_name`)."""

    member_id: Id | None = None
    unit_id: Id | None = None
    username: Username | None = None
    display_name: NameStr = Field(default="", max_length=255)
    phone: NFCStr | None = Field(default=None, max_length=20)


class AccountOut(BaseModel):
    id: int
    username: str
    display_name: str
    member_id: int | None
    member_name: str | None = None
    unit_name: str | None = None
    state: str  # active | awaiting_code | code_expired | locked | deactivated
    last_login_at: datetime | None
    created_at: datetime


class IssuedCodeOut(BaseModel):
    """A one-time code, shown this once: it is stored only as a hash."""

    account: AccountOut
    code: str
    expires_at: datetime


class ActivateIn(BaseModel):
    username: NFCStr = Field(min_length=1, max_length=128)
    code: NFCStr = Field(min_length=1, max_length=32)
    new_password: PasswordStr = Field(min_length=1, max_length=256)


class GrantIn(BaseModel):
    account_id: Id
    unit_id: Id
    role: Role
    starts_on: date | None = None
    ends_on: date | None = None
    reason: NFCStr = Field(min_length=1, max_length=500)


class RevokeIn(BaseModel):
    reason: NFCStr = Field(min_length=1, max_length=500)


class RoleGrantOut(BaseModel):
    id: int
    account_id: int
    username: str
    display_name: str
    unit_id: int
    unit_name: str
    role: Role
    starts_on: date | None
    ends_on: date | None
    reason: str
    state: str  # upcoming | active | ended
