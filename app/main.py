"""FastAPI application factory: builds providers in the lifespan and mounts API and web routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType

import anyio
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import kinds
from app.accounts import router as accounts_router
from app.audit import router as audit_router
from app.badges import router as members_badges_router
from app.bulletins import router as bulletins_router
from app.calendar import router as calendar_router
from app.core import outage
from app.core.body_limit import BodyLimitMiddleware
from app.core.config import Settings, get_settings
from app.core.db import Database
from app.core.errors import AppError
from app.core.i18n import N_, gettext
from app.core.logredact import install as redact_logs
from app.core.middleware import LocaleMiddleware
from app.core.nfc_input import NFCInputMiddleware
from app.core.openapi import document_errors
from app.corrections import router as members_corrections_router
from app.documents import router as documents_router
from app.feedback import router as feedback_router
from app.imports import router as members_imports_router
from app.jobs import router as jobs_router
from app.knowledge import router as knowledge_router
from app.meetings import router as meetings_router
from app.members import router as members_router
from app.minutes import router as minutes_router
from app.notifications import router as notifications_router
from app.outcomes import router as meetings_outcomes_router
from app.recordings import router as recordings_router
from app.reports import router as reports_router
from app.summaries import router as summaries_router
from app.tasks import router as tasks_router
from app.transfers import router as transfers_router
from app.units import router as units_router
from app.votes import router as meetings_votes_router
from app.web import (
    guard,
    routes_accounts,
    routes_assistant,
    routes_audit,
    routes_auth,
    routes_badges,
    routes_bulletins,
    routes_calendar,
    routes_corrections,
    routes_documents,
    routes_feedback,
    routes_imports,
    routes_intent,
    routes_jobs,
    routes_meeting_edit,
    routes_meetings,
    routes_member_records,
    routes_members,
    routes_minutes,
    routes_minutes_files,
    routes_notifications,
    routes_outcomes,
    routes_recordings,
    routes_reports,
    routes_summaries,
    routes_tasks,
    routes_transfers,
    routes_units,
    routes_votes,
)

# Each domain exposes `router` (JSON API under /api/v1) in router.py; web pages live in app.web.
# Imported by name, so a missing or misspelt module fails at import time and in mypy.
API_MODULES: list[ModuleType] = [
    accounts_router,
    units_router,
    members_router,
    audit_router,
    jobs_router,
    transfers_router,
    members_corrections_router,
    members_badges_router,
    members_imports_router,
    documents_router,
    feedback_router,
    meetings_router,
    calendar_router,
    notifications_router,
    tasks_router,
    meetings_outcomes_router,
    reports_router,
    meetings_votes_router,
    knowledge_router,
    recordings_router,
    minutes_router,
    bulletins_router,
    summaries_router,
]
WEB_MODULES: list[ModuleType] = [
    routes_auth,
    routes_accounts,
    routes_units,
    # Before routes_members: /members/new must not be read as /members/{member_id}.
    routes_member_records,
    routes_members,
    routes_audit,
    routes_jobs,
    routes_transfers,
    routes_corrections,
    routes_badges,
    routes_imports,
    routes_tasks,
    routes_reports,
    routes_outcomes,
    routes_documents,
    routes_feedback,
    routes_meetings,
    routes_meeting_edit,
    routes_calendar,
    routes_notifications,
    routes_votes,
    routes_assistant,
    routes_recordings,
    routes_minutes,
    routes_minutes_files,
    routes_bulletins,
    routes_intent,
    routes_summaries,
]

# Every job kind and periodic step, registered when app/kinds.py imports the domains' tasks.
KIND_MODULES = kinds.KIND_MODULES


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync endpoints, their response validation and sync dependencies share one threadpool
        # (anyio's default: 40). Keep it larger than the requests served at once (uvicorn's
        # limit_concurrency, set by `sotay serve`) so that no request can be starved of the
        # thread it needs to commit while others wait on a lock it holds.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(limiter.total_tokens, settings.server.limit_concurrency + 16)
        if database is None:
            from app.core.migrate import upgrade

            settings.ensure_dirs()
            upgrade(app.state.db.engine)
        yield
        if database is None:
            app.state.db.dispose()

    app = FastAPI(
        title="Sổ Tay API",
        version="0.1.0",
        description="Sổ tay đảng viên: hồ sơ, đơn vị, vai trò, nhật ký kiểm tra.",
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = database or Database(settings)
    redact_logs()
    # Added before the other middleware, so it runs inside the body-size limit.
    app.add_middleware(NFCInputMiddleware)

    _install_handlers(app)
    # Added first, so it runs inside LocaleMiddleware: its 413 is in the request's language.
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.add_middleware(LocaleMiddleware, default_locale=settings.default_locale)

    for module in API_MODULES:
        app.include_router(module.router, prefix="/api/v1")
    for module in WEB_MODULES:
        app.include_router(module.router, include_in_schema=False)
    document_errors(app)

    from app.web.templating import STATIC_DIR

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", tags=["system"])
    def healthz() -> dict[str, str]:
        from sqlalchemy import text

        with app.state.db.engine.connect().execution_options(sotay_readonly=True) as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app


# What a page says for the HTTP errors raised by the framework itself, not by our code.
HTTP_PAGE_MESSAGES = {
    404: N_("Không tìm thấy trang"),
    405: N_("Trang này không mở trực tiếp được: hãy dùng nút hoặc biểu mẫu trên trang trước."),
    413: N_("Dữ liệu gửi lên quá lớn"),
    500: N_("Có lỗi ở máy chủ. Hãy thử lại sau."),
}


def _page_above(path: str) -> str | None:
    """The nearest address above `path` that a web page answers with GET."""
    pages = [
        r.path_regex
        for module in WEB_MODULES
        for r in module.router.routes
        if isinstance(r, APIRoute) and "GET" in (r.methods or ())
    ]
    parts = path.rstrip("/").split("/")
    while len(parts) > 1:
        parts.pop()
        candidate = "/".join(parts) or "/"
        if any(regex.match(candidate) for regex in pages):
            return candidate
    return None


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "") or request.method == "GET"


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(guard.SignInFirst)
    async def sign_in_first(request: Request, exc: guard.SignInFirst) -> Response:
        # A page's logged-in guard (app.web.guard.WebActor): the login page, with next=.
        return guard.login_redirect(exc)

    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError) -> Response:
        if _wants_html(request) and not request.headers.get("hx-request"):
            from app.web.templating import render_error

            page = render_error(request, exc.status_code, exc.render())
            page.headers.update(exc.headers)
            return page
        body = {"error": exc.code, "message": exc.render()}
        if exc.details is not None:
            body["details"] = exc.details
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else {}
        return JSONResponse(body, status_code=exc.status_code, headers=headers | exc.headers)

    outage.install(app, app_error, app.state.settings.server.retry_after_seconds)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "message": e["msg"]}
            for e in exc.errors()
        ]
        message = gettext("Dữ liệu gửi lên không hợp lệ")
        if _wants_html(request) and not request.headers.get("hx-request"):
            from app.web import form_errors
            from app.web.templating import render_error

            # A page shows sentences in the reader's language, never pydantic's English.
            return render_error(request, 422, message, form_errors.details(list(exc.errors())))
        return JSONResponse(
            {"error": "invalid", "message": message, "details": details}, status_code=422
        )

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette would answer a bare "Internal Server Error"; the error is still logged and
        # re-raised by its ServerErrorMiddleware after this answer is sent.
        message = gettext(HTTP_PAGE_MESSAGES[500])
        if _wants_html(request):
            from app.web.templating import render_error

            return render_error(request, 500, message)
        return JSONResponse({"error": "internal", "message": message}, status_code=500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = gettext("Không tìm thấy trang") if exc.status_code == 404 else str(exc.detail)
        if _wants_html(request):
            from app.web.templating import render_error

            # Starlette's own texts ("Method Not Allowed") are English: a page says it in words.
            if exc.status_code == 405 and request.method == "GET":
                # An action's address opened by hand (a bookmark, a reload after a form): go to
                # the page the action belongs to.
                above = _page_above(request.url.path)
                if above is not None:
                    return RedirectResponse(above, status_code=303)
            known = HTTP_PAGE_MESSAGES.get(exc.status_code)
            return render_error(request, exc.status_code, gettext(known) if known else message)
        return JSONResponse(
            {"error": "http_error", "message": message},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
