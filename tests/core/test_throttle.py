"""Throttle buckets: doubling delays up to the cap, forgetting, hashed keys, swept rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service
from app.core import throttle
from app.core.config import AuthSettings
from app.core.throttle import ThrottleBucket
from tests.factories.clock import START

POLICY = throttle.Policy(free=3, base_seconds=30, max_seconds=300, forget_seconds=3600)


def test_delays_double_from_the_first_failure_past_the_free_ones_up_to_the_cap() -> None:
    assert [POLICY.delay(n) for n in range(1, 10)] == [0, 0, 0, 30, 60, 120, 240, 300, 300]
    assert POLICY.delay(10**9) == 300  # a huge count stays cheap


def test_a_bucket_waits_then_forgets_after_a_quiet_spell(session: Session) -> None:
    bucket = throttle.key("test", "forget")
    for _ in range(POLICY.free + 1):
        throttle.fail(session, bucket, POLICY, START)
    assert throttle.wait(session, bucket, POLICY, START) == 30
    assert throttle.wait(session, bucket, POLICY, START + timedelta(seconds=29.5)) == 1
    assert throttle.wait(session, bucket, POLICY, START + timedelta(seconds=30)) == 0
    later = START + timedelta(seconds=POLICY.forget_seconds + 1)
    assert throttle.states(session, [bucket], later, POLICY.forget_seconds)[bucket].failures == 0
    assert throttle.fail(session, bucket, POLICY, later) == 1  # counting starts again


def test_typed_logins_are_not_stored_readable(session: Session) -> None:
    typed = "mat-khau-go-nham-o-o-ten"
    result = service.authenticate(
        session, AuthSettings(), login=typed, password="x", ip="192.0.2.1", now=START
    )
    assert result.status == 401
    keys = session.scalars(select(ThrottleBucket.key)).all()
    assert keys and all(typed not in k and len(k) == 64 for k in keys)


def test_rows_past_the_forget_window_are_swept_when_a_delay_starts(session: Session) -> None:
    old = [throttle.key("test", "old", n) for n in range(5)]
    for bucket in old:
        throttle.fail(session, bucket, POLICY, START)
    later = START + timedelta(seconds=POLICY.forget_seconds + 1)
    fresh = throttle.key("test", "fresh")
    for _ in range(POLICY.free + 1):
        throttle.fail(session, fresh, POLICY, later)
    left = session.scalar(
        select(func.count()).select_from(ThrottleBucket).where(ThrottleBucket.key.in_(old))
    )
    assert left == 0
