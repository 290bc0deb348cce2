"""A clock that tests move by hand, put in place of the throttles' time source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI

from app.core.throttle import get_clock

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def use_clock(app: FastAPI) -> FakeClock:
    """Every request of `app` reads the time from the returned clock."""
    clock = FakeClock()
    app.dependency_overrides[get_clock] = lambda: clock
    return clock
