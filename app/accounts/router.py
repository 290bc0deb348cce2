"""Auth and accounts API: token, current account, password change, activation with a one-time
code; account administration and role grants (issue 17)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy.orm import Session

from app.accounts import service, service_admin, service_codes, service_grants
from app.accounts.models import Account, Role
from app.accounts.schemas import (
    AccountCreateIn,
    AccountOut,
    ActivateIn,
    GrantIn,
    GrantOut,
    IssuedCodeOut,
    MeOut,
    PasswordChangeIn,
    RevokeIn,
    RoleGrantOut,
    TokenOut,
)
from app.core.config import AuthSettings
from app.core.deps import (
    AuditCtx,
    CanManageAccounts,
    CurrentActor,
    DBSession,
    SettingsDep,
    client_ip,
)
from app.core.errors import Invalid, TooManyRequests, Unauthorized
from app.core.ids import Id
from app.core.localtime import LOCAL_TZ
from app.core.text import NFCStr
from app.core.throttle import Now
from app.units.models import Unit

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


def _today(now: datetime) -> date:
    return now.astimezone(LOCAL_TZ).date()


def _account_out(
    session: Session,
    cfg: AuthSettings,
    account: Account,
    now: datetime,
    *,
    state: str | None = None,
) -> AccountOut:
    return AccountOut(
        id=account.id,
        username=account.username,
        display_name=account.display_name,
        member_id=account.member_id,
        state=state or service_admin.account_state(session, cfg=cfg, account=account, now=now),
        last_login_at=account.last_login_at,
        created_at=account.created_at,
    )


def _grant_out(row: service_grants.GrantRow) -> RoleGrantOut:
    g = row.grant
    return RoleGrantOut(
        id=g.id,
        account_id=row.account.id,
        username=row.account.username,
        display_name=row.account.display_name,
        unit_id=row.unit.id,
        unit_name=row.unit.name,
        role=Role(g.role),
        starts_on=g.starts_on,
        ends_on=g.ends_on,
        reason=g.reason,
        state=row.state,
    )


@router.post("/auth/activate", status_code=204)
def activate_account(
    request: Request, body: ActivateIn, session: DBSession, settings: SettingsDep, now: Now
) -> None:
    """Set a password with a one-time activation or reset code; then sign in as usual."""
    result = service_codes.activate(
        session,
        settings.auth,
        login=body.username,
        code=body.code,
        password=body.new_password,
        ip=client_ip(request),
        now=now,
    )
    if result.account is None:
        session.commit()  # keep the failed attempt in the throttles despite the error
        reason = result.error or ""
        if result.status == 429:
            raise TooManyRequests(reason, retry_after=result.retry_after, minutes=result.minutes)
        if result.status == 422:
            raise Invalid(reason)
        raise Unauthorized(reason)


@router.get("/accounts", response_model=list[AccountOut])
def list_accounts(
    actor: CanManageAccounts,
    session: DBSession,
    settings: SettingsDep,
    now: Now,
    unit_id: Annotated[Id | None, Query()] = None,
    q: Annotated[str, Query(max_length=100)] = "",
) -> list[AccountOut]:
    """Accounts the caller manages, with their state and last sign-in."""
    rows = service_admin.list_accounts(
        session, actor=actor, cfg=settings.auth, now=now, unit_id=unit_id, q=q
    )
    out = []
    for r in rows:
        item = _account_out(session, settings.auth, r.account, now, state=r.state)
        item.member_name, item.unit_name = r.member_name, r.unit_name
        out.append(item)
    return out


@router.post("/accounts", response_model=IssuedCodeOut, status_code=201)
def create_account(
    body: AccountCreateIn,
    actor: CanManageAccounts,
    session: DBSession,
    settings: SettingsDep,
    ctx: AuditCtx,
    now: Now,
) -> IssuedCodeOut:
    """An account for a member or for committee staff; the activation code is shown only here."""
    issued = service_codes.create_with_code(
        session,
        ctx,
        actor=actor,
        cfg=settings.auth,
        now=now,
        member_id=body.member_id,
        unit_id=body.unit_id,
        username=body.username,
        display_name=body.display_name,
        phone=body.phone,
    )
    return IssuedCodeOut(
        account=_account_out(session, settings.auth, issued.account, now),
        code=issued.code,
        expires_at=issued.expires_at,
    )


@router.get("/accounts/{account_id}", response_model=AccountOut)
def read_account(
    account_id: Id, actor: CanManageAccounts, session: DBSession, settings: SettingsDep, now: Now
) -> AccountOut:
    account = service_admin.get_account(session, actor=actor, account_id=account_id)
    return _account_out(session, settings.auth, account, now)


@router.post("/accounts/{account_id}/code", response_model=IssuedCodeOut)
def issue_account_code(
    account_id: Id,
    actor: CanManageAccounts,
    session: DBSession,
    settings: SettingsDep,
    ctx: AuditCtx,
    now: Now,
) -> IssuedCodeOut:
    """Reset: a new one-time code; the old password and earlier codes stop working."""
    issued = service_codes.reset_with_code(
        session, ctx, actor=actor, cfg=settings.auth, now=now, account_id=account_id
    )
    return IssuedCodeOut(
        account=_account_out(session, settings.auth, issued.account, now),
        code=issued.code,
        expires_at=issued.expires_at,
    )


@router.post("/accounts/{account_id}/deactivate", response_model=AccountOut)
def deactivate_account(
    account_id: Id,
    actor: CanManageAccounts,
    session: DBSession,
    settings: SettingsDep,
    ctx: AuditCtx,
    now: Now,
) -> AccountOut:
    account = service_admin.deactivate(session, ctx, actor=actor, account_id=account_id, now=now)
    return _account_out(session, settings.auth, account, now)


@router.post("/accounts/{account_id}/reactivate", response_model=AccountOut)
def reactivate_account(
    account_id: Id,
    actor: CanManageAccounts,
    session: DBSession,
    settings: SettingsDep,
    ctx: AuditCtx,
    now: Now,
) -> AccountOut:
    account = service_admin.reactivate(session, ctx, actor=actor, account_id=account_id)
    return _account_out(session, settings.auth, account, now)


@router.post("/accounts/{account_id}/unlock", response_model=AccountOut)
def unlock_account(
    account_id: Id,
    actor: CanManageAccounts,
    session: DBSession,
    settings: SettingsDep,
    ctx: AuditCtx,
    now: Now,
) -> AccountOut:
    """Clear the sign-in delays held against the account after wrong passwords."""
    account = service_admin.unlock(
        session, ctx, actor=actor, cfg=settings.auth, account_id=account_id, now=now
    )
    return _account_out(session, settings.auth, account, now)


@router.get("/accounts/{account_id}/grants", response_model=list[RoleGrantOut])
def list_account_grants(
    account_id: Id, actor: CanManageAccounts, session: DBSession, now: Now
) -> list[RoleGrantOut]:
    rows = service_grants.account_grants(
        session, actor=actor, account_id=account_id, today=_today(now)
    )
    return [_grant_out(r) for r in rows]


@router.get("/units/{unit_id}/grants", response_model=list[RoleGrantOut])
def list_unit_grants(
    unit_id: Id, actor: CanManageAccounts, session: DBSession, now: Now
) -> list[RoleGrantOut]:
    """Who holds which role in the unit's tree (ended grants too, until revoked)."""
    rows = service_grants.unit_grants(session, actor=actor, unit_id=unit_id, today=_today(now))
    return [_grant_out(r) for r in rows]


@router.post("/grants", response_model=RoleGrantOut, status_code=201)
def create_grant(
    body: GrantIn, actor: CanManageAccounts, session: DBSession, ctx: AuditCtx, now: Now
) -> RoleGrantOut:
    """Grant a role on a unit and its tree; never above the caller's own role or scope."""
    today = _today(now)
    row = service_grants.grant(
        session,
        ctx,
        actor=actor,
        account_id=body.account_id,
        unit_id=body.unit_id,
        role=body.role,
        reason=body.reason,
        today=today,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    account = session.get(Account, row.account_id)
    unit = session.get(Unit, row.unit_id)
    assert account is not None and unit is not None
    state = service_grants.grant_state(row, today)
    return _grant_out(service_grants.GrantRow(row, account, unit, state))


@router.post("/grants/{grant_id}/revoke", status_code=204)
def revoke_grant(
    grant_id: Id, body: RevokeIn, actor: CanManageAccounts, session: DBSession, ctx: AuditCtx
) -> None:
    service_grants.revoke(session, ctx, actor=actor, grant_id=grant_id, reason=body.reason)
