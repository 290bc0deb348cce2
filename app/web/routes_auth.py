"""Web pages for signing in and out, the role-aware home page, own account and display prefs."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import service as accounts_service
from app.accounts.models import Account
from app.core.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    AuditCtx,
    DBSession,
    OptionalActor,
    SettingsDep,
    client_ip,
)
from app.core.errors import AppError, Forbidden
from app.core.i18n import gettext as _
from app.core.permissions import Actor
from app.core.security import new_token, same
from app.core.throttle import Now
from app.web.guard import returning_to
from app.web.home import home_context
from app.web.templating import render

router = APIRouter()


def safe_next(value: str | None) -> str:
    """Only same-site relative paths, so the login form cannot be an open redirect."""
    if not value:
        return "/"
    parsed = urlparse(value)
    if parsed.scheme or parsed.netloc or not value.startswith("/") or value.startswith("//"):
        return "/"
    return value


def _login_page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    token = request.cookies.get(CSRF_COOKIE) or new_token()
    resp = render(
        request,
        "auth/login.html",
        {"error": error, "csrf_token": token, "next": safe_next(request.query_params.get("next"))},
        status_code=status,
    )
    resp.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
    return resp


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return _login_page(request)


@router.post("/login")
def login_submit(
    request: Request,
    session: DBSession,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=512)] = "/",
    *,
    now: Now,
) -> Response:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not same(cookie, csrf_token):
        raise Forbidden("Yêu cầu không hợp lệ (CSRF). Hãy tải lại trang và thử lại.")
    ip = client_ip(request)
    result = accounts_service.authenticate(
        session, settings.auth, login=username, password=password, ip=ip, now=now
    )
    if result.account is None:
        session.commit()
        message = _(result.error).format(minutes=result.minutes) if result.error else ""
        page = _login_page(request, message, status=result.status)
        if result.retry_after:
            page.headers["Retry-After"] = str(result.retry_after)
        return page
    secret, _row = accounts_service.issue_token(
        session, settings.auth, account=result.account, kind="session", ip=ip
    )
    target = "/account?must_change=1" if result.account.must_change_password else safe_next(next)
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="lax",
        secure=settings.auth.cookie_secure,
        max_age=settings.auth.session_hours * 3600,
    )
    resp.set_cookie("sotay_lang", result.account.locale, samesite="lax", max_age=3600 * 24 * 365)
    return resp


@router.post("/logout")
def logout(request: Request, session: DBSession, actor: OptionalActor) -> Response:
    token_id = getattr(request.state, "token_id", None)
    if token_id is not None:
        accounts_service.revoke_token(session, token_id)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, session: DBSession, actor: Annotated[Actor, returning_to(None)]
) -> Response:
    return render(request, "home.html", home_context(session, actor))


@router.get("/account", response_class=HTMLResponse)
# The password form posts here: opened by its address it is the same page, not an error.
@router.get("/account/password", response_class=HTMLResponse)
def account_page(request: Request, actor: Annotated[Actor, returning_to("/account")]) -> Response:
    return render(
        request, "auth/account.html", {"must_change": request.query_params.get("must_change")}
    )


@router.post("/account/password", response_class=HTMLResponse)
def account_password(
    request: Request,
    session: DBSession,
    actor: Annotated[Actor, returning_to(None)],
    ctx: AuditCtx,
    old_password: Annotated[str, Form(max_length=256)],
    new_password: Annotated[str, Form(max_length=256)],
    confirm_password: Annotated[str, Form(max_length=256)],
) -> Response:
    error = None
    if new_password != confirm_password:
        error = _("Mật khẩu nhập lại không khớp")
    else:
        account = session.get(Account, actor.account_id)
        assert account is not None
        try:
            accounts_service.change_password(
                session, ctx, account=account, old=old_password, new=new_password
            )
        except AppError as exc:
            error = exc.render()
    if error:
        return render(request, "auth/account.html", {"error": error}, status_code=422)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


@router.post("/prefs/text")
def set_text_size(
    actor: OptionalActor,
    size: Annotated[str, Form(pattern="^(normal|large)$")],
    next: Annotated[str, Form(max_length=512)] = "/",
) -> Response:
    # The form is CSRF-checked by OptionalActor when signed in; the preference itself is harmless.
    resp = RedirectResponse(safe_next(next), status_code=303)
    resp.set_cookie("sotay_text", size, max_age=3600 * 24 * 365, samesite="lax")
    return resp
