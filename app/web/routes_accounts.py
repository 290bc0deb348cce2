"""Web pages for account administration (issue 17): the accounts an admin looks after, creating
one for a member or for staff, the printable one-time code slip, deactivating, unlocking, role
grants; and /activate, where a member sets a password with the code."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import service_admin, service_codes, service_grants
from app.accounts.models import Account, Role, RoleGrant
from app.accounts.schemas import GrantIn
from app.core.deps import CSRF_COOKIE, AuditCtx, DBSession, SettingsDep, client_ip
from app.core.errors import AppError, Forbidden
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.localtime import LOCAL_TZ
from app.core.permissions import ROLE_PERMS, ROLE_RANK, Actor, Perm
from app.core.security import new_token, same
from app.core.text import fold
from app.core.throttle import Now
from app.members import service as members_service
from app.members.models import Member
from app.units import service as units_service
from app.web import form_errors
from app.web.guard import WebActor, returning_to
from app.web.templating import render

router = APIRouter()

STATE_LABELS = {
    "active": N_("Đang dùng"),
    "awaiting_code": N_("Chờ kích hoạt"),
    "code_expired": N_("Mã kích hoạt đã hết hạn"),
    "locked": N_("Tạm khóa do nhập sai nhiều lần"),
    "deactivated": N_("Đã khóa"),
}
GRANT_STATE_LABELS = {
    "upcoming": N_("Chưa bắt đầu"),
    "active": N_("Đang có hiệu lực"),
    "ended": N_("Đã hết hạn"),
}
DONE_MESSAGES = {
    "deactivated": N_("Đã khóa tài khoản"),
    "reactivated": N_("Đã mở lại tài khoản"),
    "unlocked": N_("Đã gỡ tạm khóa đăng nhập"),
    "granted": N_("Đã cấp vai trò"),
    "revoked": N_("Đã thu hồi vai trò"),
}
GRANT_LABELS = {
    "role": N_("Vai trò"),
    "unit_id": N_("Đơn vị"),
    "starts_on": N_("Từ ngày"),
    "ends_on": N_("Đến hết ngày"),
    "reason": N_("Lý do"),
    "account_id": N_("Tài khoản"),
}


def _require(actor: Actor) -> None:
    if not actor.has_any(Perm.account_manage):
        raise Forbidden("Bạn không có quyền quản lý tài khoản")


def _grantable(actor: Actor) -> list[Role]:
    """Roles the actor could grant somewhere (the unit decides the rest)."""
    top = max(
        (ROLE_RANK[g.role] for g in actor.grants if Perm.account_manage in ROLE_PERMS[g.role]),
        default=-1,
    )
    return [r for r in Role if r != Role.member and ROLE_RANK[r] <= top]


def _int_or_none(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _members_without_account(session: Session, actor: Actor, q: str) -> list[Any]:
    """Members in the actor's scope who have no account yet, matching `q` (a name)."""
    if len(fold(q)) < 2:
        return []
    page = members_service.list_members(session, actor=actor, q=q, page=1, page_size=20)
    ids = [m.id for m in page.items]
    taken = set(session.scalars(select(Account.member_id).where(Account.member_id.in_(ids))))
    managed = {
        u.id
        for u in units_service.units_for_picker(
            session, actor=actor, perm=Perm.account_manage, limit=None
        )
    }
    return [m for m in page.items if m.id not in taken and m.unit_id in managed]


def _list_page(
    request: Request,
    session: Session,
    actor: Actor,
    settings: Any,
    now: datetime,
    *,
    q: str = "",
    find: str = "",
    unit_id: int | None = None,
    error: str | None = None,
    details: list[dict[str, str]] | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    rows = service_admin.list_accounts(
        session, actor=actor, cfg=settings.auth, now=now, unit_id=unit_id, q=q
    )
    return render(
        request,
        "accounts/index.html",
        {
            "rows": rows,
            "q": q,
            "find": find,
            "unit_id": unit_id,
            "found": _members_without_account(session, actor, find),
            "units": units_service.units_for_picker(session, actor=actor, perm=Perm.account_manage),
            "state_labels": STATE_LABELS,
            "error": error,
            "details": details or [],
            "form": form or {},
        },
        status_code=status_code,
    )


@router.get("/accounts")
def accounts_page(
    request: Request,
    session: DBSession,
    settings: SettingsDep,
    actor: WebActor,
    now: Now,
    q: str = "",
    find: str = "",
    unit_id: str = "",
) -> Response:
    _require(actor)
    return _list_page(
        request, session, actor, settings, now,
        q=q[:100], find=find[:100], unit_id=_int_or_none(unit_id),
    )  # fmt: skip


@router.get("/accounts/roles")
def roles_page(
    request: Request, session: DBSession, actor: WebActor, now: Now, unit_id: str = ""
) -> Response:
    """Who holds which role in a unit's tree."""
    _require(actor)
    units = units_service.units_for_picker(session, actor=actor, perm=Perm.account_manage)
    chosen = _int_or_none(unit_id) or (units[0].id if units else None)
    rows = (
        service_grants.unit_grants(
            session, actor=actor, unit_id=chosen, today=now.astimezone(LOCAL_TZ).date()
        )
        if chosen
        else []
    )
    return render(
        request,
        "accounts/roles.html",
        {
            "units": units,
            "unit_id": chosen,
            "rows": rows,
            "grant_state_labels": GRANT_STATE_LABELS,
        },
    )


def _slip(request: Request, issued: service_codes.IssuedCode, session: Session) -> Response:
    account = issued.account
    member = session.get(Member, account.member_id) if account.member_id else None
    return render(
        request,
        "accounts/slip.html",
        {
            "account": account,
            "member": member,
            "code": issued.code,
            "expires_at": issued.expires_at,
            "activate_url": str(request.base_url).rstrip("/") + "/activate",
        },
    )


@router.post("/accounts")
def create_account(
    request: Request,
    session: DBSession,
    settings: SettingsDep,
    actor: WebActor,
    ctx: AuditCtx,
    now: Now,
    member_id: Annotated[str, Form(max_length=12)] = "",
    unit_id: Annotated[str, Form(max_length=12)] = "",
    display_name: Annotated[str, Form(max_length=255)] = "",
    username: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    _require(actor)
    form = {"unit_id": unit_id, "display_name": display_name, "username": username}
    try:
        with session.begin_nested():
            issued = service_codes.create_with_code(
                session,
                ctx,
                actor=actor,
                cfg=settings.auth,
                now=now,
                member_id=_int_or_none(member_id),
                unit_id=_int_or_none(unit_id) if not member_id else None,
                username=username.strip() or None,
                display_name=display_name,
            )
    except AppError as exc:
        return _list_page(
            request, session, actor, settings, now,
            error=exc.render(), details=exc.details or [], form=form,
            status_code=exc.status_code,
        )  # fmt: skip
    return _slip(request, issued, session)


def _account_page(
    request: Request,
    session: Session,
    actor: Actor,
    settings: Any,
    now: datetime,
    account_id: int,
    *,
    flash: str | None = None,
    error: str | None = None,
    details: list[dict[str, str]] | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    account = service_admin.get_account(session, actor=actor, account_id=account_id)
    today = now.astimezone(LOCAL_TZ).date()
    member = session.get(Member, account.member_id) if account.member_id else None
    return render(
        request,
        "accounts/detail.html",
        {
            "account": account,
            "member": member,
            "state": service_admin.account_state(
                session, cfg=settings.auth, account=account, now=now
            ),
            "grants": service_grants.account_grants(
                session, actor=actor, account_id=account.id, today=today
            ),
            "roles": _grantable(actor),
            "units": units_service.units_for_picker(session, actor=actor, perm=Perm.account_manage),
            "today": today,
            "state_labels": STATE_LABELS,
            "grant_state_labels": GRANT_STATE_LABELS,
            "flash": flash,
            "error": error,
            "details": details or [],
            "form": form or {},
        },
        status_code=status_code,
    )


@router.get("/accounts/{account_id}")
def account_detail(
    request: Request,
    account_id: Id,
    session: DBSession,
    settings: SettingsDep,
    actor: WebActor,
    now: Now,
    done: str = "",
) -> Response:
    _require(actor)
    flash = _(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None
    return _account_page(request, session, actor, settings, now, account_id, flash=flash)


@router.post("/accounts/{account_id}/code")
def account_new_code(
    request: Request,
    account_id: Id,
    session: DBSession,
    settings: SettingsDep,
    actor: Annotated[Actor, returning_to("/accounts/{account_id}")],
    ctx: AuditCtx,
    now: Now,
) -> Response:
    _require(actor)
    issued = service_codes.reset_with_code(
        session, ctx, actor=actor, cfg=settings.auth, now=now, account_id=account_id
    )
    return _slip(request, issued, session)


def _done(account_id: int, what: str) -> RedirectResponse:
    return RedirectResponse(f"/accounts/{account_id}?done={what}", status_code=303)


@router.post("/accounts/{account_id}/deactivate")
def account_deactivate(
    account_id: Id,
    session: DBSession,
    actor: Annotated[Actor, returning_to("/accounts/{account_id}")],
    ctx: AuditCtx,
    now: Now,
) -> Response:
    _require(actor)
    service_admin.deactivate(session, ctx, actor=actor, account_id=account_id, now=now)
    return _done(account_id, "deactivated")


@router.post("/accounts/{account_id}/reactivate")
def account_reactivate(
    account_id: Id,
    session: DBSession,
    actor: Annotated[Actor, returning_to("/accounts/{account_id}")],
    ctx: AuditCtx,
) -> Response:
    _require(actor)
    service_admin.reactivate(session, ctx, actor=actor, account_id=account_id)
    return _done(account_id, "reactivated")


@router.post("/accounts/{account_id}/unlock")
def account_unlock(
    account_id: Id,
    session: DBSession,
    settings: SettingsDep,
    actor: Annotated[Actor, returning_to("/accounts/{account_id}")],
    ctx: AuditCtx,
    now: Now,
) -> Response:
    _require(actor)
    service_admin.unlock(
        session, ctx, actor=actor, cfg=settings.auth, account_id=account_id, now=now
    )
    return _done(account_id, "unlocked")


@router.post("/accounts/{account_id}/grants")
def account_grant(
    request: Request,
    account_id: Id,
    session: DBSession,
    settings: SettingsDep,
    actor: Annotated[Actor, returning_to("/accounts/{account_id}")],
    ctx: AuditCtx,
    now: Now,
    role: Annotated[str, Form(max_length=32)] = "",
    unit_id: Annotated[str, Form(max_length=12)] = "",
    starts_on: Annotated[str, Form(max_length=10)] = "",
    ends_on: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    _require(actor)
    form = {
        "role": role,
        "unit_id": unit_id,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "reason": reason,
    }
    try:
        body = GrantIn.model_validate(
            {
                "account_id": account_id,
                "unit_id": _int_or_none(unit_id),
                "role": role or None,
                "starts_on": starts_on or None,
                "ends_on": ends_on or None,
                "reason": reason,
            }
        )
    except ValidationError as exc:
        return _account_page(
            request, session, actor, settings, now, account_id,
            error=_("Chưa cấp được vai trò"), details=form_errors.details(exc, GRANT_LABELS),
            form=form, status_code=422,
        )  # fmt: skip
    try:
        with session.begin_nested():
            service_grants.grant(
                session, ctx, actor=actor, account_id=body.account_id, unit_id=body.unit_id,
                role=body.role, reason=body.reason, today=now.astimezone(LOCAL_TZ).date(),
                starts_on=body.starts_on, ends_on=body.ends_on,
            )  # fmt: skip
    except AppError as exc:
        if exc.status_code == 404 and exc.message == service_admin.NOT_FOUND:
            raise
        return _account_page(
            request, session, actor, settings, now, account_id,
            error=exc.render(), details=_details(exc), form=form, status_code=exc.status_code,
        )  # fmt: skip
    return _done(account_id, "granted")


def _details(exc: AppError) -> list[dict[str, str]]:
    out = []
    for d in exc.details or []:
        key = str(d.get("field", ""))
        label = GRANT_LABELS.get(key, "")
        out.append({"field": _(label) if label else "", "key": key, "message": _(d["message"])})
    return out


@router.post("/grants/{grant_id}/revoke")
def grant_revoke(
    grant_id: Id,
    session: DBSession,
    actor: Annotated[Actor, returning_to("/accounts")],
    ctx: AuditCtx,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    _require(actor)
    row = session.get(RoleGrant, grant_id)
    account_id = row.account_id if row is not None else 0
    service_grants.revoke(
        session, ctx, actor=actor, grant_id=grant_id, reason=reason or _("Thu hồi")
    )
    return _done(account_id, "revoked")


# -- activation (no sign-in) -------------------------------------------------------------------


def _activate_page(
    request: Request,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    token = request.cookies.get(CSRF_COOKIE) or new_token()
    resp = render(
        request,
        "accounts/activate.html",
        {"error": error, "form": form or {}, "csrf_token": token},
        status_code=status_code,
    )
    resp.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
    return resp


@router.get("/activate")
def activate_form(request: Request) -> Response:
    return _activate_page(request)


@router.post("/activate")
def activate_submit(
    request: Request,
    session: DBSession,
    settings: SettingsDep,
    now: Now,
    username: Annotated[str, Form(max_length=128)] = "",
    code: Annotated[str, Form(max_length=32)] = "",
    new_password: Annotated[str, Form(max_length=256)] = "",
    confirm_password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not same(cookie, csrf_token):
        raise Forbidden("Yêu cầu không hợp lệ (CSRF). Hãy tải lại trang và thử lại.")
    form = {"username": username}
    if not username.strip() or not code.strip():
        return _activate_page(
            request, error=_("Hãy nhập tên đăng nhập và mã kích hoạt"), form=form, status_code=422
        )
    if new_password != confirm_password:
        return _activate_page(
            request, error=_("Mật khẩu nhập lại không khớp"), form=form, status_code=422
        )
    result = service_codes.activate(
        session,
        settings.auth,
        login=username,
        code=code,
        password=new_password,
        ip=client_ip(request),
        now=now,
    )
    if result.account is None:
        session.commit()  # the failed attempt counts in the throttles
        message = _(result.error).format(minutes=result.minutes) if result.error else ""
        page = _activate_page(request, error=message, form=form, status_code=result.status)
        if result.retry_after:
            page.headers["Retry-After"] = str(result.retry_after)
        return page
    return RedirectResponse("/login?activated=1", status_code=303)
