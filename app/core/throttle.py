"""Failure throttles with growing delays, in the database so that every web process shares them."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, cast

from fastapi import Depends
from sqlalchemy import Boolean, CursorResult, Integer, String, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.config import AuthSettings
from app.core.db import Base, UTCDateTime, utcnow


class ThrottleBucket(Base):
    """Failures counted under one key (a login, a login from one source, a member at a meeting)."""

    __tablename__ = "throttle_buckets"

    # SHA-256 of the key's parts: mistyped usernames (often passwords) are not kept readable.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # A success came through this bucket once (a source the account has signed in from).
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)


@dataclass(frozen=True)
class Policy:
    free: int  # failures allowed before the first delay
    base_seconds: int  # the first delay; each further failure doubles it
    max_seconds: int
    forget_seconds: int  # a bucket with no failure for this long starts again from nothing

    def delay(self, failures: int) -> int:
        """Seconds to wait after the given number of failures (0 while still free)."""
        over = failures - self.free
        if over <= 0:
            return 0
        # The capped exponent keeps a huge count from building a huge integer first.
        grown: int = self.base_seconds * 2 ** min(over - 1, 40)
        return min(grown, self.max_seconds)


@dataclass(frozen=True)
class State:
    failures: int = 0
    blocked_until: datetime | None = None
    trusted: bool = False

    def wait(self, now: datetime) -> int:
        """Whole seconds until an attempt is looked at again; 0 when it may be tried now."""
        if self.blocked_until is None or self.blocked_until <= now:
            return 0
        return math.ceil((self.blocked_until - now).total_seconds())


def key(*parts: object) -> str:
    """The bucket key of its parts (kind first), hashed."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def states(
    session: Session, keys: list[str], now: datetime, forget_seconds: int
) -> dict[str, State]:
    """The buckets under `keys` (missing and forgotten ones as fresh), in one query."""
    stale = now - timedelta(seconds=forget_seconds)
    found = {k: State() for k in keys}
    rows = session.execute(
        select(
            ThrottleBucket.key,
            ThrottleBucket.failures,
            ThrottleBucket.blocked_until,
            ThrottleBucket.last_failure_at,
            ThrottleBucket.trusted,
        ).where(ThrottleBucket.key.in_(keys))
    )
    for k, failures, until, last, trusted in rows:
        forgotten = last is None or last < stale
        found[k] = State(0, None, trusted) if forgotten else State(failures, until, trusted)
    return found


def wait(session: Session, bucket: str, policy: Policy, now: datetime) -> int:
    """Seconds before the one bucket lets an attempt be looked at; 0 for now."""
    return states(session, [bucket], now, policy.forget_seconds)[bucket].wait(now)


def fail(session: Session, bucket: str, policy: Policy, now: datetime) -> int:
    """Count one failure and start the bucket's next delay; returns the failures counted.

    The count is one UPDATE, so that parallel requests in several processes lose none.
    """
    stale = now - timedelta(seconds=policy.forget_seconds)
    session.execute(
        update(ThrottleBucket)
        .where(ThrottleBucket.key == bucket, ThrottleBucket.last_failure_at < stale)
        .values(failures=0, blocked_until=None)
        .execution_options(synchronize_session=False)
    )
    failures = _count(session, bucket, now)
    if failures is None:
        try:
            with session.begin_nested():
                session.add(ThrottleBucket(key=bucket, failures=1, last_failure_at=now))
            failures = 1
        except IntegrityError:  # another process created it first
            failures = _count(session, bucket, now) or 1
    delay = policy.delay(failures)
    if delay:
        session.execute(
            update(ThrottleBucket)
            .where(ThrottleBucket.key == bucket)
            .values(blocked_until=now + timedelta(seconds=delay))
            .execution_options(synchronize_session=False)
        )
        if failures == policy.free + 1:
            _forget_stale(session, stale)
    return failures


def succeed(session: Session, bucket: str) -> None:
    """Clear the bucket's failures and remember that a success came through it."""
    if _trust(session, bucket):
        return
    try:
        with session.begin_nested():
            session.add(ThrottleBucket(key=bucket, failures=0, trusted=True))
    except IntegrityError:  # created meanwhile by a failure in another process
        _trust(session, bucket)


def clear(session: Session, buckets: list[str]) -> None:
    """Forget the buckets outright (an admin unlocking an account's sign-ins)."""
    if buckets:
        session.execute(
            delete(ThrottleBucket)
            .where(ThrottleBucket.key.in_(buckets))
            .execution_options(synchronize_session=False)
        )


def _trust(session: Session, bucket: str) -> int:
    result = session.execute(
        update(ThrottleBucket)
        .where(ThrottleBucket.key == bucket)
        .values(failures=0, blocked_until=None, trusted=True)
        .execution_options(synchronize_session=False)
    )
    return cast("CursorResult[Any]", result).rowcount


def _count(session: Session, bucket: str, now: datetime) -> int | None:
    return session.scalar(
        update(ThrottleBucket)
        .where(ThrottleBucket.key == bucket)
        .values(failures=ThrottleBucket.failures + 1, last_failure_at=now)
        .returning(ThrottleBucket.failures)
        .execution_options(synchronize_session=False)
    )


def _forget_stale(session: Session, stale: datetime) -> None:
    # Spraying makes a row per guessed name; rows past the forget window count for nothing, so
    # they go whenever a bucket starts its first delay (rare, and bounded by the index).
    session.execute(
        delete(ThrottleBucket)
        .where(ThrottleBucket.last_failure_at < stale, ThrottleBucket.trusted.is_(False))
        .execution_options(synchronize_session=False)
    )


def get_clock() -> Callable[[], datetime]:
    """The time source of throttles; tests override this dependency to move time on."""
    return utcnow


def _now(clock: Annotated[Callable[[], datetime], Depends(get_clock)]) -> datetime:
    return clock()


Now = Annotated[datetime, Depends(_now)]


def policy(cfg: AuthSettings, *, free: int) -> Policy:
    """The delays of the auth settings, after `free` failures."""
    return Policy(
        free=free,
        base_seconds=cfg.throttle_base_seconds,
        max_seconds=cfg.throttle_max_seconds,
        forget_seconds=cfg.throttle_forget_hours * 3600,
    )


def minutes(seconds: int) -> int:
    """A wait in whole minutes, rounded up, as the messages give it."""
    return max(1, math.ceil(seconds / 60))
