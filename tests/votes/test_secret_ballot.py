"""Secret-ballot properties: no path from a ballot to a member, nothing leaks, chain tamper-evident."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text, update
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog, verify_chain
from app.core.config import DBSettings, JobsSettings, Settings
from app.core.db import Database
from app.core.migrate import upgrade
from app.notifications.models import Notification
from app.votes import service
from app.votes import service_ballots as ballots
from app.votes.models import Ballot
from tests.factories.org import Org, build_org
from tests.factories.votes import actor_of, answers_for, make_vote

CTX = AuditContext()
PERSONAL = {"members", "accounts", "auth_tokens", "role_grants", "vote_participation"}


def test_schema_has_no_path_from_ballots_to_members(session: Session) -> None:
    insp = inspect(session.connection())
    columns = {c["name"] for c in insp.get_columns("ballots")}
    assert columns == {"id", "vote_id", "choices", "prev_hash", "hash"}
    assert not any("member" in c or "account" in c or "_at" in c for c in columns)
    fks = insp.get_foreign_keys("ballots")
    assert [(fk["referred_table"], fk["constrained_columns"]) for fk in fks] == [
        ("votes", ["vote_id"])
    ]
    # The only hop, votes, points at units, meetings and the chair's accounts, never back to
    # ballots or participation; and nothing points at a ballot.
    for table in insp.get_table_names():
        assert all(fk["referred_table"] != "ballots" for fk in insp.get_foreign_keys(table))
    assert not {fk["referred_table"] for fk in insp.get_foreign_keys("votes")} & {
        "members",
        "vote_participation",
    }
    # Participation knows who voted but keeps no time and no serial order.
    part = {c["name"] for c in insp.get_columns("vote_participation")}
    assert part == {"vote_id", "member_id"}


def _cast_all(session: Session, org: Org) -> int:
    vote = make_vote(session, org, items=["Ứng cử viên A", "Ứng cử viên B"], form="candidates")
    service.cast(
        session,
        ctx=CTX,
        actor=actor_of(session, org, "mem_a"),
        vote_id=vote.id,
        answers=answers_for(session, vote, "other"),
    )
    service.cast(
        session,
        ctx=CTX,
        actor=actor_of(session, org, "sec_a"),
        vote_id=vote.id,
        answers=answers_for(session, vote, "disagree"),
    )
    return vote.id


def test_ballot_ids_appear_in_no_audit_notification_or_log(
    session: Session, org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        vote_id = _cast_all(session, org)
        service.close_vote(session, ctx=CTX, actor=actor_of(session, org, "sec_a"), vote_id=vote_id)
        service.tally(session, actor=actor_of(session, org, "mem_a"), vote_id=vote_id)
    ids = list(session.scalars(select(Ballot.id).where(Ballot.vote_id == vote_id)))
    assert len(ids) == 2
    audit = " ".join(f"{a.object_id} {a.detail}" for a in session.scalars(select(AuditLog)))
    notes = " ".join(f"{n.title} {n.body} {n.link}" for n in session.scalars(select(Notification)))
    for ballot_id in ids:
        assert ballot_id not in audit
        assert ballot_id not in notes
        assert ballot_id not in caplog.text
    # Secret casting is audited as participation only, with no detail at all.
    part = session.scalars(select(AuditLog).where(AuditLog.action == "vote.participated")).all()
    assert len(part) == 2 and all(p.detail == {} for p in part)
    assert "disagree" not in audit and "Cần bổ sung" not in audit
    assert verify_chain(session).ok


def test_chain_verifies_and_tampering_fails(session: Session, org: Org) -> None:
    vote_id = _cast_all(session, org)
    assert ballots.verify_ballots(session, vote_id=vote_id).ok  # open: content hashes
    service.close_vote(session, ctx=CTX, actor=actor_of(session, org, "sec_a"), vote_id=vote_id)
    check = ballots.verify_ballots(session, vote_id=vote_id)
    assert check.ok and check.checked == 2
    first = session.scalars(
        select(Ballot).where(Ballot.vote_id == vote_id).order_by(Ballot.id)
    ).first()
    assert first is not None
    item = next(iter(first.choices))
    # A raw UPDATE, as someone with database access would do it.
    session.execute(
        update(Ballot)
        .where(Ballot.id == first.id)
        .values(choices={**first.choices, item: {"choice": "agree", "comment": ""}})
    )
    session.expire_all()
    bad = ballots.verify_ballots(session, vote_id=vote_id)
    assert not bad.ok and "hash" in bad.reason


def test_removing_a_ballot_fails_verification(session: Session, org: Org) -> None:
    vote_id = _cast_all(session, org)
    service.close_vote(session, ctx=CTX, actor=actor_of(session, org, "sec_a"), vote_id=vote_id)
    victim = session.scalar(select(Ballot.id).where(Ballot.vote_id == vote_id).limit(1))
    session.execute(text("DELETE FROM ballots WHERE id = :i"), {"i": victim})
    assert not ballots.verify_ballots(session, vote_id=vote_id).ok


def test_rehashed_forgery_is_caught_by_the_audited_head(session: Session, org: Org) -> None:
    vote_id = _cast_all(session, org)
    service.close_vote(session, ctx=CTX, actor=actor_of(session, org, "sec_a"), vote_id=vote_id)
    # A forger who even holds the ballot key rewrites a ballot with a valid MAC, re-seals the
    # chain and updates the vote's head...
    rows = session.scalars(select(Ballot).where(Ballot.vote_id == vote_id)).all()
    item = next(iter(rows[0].choices))
    forged = {**rows[0].choices, item: {"choice": "agree", "comment": ""}}
    session.execute(
        update(Ballot)
        .where(Ballot.id == rows[0].id)
        .values(choices=forged, hash=ballots.ballot_mac(vote_id, rows[0].id, forged))
    )
    head = ballots.seal(session, vote_id=vote_id)
    session.execute(
        text("UPDATE votes SET chain_head = :h WHERE id = :v"), {"h": head, "v": vote_id}
    )
    session.expire_all()
    # ...still fails: the head sealed at close is in the append-only audit log.
    bad = ballots.verify_ballots(session, vote_id=vote_id)
    assert not bad.ok and "audit" in bad.reason


def test_sealed_chain_order_is_key_order_not_casting_order(session: Session, org: Org) -> None:
    vote_id = _cast_all(session, org)
    service.close_vote(session, ctx=CTX, actor=actor_of(session, org, "sec_a"), vote_id=vote_id)
    rows = session.execute(
        select(Ballot.id, Ballot.prev_hash, Ballot.hash).where(Ballot.vote_id == vote_id)
    ).all()
    by_key = sorted(rows, key=lambda r: r.id)
    assert by_key[0].prev_hash == ballots.GENESIS
    assert by_key[1].prev_hash == ballots.link_mac(ballots.GENESIS, by_key[0].hash)


def test_sql_echo_logs_carry_no_ballot_ids(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Even with SQL echo on, bound values (ballot ids, choices) stay out of the log."""
    settings = Settings(
        env="test",
        data_dir=tmp_path,
        db=DBSettings(url=f"sqlite:///{tmp_path}/echo.db", echo=True),
        jobs=JobsSettings(embedded_worker=False),
    )
    db = Database(settings)
    try:
        upgrade(db.engine)
        caplog.clear()  # the migration's DDL names the choice values
        with caplog.at_level(logging.INFO), db.session() as s:
            org = build_org(s)
            vote_id = _cast_all(s, org)
            service.close_vote(s, ctx=CTX, actor=actor_of(s, org, "sec_a"), vote_id=vote_id)
        with db.session() as s:
            ids = list(s.scalars(select(Ballot.id).where(Ballot.vote_id == vote_id)))
    finally:
        db.dispose()
    assert "INSERT INTO ballots" in caplog.text  # the SQL itself was logged...
    assert len(ids) == 2
    for ballot_id in ids:
        assert ballot_id not in caplog.text  # ...but not its values
    assert "disagree" not in caplog.text
