"""Request dependencies: database session, the current actor (cookie or bearer), CSRF, audit context."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.db import Database, utcnow
from app.core.errors import Forbidden, Unauthorized
from app.core.permissions import Actor, Perm, TokenInfo, can_in_unit, load_actor_by_token
from app.core.security import same, token_digest

SESSION_COOKIE = "sotay_session"
CSRF_COOKIE = "sotay_csrf"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _finish(session: Session, ok: bool) -> None:
    try:
        if ok:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request, committed before the response is sent.

    Async on purpose: a Session touches the database only at its first query, which runs in the
    endpoint's own thread, so opening it needs no threadpool hop of its own (each hop was ~8 % of
    a profile read's CPU). Commit and rollback are I/O and go to the threadpool, and only when a
    transaction was actually begun.
    """
    db: Database = request.app.state.db
    session = db.read_sessionmaker() if request.method in SAFE_METHODS else db.sessionmaker()
    try:
        yield session
    except BaseException:
        await _finish_off_loop(session, ok=False)
        raise
    await _finish_off_loop(session, ok=True)


async def _finish_off_loop(session: Session, *, ok: bool) -> None:
    if not session.in_transaction():
        session.close()
        return
    # A limiter of its own, as FastAPI does for dependency exits: under a burst every thread of
    # the shared pool can be busy in requests that wait for a lock this transaction holds (the
    # audit chain's), and a commit queued behind them would wait forever.
    await anyio.to_thread.run_sync(_finish, session, ok, limiter=anyio.CapacityLimiter(1))


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
DBSession = Annotated[Session, Depends(get_session, scope="function")]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _csrf_from_request(request: Request) -> str:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else ""
    return ""


def auth_sessions(request: Request) -> Callable[[], AbstractContextManager[Session]]:
    """Sessions for resolving the caller: short, read-only, separate from the request's own.

    On SQLite a write request's session starts with BEGIN IMMEDIATE; resolving the caller in it
    would take the write lock before the endpoint even runs. Tests override this dependency.
    """
    db: Database = request.app.state.db
    return lambda: db.session(readonly=True)


def _resolve_caller(
    request: Request,
    sessions: Annotated[Callable[[], AbstractContextManager[Session]], Depends(auth_sessions)],
) -> tuple[TokenInfo, Actor, bool] | None:
    """Token -> (token, actor, came from the cookie). Sync, so FastAPI runs it in the threadpool:
    a database wait must never block the event loop."""
    auth = request.headers.get("authorization", "")
    with sessions() as session:
        if auth.lower().startswith("bearer "):
            found = load_actor_by_token(session, token_digest(auth[7:].strip()), "api", utcnow())
            if found is None:
                raise Unauthorized("Phiên đăng nhập không hợp lệ hoặc đã hết hạn")
            from_cookie = False
        elif cookie := request.cookies.get(SESSION_COOKIE):
            found = load_actor_by_token(session, token_digest(cookie), "session", utcnow())
            from_cookie = True
        else:
            return None
        if found is None:
            return None
        token, actor = found
        return token, _apply_proxy(request, session, actor), from_cookie


async def get_optional_actor(
    request: Request,
    found: Annotated[tuple[TokenInfo, Actor, bool] | None, Depends(_resolve_caller)],
) -> Actor | None:
    """Resolve the caller from a bearer token or the session cookie; None when anonymous."""
    if found is None:
        return None
    token, actor, from_cookie = found
    if from_cookie and request.method not in SAFE_METHODS:
        sent = await _csrf_from_request(request)
        if not sent or not same(sent, token.csrf_token):
            raise Forbidden("Yêu cầu không hợp lệ (CSRF). Hãy tải lại trang và thử lại.")
    request.state.csrf_token = token.csrf_token
    request.state.token_id = token.id
    request.state.actor = actor
    return actor


def _apply_proxy(request: Request, session: Session, actor: Actor) -> Actor:
    """A cell officer acting for a member names them explicitly; checked here, audited by writes."""
    raw = request.headers.get("x-on-behalf-of")
    if not raw:
        return actor
    from app.members.models import Member

    try:
        member_id = int(raw)
    except ValueError as exc:
        raise Forbidden("Đảng viên được làm thay không hợp lệ") from exc
    unit_id = session.scalar(select(Member.unit_id).where(Member.id == member_id))
    if unit_id is None or not can_in_unit(session, actor, Perm.proxy_act, unit_id):
        raise Forbidden("Bạn không được làm thay cho đảng viên này")
    return replace(actor, on_behalf_of_member_id=member_id)


async def get_actor(actor: Annotated[Actor | None, Depends(get_optional_actor)]) -> Actor:
    if actor is None:
        raise Unauthorized("Vui lòng đăng nhập")
    return actor


OptionalActor = Annotated[Actor | None, Depends(get_optional_actor)]
CurrentActor = Annotated[Actor, Depends(get_actor)]


def get_audit_ctx(request: Request, actor: OptionalActor) -> AuditContext:
    return AuditContext(
        actor_account_id=actor.account_id if actor else None,
        on_behalf_of_member_id=actor.on_behalf_of_member_id if actor else None,
        ip=client_ip(request),
    )


AuditCtx = Annotated[AuditContext, Depends(get_audit_ctx)]


def require_any(perm: Perm):  # type: ignore[no-untyped-def]
    """Dependency: the actor holds `perm` somewhere; the unit-level check happens in the service."""

    async def _dep(actor: CurrentActor) -> Actor:
        if not actor.has_any(perm):
            raise Forbidden("Bạn không có quyền thực hiện thao tác này")
        return actor

    return _dep


CanViewAudit = Annotated[Actor, Depends(require_any(Perm.audit_view))]
CanManageUnits = Annotated[Actor, Depends(require_any(Perm.unit_manage))]
CanImportMembers = Annotated[Actor, Depends(require_any(Perm.member_import))]
CanListMembers = Annotated[Actor, Depends(require_any(Perm.member_list))]
CanManageAccounts = Annotated[Actor, Depends(require_any(Perm.account_manage))]
