"""Drawing a web form page, empty or again with what was typed and what was wrong with it."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from app.web.templating import render


def form_page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    form: dict[str, Any],
    error: str | None = None,
    details: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    """`error` heads the page and `details` lists one line per field (`_form_errors.html`)."""
    return render(
        request,
        template,
        {**context, "form": form, "error": error, "details": details or []},
        status_code=status_code,
    )
