"""`datetime-local` form fields (wall-clock time in Vietnam, in and out) and durations as
players show them."""

from __future__ import annotations

from datetime import datetime

from app.core.localtime import LOCAL_TZ


def parse_local(value: str) -> datetime | str | None:
    """A `datetime-local` field as an aware datetime; bad text is passed on for pydantic to report."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=LOCAL_TZ)
    except ValueError:
        return value


def clock(seconds: float) -> str:
    """A duration as players show it: mm:ss, h:mm:ss past an hour."""
    total = max(0, int(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def local_text(value: datetime | None) -> str:
    """The value a `datetime-local` input shows for an aware datetime."""
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M") if value else ""
