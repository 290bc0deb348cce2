"""Ballot order on disk: nothing in the database files lets cast order (hence voters) be read off.

Statistic: for each vote, the ballots are ranked by where their id first appears in a raw file
(byte offset in `sotay.db`, then separately in `sotay.db-wal`; on PostgreSQL by `ctid`), and
that ranking is compared with the cast order the audit log gives (`vote.participated` rows).
Kendall's tau per vote: under independence its mean is 0 and its variance 2(2n+5)/(9n(n-1)),
0.0263 for n = 20 (sd 0.162), so the mean over 10 votes has sd 0.051; we require |mean tau|
< 0.25 (about 5 sd). Exact position matches (also in reverse, since a SQLite page fills from
its end): under independence about 1 per vote, 10 in all (Poisson-like, sd ~3.2); we require
at most 25 each way. A file in which no ballot id appears at all holds no order.

Measured before the re-deal (ballots inserted one by one): 36-50 exact matches in the WAL,
each ballot's bytes in 19-23 copies, PostgreSQL ctid mean tau +0.42..+0.46; after: 6-13
matches, mean tau -0.07..+0.13, no ballot id left in the WAL, ctid mean tau -0.04.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.config import DBSettings, JobsSettings, Settings
from app.core.db import Database
from app.core.migrate import upgrade
from app.core.permissions import Actor, load_actor
from app.votes import service
from app.votes.models import Ballot
from app.votes.schemas import Answer
from tests.conftest import PG_URL, recreate_pg_database
from tests.factories.accounts import make_account
from tests.factories.members import make_member
from tests.factories.org import build_org
from tests.factories.votes import actor_of, make_vote

VOTES, BALLOTS, VOTERS = 10, 20, 22


def kendall_tau(xs: list[int]) -> float:
    """Kendall's tau between positions 0..n-1 and the ranks `xs` (no ties)."""
    n = len(xs)
    s = sum(
        (1 if xs[j] > xs[i] else -1) for i in range(n) for j in range(i + 1, n) if xs[j] != xs[i]
    )
    return s / (n * (n - 1) / 2)


def _database(tmp_path: Path, url: str) -> Database:
    settings = Settings(
        env="test",
        data_dir=tmp_path,
        db=DBSettings(url=url),
        jobs=JobsSettings(embedded_worker=False),
    )
    db = Database(settings)
    upgrade(db.engine)
    return db


def _election(db: Database, *, close: bool) -> dict[int, list[int]]:
    """Cast VOTES x BALLOTS ballots interleaved at random; return each vote's cast order.

    Each ballot carries a unique comment, so the test (not the attacker) knows whose it is.
    Returns {vote_id: [comment-owner account ids in cast order, from the audit log]}.
    """
    rng = random.Random(secrets.randbits(64))
    with db.session() as s:
        org = build_org(s)
        accounts = [
            make_account(s, f"voter{i}", member=make_member(s, org.units["A"], f"Đảng viên {i}"))
            for i in range(VOTERS)
        ]
        s.flush()
        voters = [load_actor(s, a.id) for a in accounts]
        votes = [make_vote(s, org, items=["Thông qua", "Bầu tổ trưởng"]) for _ in range(VOTES)]
        items = {v.id: [i.id for i in service.list_items(s, vote_id=v.id)] for v in votes}
        chair = actor_of(s, org, "sec_a")
    queue: list[tuple[int, Actor]] = [
        (v, a) for v in items for a in rng.sample(voters, BALLOTS) if a is not None
    ]
    rng.shuffle(queue)
    for vote_id, actor in queue:
        answers = [
            Answer(item_id=i, choice="other", comment=f"{actor.account_id}#{secrets.token_hex(3)}")  # type: ignore[arg-type]
            for i in items[vote_id]
        ]
        with db.session() as s:
            service.cast(
                s, ctx=AuditContext(actor.account_id), actor=actor, vote_id=vote_id, answers=answers
            )
    if close:
        for vote_id in items:
            with db.session() as s:
                service.close_vote(
                    s, ctx=AuditContext(chair.account_id), actor=chair, vote_id=vote_id
                )
    with db.session() as s:
        order: dict[int, list[int]] = {v: [] for v in items}
        for object_id, account_id in s.execute(
            select(AuditLog.object_id, AuditLog.actor_account_id)
            .where(AuditLog.action == "vote.participated")
            .order_by(AuditLog.id)
        ):
            assert object_id is not None and account_id is not None
            order[int(object_id)].append(account_id)
    return order


def _owners(s: Session) -> dict[str, tuple[int, int]]:
    """{ballot id: (vote id, owner account id)} read through the owner's comment."""
    out = {}
    for ballot_id, vote_id, choices in s.execute(select(Ballot.id, Ballot.vote_id, Ballot.choices)):
        owner = int(next(iter(choices.values()))["comment"].split("#")[0])
        out[ballot_id] = (vote_id, owner)
    return out


def _ranks(
    physical: list[str], owners: dict[str, tuple[int, int]], cast: dict[int, list[int]]
) -> Iterator[list[int]]:
    """For each vote with all its ballots found: cast ranks listed in physical order."""
    for vote_id, voters in cast.items():
        ids = [b for b in physical if owners[b][0] == vote_id]
        if len(ids) == len(voters):
            yield [voters.index(owners[b][1]) for b in ids]


def _measure(per_vote: list[list[int]]) -> tuple[float, int, int]:
    """(mean Kendall tau, exact matches, exact matches reversed) over the votes measured."""
    if not per_vote:
        return 0.0, 0, 0
    taus = [kendall_tau(r) for r in per_vote]
    same = sum(sum(1 for pos, rank in enumerate(r) if pos == rank) for r in per_vote)
    rev = sum(sum(1 for pos, rank in enumerate(r[::-1]) if pos == rank) for r in per_vote)
    return sum(taus) / len(taus), same, rev


def _first_seen(data: bytes, ids: list[str]) -> list[str]:
    """The ids found in `data`, in order of their first byte offset."""
    found = [(data.find(b.encode()), b) for b in ids]
    return [b for at, b in sorted(found) if at >= 0]


def _assert_chance(label: str, per_vote: list[list[int]]) -> None:
    tau, same, rev = _measure(per_vote)
    print(f"\n{label}: votes={len(per_vote)} mean_tau={tau:+.3f} matches={same} reversed={rev}")
    assert abs(tau) < 0.25, (label, tau)
    assert same <= 25 and rev <= 25, (label, same, rev)


@pytest.mark.parametrize("close", [True, False], ids=["closed", "while-open"])
def test_sqlite_files_do_not_order_ballots_by_casting(tmp_path: Path, close: bool) -> None:
    db = _database(tmp_path, f"sqlite:///{tmp_path}/sotay.db")
    try:
        cast = _election(db, close=close)
        with db.session() as s:
            owners = _owners(s)
            comments = [a["comment"] for c in s.scalars(select(Ballot.choices)) for a in c.values()]
        # Read while the server still holds its connections (closing the last one would
        # checkpoint the WAL itself), as someone copying the files off a live server would.
        main = (tmp_path / "sotay.db").read_bytes()
        wal_path = tmp_path / "sotay.db-wal"
        wal = wal_path.read_bytes() if wal_path.exists() else b""
    finally:
        db.dispose()
    ids = list(owners)
    assert len(ids) == VOTES * BALLOTS
    if close:
        # No stale copy either: each ballot's comment is stored twice, in its ballot and in the
        # frozen result, and in no earlier page image, split page's gap or log frame. (While
        # open, a split page may still hold one: see ARCHITECTURE.md.)
        for comment in comments:
            assert (main + wal).count(comment.encode()) == 2
    _assert_chance("db", list(_ranks(_first_seen(main, ids), owners, cast)))
    _assert_chance("wal", list(_ranks(_first_seen(wal, ids), owners, cast)))


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs SOTAY_TEST_DATABASE_URL (PostgreSQL)")
def test_postgres_heap_does_not_order_ballots_by_casting(tmp_path: Path) -> None:
    url = make_url(PG_URL)
    own = url.set(database=f"{url.database}_ballot_order").render_as_string(hide_password=False)
    recreate_pg_database(own)
    db = _database(tmp_path, own)
    try:
        cast = _election(db, close=True)
        with db.session() as s:
            owners = _owners(s)
            heap = list(s.scalars(text("SELECT id FROM ballots ORDER BY ctid")))
            # Transaction ids: one per cast would pair each ballot with its participation row.
            xmins = {x for (x,) in s.execute(text("SELECT xmin::text FROM ballots"))}
    finally:
        db.dispose()
    _assert_chance("ctid", list(_ranks(heap, owners, cast)))
    assert len(xmins) <= VOTES
