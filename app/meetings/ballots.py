"""Secret ballots: anonymous storage, the hash chain sealed at close, and its verification.

Why the chain is built at close and not as ballots arrive: a chain built on arrival orders the
ballots by time of casting, and the audit log (which must record "vote.participated" with its
actor and time) orders the voters the same way; laying the two side by side would name every
voter's ballot. So a ballot is stored with a random UUID key, no timestamp, no serial id and
no member, and carries only its own content hash while the vote is open. At close the ballots
are chained in key order, which is a random permutation unrelated to the order of casting, and
the chain head is frozen on the vote and written to the (append-only, chained) audit log.
After that, changing, adding or removing any ballot breaks `verify_ballots`.

Residual: on PostgreSQL the heap keeps rows roughly in insertion order until they are
rewritten; sealing rewrites every ballot in key order (an UPDATE writes a new tuple), so only
a superuser reading dead tuples before VACUUM could still see the old order. SQLite stores
ballots WITHOUT ROWID, i.e. in key order from the start.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from app.meetings.votes_models import Ballot, Vote, VoteParticipation, VoteStatus

GENESIS = "0" * 64


def ballot_hash(
    prev_hash: str | None, vote_id: int, ballot_id: str, choices: dict[str, Any]
) -> str:
    """SHA-256 over the previous link (empty while unsealed) and the ballot's content."""
    payload = json.dumps(
        {"prev": prev_hash or "", "vote": vote_id, "id": ballot_id, "choices": choices},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def insert_ballot(session: Session, *, vote_id: int, choices: dict[str, Any]) -> None:
    """Store one anonymous ballot; the id is random and deliberately not returned to anyone."""
    ballot_id = uuid.uuid4().hex
    session.execute(
        insert(Ballot).values(
            id=ballot_id,
            vote_id=vote_id,
            choices=choices,
            prev_hash=None,
            hash=ballot_hash(None, vote_id, ballot_id, choices),
        )
    )


def seal(session: Session, *, vote_id: int) -> str:
    """Chain the vote's ballots in key order and return the head (GENESIS when none)."""
    prev = GENESIS
    rows = session.execute(
        select(Ballot.id, Ballot.choices).where(Ballot.vote_id == vote_id).order_by(Ballot.id)
    ).all()
    for row in rows:
        h = ballot_hash(prev, vote_id, row.id, row.choices)
        session.execute(update(Ballot).where(Ballot.id == row.id).values(prev_hash=prev, hash=h))
        prev = h
    return prev


def _audited_head(session: Session, vote_id: int) -> str | None:
    """The head written to the append-only audit log when the vote closed."""
    detail = session.scalar(
        select(AuditLog.detail)
        .where(
            AuditLog.action == "vote.closed",
            AuditLog.object_type == "vote",
            AuditLog.object_id == str(vote_id),
        )
        .order_by(AuditLog.id.desc())
        .limit(1)
    )
    return None if detail is None else detail.get("chain_head")


@dataclass
class BallotCheck:
    ok: bool
    checked: int
    reason: str = ""


def verify_ballots(session: Session, *, vote_id: int) -> BallotCheck:
    """Recompute the vote's ballots: contents, links, the sealed head, and the count of voters."""
    vote = session.get(Vote, vote_id)
    if vote is None:
        return BallotCheck(False, 0, "vote not found")
    rows = session.execute(
        select(Ballot.id, Ballot.choices, Ballot.prev_hash, Ballot.hash)
        .where(Ballot.vote_id == vote_id)
        .order_by(Ballot.id)
    ).all()
    voters = session.scalar(
        select(func.count())
        .select_from(VoteParticipation)
        .where(VoteParticipation.vote_id == vote_id)
    )
    if len(rows) != voters:
        return BallotCheck(False, 0, "ballot count differs from the number of voters")
    sealed = vote.status == VoteStatus.closed
    prev: str | None = GENESIS if sealed else None
    for checked, row in enumerate(rows):
        if row.prev_hash != prev:
            return BallotCheck(False, checked, "broken link: a ballot was added, removed or moved")
        if ballot_hash(prev, vote_id, row.id, row.choices) != row.hash:
            return BallotCheck(False, checked, "ballot content does not match its hash")
        if sealed:
            prev = row.hash
    if sealed and prev != (vote.chain_head or GENESIS):
        return BallotCheck(False, len(rows), "chain head differs from the one sealed at close")
    if sealed and prev != _audited_head(session, vote_id):
        return BallotCheck(False, len(rows), "chain head differs from the audit log")
    return BallotCheck(True, len(rows))
