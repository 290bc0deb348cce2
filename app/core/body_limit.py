"""Request bodies bounded while they stream: every receive() is counted against a per-route limit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import Settings
from app.core.i18n import gettext

MULTIPART = "multipart/form-data"
_MB = 1024 * 1024

# Multipart routes that take a file, and which setting holds the file's limit.
_DOCUMENT_UPLOADS = re.compile(r"/api/v1/documents(/\d+/versions)?|/documents/new")
_IMPORT_UPLOADS = re.compile(r"/api/v1/imports/members|/imports/members")
_RECORDING_UPLOADS = re.compile(r"(/api/v1)?/meetings/\d+/recordings")
# Forms that anyone may post without an account: a login needs a few KB at most.
_LOGIN_PATHS = frozenset({"/api/v1/auth/token", "/login"})


@dataclass(frozen=True)
class BodyLimit:
    max_bytes: int
    # The file limit an upload route is configured with (the message names it); 0 otherwise.
    file_bytes: int = 0

    def message(self) -> str:
        if self.file_bytes:
            limit = max(1, self.file_bytes // _MB)
            return gettext("Tệp quá lớn (tối đa {limit} MB)").format(limit=limit)
        limit = max(1, self.max_bytes // 1024)
        return gettext("Dữ liệu gửi lên quá lớn (tối đa {limit} KB)").format(limit=limit)


def limit_for(settings: Settings, path: str, content_type: str) -> BodyLimit:
    """The limit for one request; read per request, so a changed setting applies at once."""
    server = settings.server
    if content_type.startswith(MULTIPART):
        for pattern, file_bytes in (
            (_DOCUMENT_UPLOADS, settings.documents.max_bytes),
            (_IMPORT_UPLOADS, settings.imports.max_bytes),
            (_RECORDING_UPLOADS, settings.stt.max_bytes),
        ):
            if pattern.fullmatch(path):
                return BodyLimit(file_bytes + server.upload_overhead_bytes, file_bytes)
    if path in _LOGIN_PATHS:
        return BodyLimit(server.max_login_body_bytes)
    return BodyLimit(server.max_body_bytes)


class BodyTooLarge(Exception):
    """Raised by receive() once a body passes its limit. Not an AppError on purpose: handlers
    that render AppErrors and carry on (the web upload forms do) must not swallow it."""


class BodyLimitMiddleware:
    """Refuses a declared Content-Length over the limit before the app runs, and cuts off a body
    of unknown length (chunked) at the limit: Starlette spools multipart files to temporary disk
    and reads JSON whole, so without this a 300 MB chunked upload reached the disk before its 413.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        rule = limit_for(self.settings, scope["path"], headers.get("content-type", ""))
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > rule.max_bytes:
            # The length is known, so the server may discard the rest and keep the connection:
            # a browser then shows the page instead of a reset connection.
            await _refuse(scope, receive, send, rule, close=False)
            return

        received = 0
        exceeded = False
        started = False

        async def bounded_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > rule.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                # Whatever the app answers to a cut-off body (FastAPI turns a failed body read
                # into a 400) is replaced by the 413 below.
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, bounded_receive, guarded_send)
        except Exception:
            if not exceeded or started:
                raise
        if exceeded and not started:
            # The rest of the body is of unknown length: close rather than read it to the end.
            await _refuse(scope, receive, send, rule, close=True)


def _wants_html(request: Request) -> bool:
    # As app.main renders errors: pages for the web, JSON for the API and for htmx.
    if request.url.path.startswith("/api/") or request.headers.get("hx-request"):
        return False
    return "text/html" in request.headers.get("accept", "") or request.method == "GET"


async def _refuse(scope: Scope, receive: Receive, send: Send, rule: BodyLimit, close: bool) -> None:
    request = Request(scope)
    message = rule.message()
    response: Response
    if _wants_html(request):
        from app.web.templating import render_error

        response = render_error(request, 413, message)
    else:
        # `errors` as well, so that the body also fits the import routes' error schema.
        row = {"row": None, "column": None, "message": message}
        body = {"error": "too_large", "message": message, "errors": [row]}
        response = JSONResponse(body, status_code=413)
    if close:
        response.headers["Connection"] = "close"
    await response(scope, receive, send)
