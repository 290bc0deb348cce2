"""The keyed ballot chain: an edit made while the vote is open, rehashed without the key, is caught."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.config import AuthSettings, Settings, VotesSettings, get_settings, set_settings
from app.votes import service
from app.votes import service_ballots as ballots
from app.votes.models import Ballot
from tests.factories.accounts import bearer, make_account
from tests.factories.members import make_member
from tests.factories.org import Org
from tests.factories.transfers import web_login
from tests.factories.votes import actor_of, answers_for, make_vote

CTX = AuditContext()


def unkeyed(prev: str | None, vote_id: int, ballot_id: str, choices: dict[str, Any]) -> str:
    """What an attacker without the key can compute: the old plain SHA-256 of a ballot."""
    payload = json.dumps(
        {"prev": prev or "", "vote": vote_id, "id": ballot_id, "choices": choices},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _four_agree(session: Session, org: Org) -> int:
    """A secret vote in which four members all answer "agree"."""
    for name in ("mem_x", "mem_y"):
        member = make_member(session, org.units["A"], f"Đảng viên {name}")
        org.accounts[name] = make_account(session, name, member=member)
    vote = make_vote(session, org)
    for name in ("sec_a", "mem_a", "mem_x", "mem_y"):
        actor = actor_of(session, org, name)
        ctx = AuditContext(actor.account_id)
        answers = answers_for(session, vote, "agree")
        service.cast(session, ctx=ctx, actor=actor, vote_id=vote.id, answers=answers)
    return vote.id


def edit_while_open(session: Session, vote_id: int) -> None:
    """Turn one ballot's "agree" into "disagree" and recompute its hash as the attacker can."""
    row = session.execute(select(Ballot).where(Ballot.vote_id == vote_id).limit(1)).scalar_one()
    forged = {k: {"choice": "disagree", "comment": ""} for k in row.choices}
    session.execute(
        update(Ballot)
        .where(Ballot.id == row.id)
        .values(choices=forged, hash=unkeyed(row.prev_hash, vote_id, row.id, forged))
    )
    session.expire_all()


def test_edit_while_open_fails_verification_and_flags_the_tally(
    session: Session, org: Org, client: TestClient
) -> None:
    vote_id = _four_agree(session, org)
    assert ballots.verify_ballots(session, vote_id=vote_id).ok
    edit_while_open(session, vote_id)
    bad = ballots.verify_ballots(session, vote_id=vote_id)
    assert not bad.ok and "unkeyed" in bad.reason
    chair = actor_of(session, org, "sec_a")
    assert service.tally(session, actor=chair, vote_id=vote_id).verified is False
    # Sealing at close does not launder it: content MACs are never recomputed.
    service.close_vote(session, ctx=CTX, actor=chair, vote_id=vote_id)
    assert not ballots.verify_ballots(session, vote_id=vote_id).ok
    tally = client.get(
        f"/api/v1/votes/{vote_id}/tally", headers=bearer(session, org.accounts["mem_a"])
    ).json()
    assert tally["verified"] is False and "hash" in tally["verify_reason"]
    assert tally["items"][0]["counts"]["disagree"] == 1  # shown, but flagged as failed
    page = client.get(
        f"/api/v1/votes/{vote_id}/verify", headers=bearer(session, org.accounts["sec_a"])
    )
    assert page.json()["ok"] is False
    web_login(client, session, org.accounts["mem_a"])
    assert (
        "Hòm phiếu không vượt qua kiểm tra toàn vẹn" in client.get(f"/votes/{vote_id}/tally").text
    )


def test_untouched_tally_is_verified(session: Session, org: Org, client: TestClient) -> None:
    vote_id = _four_agree(session, org)
    service.close_vote(session, ctx=CTX, actor=actor_of(session, org, "sec_a"), vote_id=vote_id)
    tally = client.get(
        f"/api/v1/votes/{vote_id}/tally", headers=bearer(session, org.accounts["mem_a"])
    ).json()
    assert tally["verified"] is True and tally["verify_reason"] == ""
    assert tally["items"][0]["counts"]["agree"] == 4
    web_login(client, session, org.accounts["mem_a"])
    assert "Hòm phiếu không vượt qua" not in client.get(f"/votes/{vote_id}/tally").text


def test_the_key_lives_in_settings_not_in_the_database(session: Session, org: Org) -> None:
    """Ballots MACed under one key do not verify under another: the database alone cannot."""
    vote_id = _four_agree(session, org)
    assert ballots.verify_ballots(session, vote_id=vote_id).ok
    before = get_settings()
    set_settings(Settings(env="test", votes=VotesSettings(ballot_key="another-key-" * 4)))
    try:
        assert not ballots.verify_ballots(session, vote_id=vote_id).ok
    finally:
        set_settings(before)


def test_production_refuses_the_default_ballot_key() -> None:
    auth = AuthSettings(secret_key="s" * 40)
    with pytest.raises(ValidationError, match="SOTAY_VOTES__BALLOT_KEY"):
        Settings(env="production", auth=auth)
    with pytest.raises(ValidationError, match="SOTAY_VOTES__BALLOT_KEY"):
        Settings(env="production", auth=auth, votes=VotesSettings(ballot_key=""))
    ok = Settings(env="production", auth=auth, votes=VotesSettings(ballot_key="k" * 40))
    assert ok.votes.ballot_key == "k" * 40
