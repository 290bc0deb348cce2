"""Closing open votes whose window has ended, from the worker's periodic sweep.

The close goes through `votes_service.close_vote`, so an automatic close freezes the
denominators, seals the ballot chain, records the results and notifies exactly as the chair's
button does. It is idempotent and safe with several sweepers: `close_vote` takes the vote row
exclusively (FOR UPDATE on PostgreSQL; SQLite serialises writers) and re-reads its status, so
the second sweeper to reach a vote finds it closed and leaves it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.core.audit import AuditContext
from app.core.db import Database
from app.core.errors import Conflict
from app.core.permissions import Actor, Grant
from app.jobs.service_registry import register_periodic
from app.units.models import Unit
from app.votes import service as votes_service
from app.votes.models import Vote, VoteStatus

log = logging.getLogger(__name__)

# Keeps one sweep short however many votes a long outage left open.
BATCH = 50
# No account: the audit row and `closed_by` name no person for an automatic close.
SYSTEM = AuditContext()


def due_vote_ids(session: Session, now: datetime, *, limit: int = BATCH) -> list[int]:
    """Open votes whose closing time has passed, the longest overdue first."""
    return list(
        session.scalars(
            select(Vote.id)
            .where(
                Vote.status == VoteStatus.open,
                Vote.closes_at.is_not(None),
                Vote.closes_at <= now,
            )
            .order_by(Vote.closes_at, Vote.id)
            .limit(limit)
        )
    )


def system_chair(unit: Unit) -> Actor:
    """The sweeper as chair of one vote: vote.manage in that unit alone, and no account.

    `account_id` is None on purpose (closed_by stays empty); Actor types it as int because
    every other actor is a signed-in account.
    """
    return Actor(
        account_id=None,  # type: ignore[arg-type]
        username="system",
        grants=(Grant(unit.id, unit.path, Role.cell_secretary),),
    )


def close_vote_if_due(session: Session, *, vote_id: int, now: datetime) -> bool:
    """Close one vote through the chair's close path if it is still open and overdue."""
    row = session.execute(
        select(Vote.closes_at, Unit).join(Unit, Unit.id == Vote.unit_id).where(Vote.id == vote_id)
    ).first()
    if row is None or row.closes_at is None or row.closes_at > now:
        return False
    try:
        # A savepoint, so a vote closed meanwhile by the chair or another sweeper is skipped
        # without spoiling the rest of the batch.
        with session.begin_nested():
            votes_service.close_vote(
                session, ctx=SYSTEM, actor=system_chair(row.Unit), vote_id=vote_id
            )
    except Conflict:
        return False
    return True


def close_due_votes(session: Session, now: datetime, *, limit: int = BATCH) -> list[int]:
    """Close every overdue open vote (up to `limit`) in the caller's transaction."""
    return [
        vote_id
        for vote_id in due_vote_ids(session, now, limit=limit)
        if close_vote_if_due(session, vote_id=vote_id, now=now)
    ]


@register_periodic("votes.autoclose")
def run_autoclose(db: Database, now: datetime) -> list[int]:
    """The periodic entry point: a cheap read first, then one short transaction per vote.

    One transaction each keeps the vote-row lock brief and lets one failing vote (logged, and
    retried on the next sweep) not hold back the others.
    """
    with db.session(readonly=True) as session:
        due = due_vote_ids(session, now)
    closed: list[int] = []
    for vote_id in due:
        try:
            with db.session() as session:
                if close_vote_if_due(session, vote_id=vote_id, now=now):
                    closed.append(vote_id)
        except Exception:
            log.warning("could not close vote %s automatically", vote_id, exc_info=True)
    if closed:
        log.info("votes closed at their closing time: %s", closed)
    return closed
