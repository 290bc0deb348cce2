"""A database that cannot be reached answers 503 with Retry-After, not an uncaught 500."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from sqlalchemy import exc as sa_exc

from app.core.errors import AppError

log = logging.getLogger("sotay.outage")

# SQLite errors that pass once the other writer or the disk is back; the rest of its
# OperationalErrors ("no such table", syntax) are bugs and stay 500.
_SQLITE_TRANSIENT = ("database is locked", "database is busy", "unable to open", "disk i/o")


class Unavailable(AppError):
    status_code = 503
    code = "unavailable"


def is_outage(exc: BaseException) -> bool:
    """True for errors that say the database is out of reach, not that the request is wrong."""
    seen = 0
    cause: BaseException | None = exc
    while cause is not None and seen < 5:
        if isinstance(cause, sa_exc.TimeoutError):  # no pooled connection came free in time
            return True
        if isinstance(cause, sa_exc.DBAPIError):
            if cause.connection_invalidated:
                return True
            if isinstance(cause.orig, sqlite3.OperationalError):
                text = str(cause.orig).lower()
                return any(marker in text for marker in _SQLITE_TRANSIENT)
            # psycopg: connection refused or lost, server shutting down or starting up,
            # cancelled, deadlock; all pass if the request is tried again.
            return isinstance(cause, sa_exc.OperationalError | sa_exc.InterfaceError)
        # A session used again after its connection died says only "rollback first".
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return False


def install(
    app: FastAPI, render: Callable[[Request, AppError], Awaitable[Response]], retry_after: int
) -> None:
    """Answer outages through `render` (the AppError handler: JSON, or the web's error page).

    The request's session is rolled back by get_session before this runs, and it commits before
    the response starts (a function-scoped dependency), so a failed COMMIT lands here as well.
    """

    async def database_unavailable(request: Request, exc: Exception) -> Response:
        if not is_outage(exc):
            raise exc
        first_line = str(getattr(exc, "orig", None) or exc).strip().splitlines()[:1]
        log.warning(
            "database unavailable: %s %s: %s: %s",
            request.method,
            request.url.path,
            type(exc).__name__,
            first_line[0] if first_line else "",
        )
        error = Unavailable(
            "Hệ thống đang tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít phút."
        )
        response = await render(request, error)
        response.headers["Retry-After"] = str(retry_after)
        return response

    for kind in (sa_exc.DBAPIError, sa_exc.TimeoutError, sa_exc.PendingRollbackError):
        app.add_exception_handler(kind, database_unavailable)
