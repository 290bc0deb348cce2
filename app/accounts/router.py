"""Auth API: OAuth2 password-form token endpoint, current account, password change and reset."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request

from app.accounts import service
from app.accounts.models import Account
from app.accounts.schemas import GrantOut, MeOut, PasswordChangeIn, PasswordResetIn, TokenOut
from app.core.deps import (
    AuditCtx,
    CanManageAccounts,
    CurrentActor,
    DBSession,
    SettingsDep,
    client_ip,
)
from app.core.errors import TooManyRequests, Unauthorized
from app.core.ids import Id
from app.core.text import NFCStr
from app.core.throttle import Now

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenOut)
def issue_token(
    request: Request,
    session: DBSession,
    settings: SettingsDep,
    username: Annotated[NFCStr, Form(max_length=128)],
    password: Annotated[str, Form(max_length=256)],
    now: Now,
) -> TokenOut:
    """OAuth2 password grant: username or phone plus password gives a bearer token."""
    ip = client_ip(request)
    result = service.authenticate(
        session, settings.auth, login=username, password=password, ip=ip, now=now
    )
    if result.account is None:
        session.commit()  # keep the failed attempt and the throttles despite the error
        reason = result.error or ""  # a msgid from authenticate
        if result.status == 429:
            raise TooManyRequests(reason, retry_after=result.retry_after, minutes=result.minutes)
        raise Unauthorized(reason)
    secret, _row = service.issue_token(
        session, settings.auth, account=result.account, kind="api", ip=ip
    )
    return TokenOut(access_token=secret, expires_in=settings.auth.token_hours * 3600)


@router.get("/auth/me", response_model=MeOut)
def read_me(actor: CurrentActor) -> MeOut:
    return MeOut(
        account_id=actor.account_id,
        username=actor.username,
        member_id=actor.member_id,
        member_unit_id=actor.member_unit_id,
        grants=[GrantOut(unit_id=g.unit_id, role=g.role) for g in actor.grants],
    )


@router.post("/auth/password", status_code=204)
def change_password(
    body: PasswordChangeIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> None:
    account = session.get(Account, actor.account_id)
    assert account is not None
    service.change_password(
        session, ctx, account=account, old=body.old_password, new=body.new_password
    )


@router.post("/accounts/{account_id}/reset-password", status_code=204)
def reset_password(
    account_id: Id,
    body: PasswordResetIn,
    actor: CanManageAccounts,
    session: DBSession,
    ctx: AuditCtx,
) -> None:
    service.reset_password(session, ctx, actor=actor, account_id=account_id, new=body.new_password)
