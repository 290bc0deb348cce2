"""API schemas for authentication and accounts."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.core.text import PasswordStr


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


class PasswordResetIn(BaseModel):
    new_password: PasswordStr = Field(min_length=1, max_length=256)
