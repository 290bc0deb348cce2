"""Application errors and the one handler that renders them as JSON or HTML."""

from __future__ import annotations

from typing import Any

from pipelines.errors import Refused


class AppError(Exception):
    status_code = 400
    code = "error"

    def __init__(self, message: str, *, details: Any = None, **params: Any) -> None:
        # `message` is a catalogue msgid (Vietnamese); params are filled in after translation.
        super().__init__(message)
        self.message = message
        self.details = details
        self.params = params
        self.headers: dict[str, str] = {}  # sent with the response, JSON or page

    def render(self) -> str:
        from app.core.i18n import gettext

        text = gettext(self.message)
        return text.format(**self.params) if self.params else text


class Invalid(AppError):
    status_code = 422
    code = "invalid"


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class TooManyRequests(AppError):
    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, **params: Any) -> None:
        super().__init__(message, **params)
        self.headers["Retry-After"] = str(retry_after)


def from_refusal(refusal: Refused) -> AppError:
    """A pipeline's refusal as the app's error: the same msgid, parameters, code and status
    (422 ones stay `Invalid`, so a handler that catches those still does)."""
    kind = Invalid if refusal.status_code == Invalid.status_code else AppError
    error = kind(refusal.message, details=refusal.details, **refusal.params)
    error.status_code = refusal.status_code
    error.code = refusal.code
    return error
