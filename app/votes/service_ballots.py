"""Secret ballots: anonymous storage re-dealt on every change, a keyed chain sealed at close, verification.

Why nothing may keep the order of casting: the audit log must record "vote.participated" with
its actor and time, so it orders the voters; anything that orders the ballots the same way
(row ids, timestamps, physical position in the table or its write-ahead log, transaction ids)
would name every voter's ballot when laid beside it. So:

- a ballot has a random UUID key, no timestamp, no serial id and no member;
- every cast and the close re-deal the vote's whole ballot box: all its ballots are deleted and
  written again in key order (a random permutation) in that one transaction, so physical order,
  and on PostgreSQL every ballot's xmin, say nothing about who came first;
- SQLite zeroes deleted content (secure_delete, app.core.db) and, after each such commit, the
  write-ahead log is checkpointed and truncated (`scrub_wal`), so it keeps no history either.

Why keyed: with a plain hash anyone who can write the database can edit a ballot and recompute
it. Each ballot carries an HMAC (key from settings, never in the database) of its content; at
close the MACs are chained in key order and the head is frozen on the vote and in the audit log.
Content MACs are never recomputed after the cast, so an edit made while the vote is open stays
detectable after sealing. ARCHITECTURE.md ("Secret ballots") states what remains.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, event, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from app.core.config import get_settings
from app.votes.models import Ballot, Vote, VoteParticipation, VoteStatus

log = logging.getLogger(__name__)

GENESIS = "0" * 64
_SCRUB = "sotay_scrub_ballot_wal"


def _mac(kind: str, payload: dict[str, Any]) -> str:
    body = json.dumps(
        {"kind": kind, **payload}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    key = get_settings().votes.ballot_key.encode("utf-8")
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def ballot_mac(vote_id: int, ballot_id: str, choices: dict[str, Any]) -> str:
    """HMAC-SHA256 of one ballot's content, bound to its vote and its key."""
    return _mac("ballot", {"vote": vote_id, "id": ballot_id, "choices": choices})


def link_mac(prev: str, ballot_hash: str) -> str:
    """The chain's next link: HMAC-SHA256 of the previous link and one ballot's MAC."""
    return _mac("link", {"prev": prev, "ballot": ballot_hash})


def _unkeyed(prev_hash: str | None, vote_id: int, ballot_id: str, choices: Any) -> str:
    """The plain SHA-256 used before ballots were keyed; only to name such a hash in a failure."""
    payload = json.dumps(
        {"prev": prev_hash or "", "vote": vote_id, "id": ballot_id, "choices": choices},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _box(session: Session, vote_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Ballot.id, Ballot.choices, Ballot.prev_hash, Ballot.hash)
        .where(Ballot.vote_id == vote_id)
        .order_by(Ballot.id)
    ).all()
    return [{"vote_id": vote_id, **r._asdict()} for r in rows]


def _redeal(session: Session, vote_id: int, box: list[dict[str, Any]]) -> None:
    """Write the vote's ballots anew, in key order, so no earlier write order survives."""
    session.execute(delete(Ballot).where(Ballot.vote_id == vote_id))
    if box:
        session.execute(insert(Ballot), sorted(box, key=lambda b: b["id"]))
    session.info[_SCRUB] = True


def insert_ballot(session: Session, *, vote_id: int, choices: dict[str, Any]) -> None:
    """Add one anonymous ballot and re-deal the box; the caller holds the vote's row lock."""
    ballot_id = uuid.uuid4().hex
    box = _box(session, vote_id)
    box.append(
        {
            "vote_id": vote_id,
            "id": ballot_id,
            "choices": choices,
            "prev_hash": None,
            "hash": ballot_mac(vote_id, ballot_id, choices),
        }
    )
    _redeal(session, vote_id, box)


def seal(session: Session, *, vote_id: int) -> str:
    """Chain the ballots' MACs in key order, rebuild the table, return the head (GENESIS if none)."""
    if session.get_bind().dialect.name == "postgresql":
        # Taken before any ballot is touched, so two closes queue instead of deadlocking.
        session.execute(text("LOCK TABLE ballots IN ACCESS EXCLUSIVE MODE"))
    box = _box(session, vote_id)
    prev = GENESIS
    for ballot in box:
        ballot["prev_hash"] = prev
        prev = link_mac(prev, ballot["hash"])
    _redeal(session, vote_id, box)
    _rebuild_table(session)
    return prev


def _rebuild_table(session: Session) -> None:
    """Write the whole ballots table into fresh pages, so no page keeps an earlier deal's bytes.

    Re-dealing zeroes deleted ballots, but when a B-tree page splits SQLite leaves the cells it
    moved away in the page's unused gap, and a PostgreSQL heap keeps dead tuples: either would
    show which ballots existed before others. Fresh pages hold only the final state.
    """
    if session.get_bind().dialect.name == "postgresql":
        # A new file in key order; the old one, dead tuples and all, is unlinked at commit.
        try:
            with session.begin_nested():
                session.execute(text("CLUSTER ballots USING pk_ballots"))
        except DBAPIError:
            # Only the table's owner may CLUSTER; the vote still closes, re-dealt, with its
            # dead tuples left to VACUUM.
            log.warning("could not rewrite the ballots table at close", exc_info=True)
        return
    ddl = session.scalars(
        text("SELECT sql FROM sqlite_master WHERE tbl_name = 'ballots' AND sql IS NOT NULL")
    ).all()
    session.execute(text("ALTER TABLE ballots RENAME TO ballots_old"))
    session.execute(text(next(d for d in ddl if d.upper().startswith("CREATE TABLE"))))
    cols = "id, vote_id, choices, prev_hash, hash"
    session.execute(
        text(f"INSERT INTO ballots ({cols}) SELECT {cols} FROM ballots_old ORDER BY id")
    )
    # Dropped pages go to the free list zeroed (secure_delete); the index is built afresh too.
    session.execute(text("DROP TABLE ballots_old"))
    for index in ddl:
        if not index.upper().startswith("CREATE TABLE"):
            session.execute(text(index))


def scrub_wal(engine: Engine) -> bool:
    """Checkpoint SQLite's write-ahead log into the database and truncate it; False if busy."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA busy_timeout")
        (wait,) = cur.fetchone() or (30000,)
        # A long reader would hold a TRUNCATE checkpoint (and new writers) for the whole
        # timeout; give up sooner and let the next ballot's checkpoint finish the job.
        cur.execute("PRAGMA busy_timeout=2000")
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (busy, _frames, _done) = cur.fetchone() or (1, 0, 0)
        cur.execute(f"PRAGMA busy_timeout={int(wait)}")
        cur.close()
    finally:
        raw.close()
    if busy:
        log.warning("ballot WAL checkpoint was busy; the next ballot or close retries it")
    return not busy


@event.listens_for(Session, "after_commit")
def _scrub_after_commit(session: Session) -> None:
    # A savepoint's release fires this too, inside a transaction still open (a second cast in
    # one session): the checkpoint would only wait on it and fail, so wait for the real commit.
    if session.in_nested_transaction():
        return
    if not session.info.pop(_SCRUB, False):
        return
    bind = session.get_bind()
    # A session bound to a Connection runs inside a transaction someone else commits (tests);
    # a checkpoint there would wait on that very transaction.
    if isinstance(bind, Engine) and bind.dialect.name == "sqlite":
        scrub_wal(bind)


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
    """Recompute the vote's ballots: content MACs, links, the sealed head, the count of voters."""
    vote = session.get(Vote, vote_id)
    if vote is None:
        return BallotCheck(False, 0, "vote not found")
    rows = _box(session, vote_id)
    voters = session.scalar(
        select(func.count())
        .select_from(VoteParticipation)
        .where(VoteParticipation.vote_id == vote_id)
    )
    if len(rows) != voters:
        return BallotCheck(False, 0, "ballot count differs from the number of voters")
    sealed = vote.status == VoteStatus.closed
    prev = GENESIS
    for checked, row in enumerate(rows):
        if not hmac.compare_digest(ballot_mac(vote_id, row["id"], row["choices"]), row["hash"]):
            unkeyed = row["hash"] == _unkeyed(row["prev_hash"], vote_id, row["id"], row["choices"])
            why = " (an unkeyed hash: edited, or written before ballots were keyed)"
            return BallotCheck(
                False, checked, "ballot content does not match its hash" + (why if unkeyed else "")
            )
        if row["prev_hash"] != (prev if sealed else None):
            return BallotCheck(False, checked, "broken link: a ballot was added, removed or moved")
        prev = link_mac(prev, row["hash"])
    if sealed and prev != (vote.chain_head or GENESIS):
        return BallotCheck(False, len(rows), "chain head differs from the one sealed at close")
    if sealed and prev != _audited_head(session, vote_id):
        return BallotCheck(False, len(rows), "chain head differs from the audit log")
    return BallotCheck(True, len(rows))
