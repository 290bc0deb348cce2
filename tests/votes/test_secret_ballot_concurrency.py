"""One member, one vote under concurrency: many simultaneous submissions leave one ballot.

Each run uses its own committed database (threads need to see each other's commits, which the
rolled-back test transaction cannot give): a SQLite file always, and on PostgreSQL a database
of its own next to SOTAY_TEST_DATABASE_URL.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.core.audit import AuditContext
from app.core.config import DBSettings, JobsSettings, Settings
from app.core.db import Database
from app.core.errors import Conflict
from app.core.migrate import upgrade
from app.core.permissions import load_actor
from app.votes import service
from app.votes import service_ballots as ballots
from app.votes.models import Ballot, VoteParticipation
from tests.conftest import PG_URL, recreate_pg_database
from tests.factories.org import build_org
from tests.factories.votes import answers_for, make_vote


def _database(data_dir: Path, url: str, pool: int) -> Database:
    settings = Settings(
        env="test",
        data_dir=data_dir,
        db=DBSettings(url=url, pool_size=pool),
        jobs=JobsSettings(embedded_worker=False),
    )
    db = Database(settings)
    upgrade(db.engine)
    return db


def _race(db: Database, attempts: int) -> None:
    with db.session() as s:
        org = build_org(s)
        vote = make_vote(s, org)
        vote_id = vote.id
        account_id = org.accounts["mem_a"].id
        answers = answers_for(s, vote)
    with db.session() as s:
        actor = load_actor(s, account_id)
    assert actor is not None
    start = threading.Barrier(attempts)

    def submit() -> str:
        start.wait()
        try:
            with db.session() as s:
                service.cast(
                    s,
                    ctx=AuditContext(actor.account_id),
                    actor=actor,
                    vote_id=vote_id,
                    answers=answers,
                )
            return "ok"
        except Conflict:
            return "conflict"

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        outcomes = list(pool.map(lambda _: submit(), range(attempts)))
    assert outcomes.count("ok") == 1
    assert outcomes.count("conflict") == attempts - 1
    with db.session() as s:
        n_ballots = s.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.vote_id == vote_id)
        )
        n_part = s.scalar(
            select(func.count())
            .select_from(VoteParticipation)
            .where(VoteParticipation.vote_id == vote_id)
        )
        assert (n_ballots, n_part) == (1, 1)
        assert ballots.verify_ballots(s, vote_id=vote_id).ok


def test_concurrent_duplicates_leave_one_ballot_sqlite(tmp_path: Path) -> None:
    db = _database(tmp_path, f"sqlite:///{tmp_path}/race.db", pool=10)
    try:
        _race(db, attempts=20)
    finally:
        db.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs SOTAY_TEST_DATABASE_URL (PostgreSQL)")
def test_200_concurrent_duplicates_leave_one_ballot_postgres(tmp_path: Path) -> None:
    url = make_url(PG_URL)
    own = url.set(database=f"{url.database}_ballot_race").render_as_string(hide_password=False)
    recreate_pg_database(own)
    db = _database(tmp_path, own, pool=40)
    try:
        _race(db, attempts=200)
    finally:
        db.dispose()
