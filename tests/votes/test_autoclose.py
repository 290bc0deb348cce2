"""Votes close themselves at `closes_at`: through the chair's close path, once, from any sweeper."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from threading import Barrier

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.config import DBSettings, JobsSettings, Settings
from app.core.db import Database, utcnow
from app.core.migrate import upgrade
from app.jobs import service_sweeper as sweeper
from app.notifications.models import Notification
from app.votes import service
from app.votes import service_ballots as ballots
from app.votes import tasks as votes_autoclose
from app.votes.models import Vote
from tests.conftest import PG_URL, recreate_pg_database
from tests.factories.org import Org, build_org
from tests.factories.votes import actor_of, answers_for, make_vote


def _overdue(session: Session, vote: Vote, minutes: int = 1) -> None:
    """Move the window into the past, as time passing would (the schema refuses a past close)."""
    session.execute(
        update(Vote)
        .where(Vote.id == vote.id)
        .values(closes_at=utcnow() - timedelta(minutes=minutes))
        .execution_options(synchronize_session=False)
    )
    session.refresh(vote)


def test_overdue_open_votes_close_like_the_chairs_button(session: Session, org: Org) -> None:
    secret = make_vote(session, org, kind="secret", closes_at=utcnow() + timedelta(hours=1))
    for who in ("mem_a", "sec_a"):
        service.cast(
            session,
            ctx=AuditContext(),
            actor=actor_of(session, org, who),
            vote_id=secret.id,
            answers=answers_for(session, secret),
        )
    later = make_vote(session, org, unit="B", chair="sec_b", closes_at=utcnow() + timedelta(days=1))
    draft = make_vote(session, org, opened=False, closes_at=utcnow() + timedelta(hours=1))
    no_window = make_vote(session, org)
    for v in (secret, draft):
        _overdue(session, v)

    assert votes_autoclose.close_due_votes(session, utcnow()) == [secret.id]
    assert secret.status == "closed" and secret.closed_at is not None
    assert secret.closed_by is None  # nobody pressed the button
    assert secret.chain_head and ballots.verify_ballots(session, vote_id=secret.id).ok
    assert secret.result is not None and secret.result["items"][0]["counts"]["agree"] == 2
    assert (secret.eligible_count, secret.present_count) == (2, 2)
    assert {later.status, draft.status, no_window.status} == {"open", "draft"}
    closed = session.scalars(select(AuditLog).where(AuditLog.action == "vote.closed")).one()
    assert closed.actor_account_id is None and closed.detail["chain_head"] == secret.chain_head
    told = session.scalar(
        select(func.count()).select_from(Notification).where(Notification.kind == "vote.closed")
    )
    assert told == 2
    # Idempotent: the next sweep finds nothing, and a late chair gets the usual conflict.
    assert votes_autoclose.close_due_votes(session, utcnow()) == []
    assert votes_autoclose.close_vote_if_due(session, vote_id=secret.id, now=utcnow()) is False


def test_a_vote_reopened_in_time_is_left_alone(session: Session, org: Org) -> None:
    vote = make_vote(session, org, closes_at=utcnow() + timedelta(minutes=30))
    assert votes_autoclose.due_vote_ids(session, utcnow()) == []
    assert votes_autoclose.close_vote_if_due(session, vote_id=vote.id, now=utcnow()) is False
    assert votes_autoclose.due_vote_ids(session, utcnow() + timedelta(hours=1)) == [vote.id]


def _database(data_dir: Path, url: str) -> Database:
    settings = Settings(
        env="test",
        data_dir=data_dir,
        db=DBSettings(url=url, pool_size=6),
        jobs=JobsSettings(embedded_worker=False),
    )
    db = Database(settings)
    upgrade(db.engine)
    return db


def _two_sweepers(db: Database) -> None:
    with db.session() as s:
        org = build_org(s)
        vote = make_vote(s, org, closes_at=utcnow() + timedelta(hours=1))
        service.cast(
            s,
            ctx=AuditContext(),
            actor=actor_of(s, org, "mem_a"),
            vote_id=vote.id,
            answers=answers_for(s, vote),
        )
        _overdue(s, vote)
        vote_id = vote.id
    start = Barrier(4)

    def sweep() -> list[int]:
        start.wait()
        return votes_autoclose.run_autoclose(db, utcnow())

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: sweep(), range(4)))
    assert sorted(v for r in results for v in r) == [vote_id]
    with db.session() as s:
        vote = s.get(Vote, vote_id)
        assert vote is not None and vote.status == "closed" and vote.result is not None
        closes = s.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "vote.closed", AuditLog.object_id == str(vote_id))
        )
        assert closes == 1
    # The sweeper thread runs the same entry point, registered as a periodic step.
    assert sweeper.run_periodic(db)["votes.autoclose"] == []


def test_two_sweepers_close_once_sqlite(tmp_path: Path) -> None:
    db = _database(tmp_path, f"sqlite:///{tmp_path}/sweep.db")
    try:
        _two_sweepers(db)
    finally:
        db.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs SOTAY_TEST_DATABASE_URL (PostgreSQL)")
def test_two_sweepers_close_once_postgres(tmp_path: Path) -> None:
    url = make_url(PG_URL)
    own = url.set(database=f"{url.database}_autoclose").render_as_string(hide_password=False)
    recreate_pg_database(own)
    db = _database(tmp_path, own)
    try:
        _two_sweepers(db)
    finally:
        db.dispose()
