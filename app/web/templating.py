"""Jinja2 environment with gettext, and the page-rendering helpers every web route uses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal, format_percent
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.core.i18n import current_locale, gettext, ngettext
from app.core.localtime import LOCAL_TZ
from app.core.permissions import ROLE_LABELS_VI, Actor, Perm
from app.web.local_time import clock

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=WEB_DIR / "templates")
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
templates.env.globals["Perm"] = Perm
templates.env.globals["ROLE_LABELS"] = ROLE_LABELS_VI
templates.env.globals["clock"] = clock


def _local(value: datetime) -> datetime:
    """A moment on Vietnam's clock; a naive value is UTC, as the database keeps it."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TZ)


def _fmt_date(value: Any) -> str:
    if isinstance(value, datetime):
        value = _local(value)
    return value.strftime("%d/%m/%Y") if value else ""


def _fmt_datetime(value: Any) -> str:
    return _local(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _fmt_time(value: Any) -> str:
    return _local(value).strftime("%H:%M") if value else ""


def _number(value: Any, digits: int = 1) -> str:
    """A number as the reader's locale writes it: 12.345,6 in Vietnamese, 12,345.6 in English."""
    if value is None or value == "":
        return ""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=current_locale.get())


def _percent(value: Any, digits: int = 1) -> str:
    """A percentage given out of 100 (7.7 for 7.7%): "7,7%" in Vietnamese, "7.7%" in English."""
    if value is None or value == "":
        return ""
    pattern = "#,##0" + ("." + "#" * digits if digits else "") + "%"
    return format_percent(float(value) / 100, format=pattern, locale=current_locale.get())


def _filesize(value: Any) -> str:
    """A size in bytes in words a reader knows: "1,1 KB", "2,5 MB"."""
    size = float(value or 0)
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{_number(size, 0 if unit == 'B' else 1)} {unit}"
        size /= 1024
    return ""  # not reached


templates.env.filters["number"] = _number
templates.env.filters["percent"] = _percent
templates.env.filters["filesize"] = _filesize
templates.env.filters["vndate"] = _fmt_date
templates.env.filters["vndatetime"] = _fmt_datetime
templates.env.filters["vntime"] = _fmt_time


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the common context: actor, CSRF token, locale, text size."""
    actor: Actor | None = getattr(request.state, "actor", None)
    ctx = {
        "actor": actor,
        "csrf_token": getattr(request.state, "csrf_token", "")
        or request.cookies.get("sotay_csrf", ""),
        "locale": current_locale.get(),
        "large_text": request.cookies.get("sotay_text") == "large",
        "path": request.url.path,
    }
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def render_error(
    request: Request, status_code: int, message: str, details: list[dict[str, str]] | None = None
) -> HTMLResponse:
    return render(
        request,
        "error.html",
        {"status_code": status_code, "message": message, "details": details or []},
        status_code=status_code,
    )
