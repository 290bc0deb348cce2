"""`sotay votes verify`: each secret vote's keyed ballot chain, exit 1 on any failure."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.core.audit import AuditContext
from app.core.db import Database
from app.core.migrate import upgrade
from app.votes import service
from app.votes.models import Ballot
from tests.conftest import make_settings
from tests.factories.org import build_org
from tests.factories.votes import actor_of, answers_for, make_vote
from tests.test_cli import sotay
from tests.votes.test_ballot_forgery import unkeyed


def _two_votes(db: Database) -> tuple[int, int]:
    """A closed and an open secret vote in unit A, two ballots each."""
    ids = []
    with db.session() as s:
        org = build_org(s)
        chair = actor_of(s, org, "sec_a")
        for close in (True, False):
            vote = make_vote(s, org)
            for name in ("sec_a", "mem_a"):
                actor = actor_of(s, org, name)
                service.cast(
                    s,
                    ctx=AuditContext(actor.account_id),
                    actor=actor,
                    vote_id=vote.id,
                    answers=answers_for(s, vote),
                )
            if close:
                service.close_vote(s, ctx=AuditContext(), actor=chair, vote_id=vote.id)
            ids.append(vote.id)
    return ids[0], ids[1]


def test_votes_verify_passes_then_fails_on_a_ballot_edited_while_open(tmp_path: Path) -> None:
    assert sotay(["votes", "verify", "--help"], tmp_path).returncode == 0
    db = Database(make_settings(tmp_path))
    upgrade(db.engine)
    closed, still_open = _two_votes(db)
    ok = sotay(["votes", "verify"], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert f"vote {closed}: OK, 2 ballots (closed)" in ok.stdout
    assert f"vote {still_open}: OK, 2 ballots (open)" in ok.stdout

    # The attack: edit a ballot of the open vote and recompute the plain SHA-256 over it.
    with db.session() as s:
        row = s.scalars(select(Ballot).where(Ballot.vote_id == still_open).limit(1)).one()
        forged = {k: {"choice": "disagree", "comment": ""} for k in row.choices}
        row.choices, row.hash = forged, unkeyed(None, still_open, row.id, forged)
    db.dispose()
    bad = sotay(["votes", "verify"], tmp_path)
    assert bad.returncode == 1
    assert f"vote {closed}: OK" in bad.stdout
    assert f"vote {still_open}: FAILED" in bad.stderr and "unkeyed" in bad.stderr
    assert sotay(["votes", "verify", "--vote", str(closed)], tmp_path).returncode == 0
    assert sotay(["votes", "verify", "--vote", str(still_open)], tmp_path).returncode == 1
    missing = sotay(["votes", "verify", "--vote", "999999"], tmp_path)
    assert missing.returncode == 1 and "no secret vote" in missing.stderr
