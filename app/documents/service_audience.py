"""Who a document is addressed to: matching an actor's grants, and listing recipients in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Select, and_, false, or_, select, union
from sqlalchemy.orm import Session, aliased

from app.accounts.models import Account, Role, RoleGrant
from app.core.localtime import local_today
from app.core.permissions import Actor, grant_in_force
from app.documents.models import DocumentAudience
from app.members.models import Member, MemberStatus
from app.units.models import Unit

LIVE = (MemberStatus.active.value, MemberStatus.exempted.value)


def _ancestors(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def audience_matches_actor(
    actor: Actor | None, rows: Any = DocumentAudience
) -> ColumnElement[bool]:
    """SQL condition on DocumentAudience (or a table of the same shape, `rows`: a bulletin's
    audience): the row addresses one of the actor's positions."""
    if actor is None or not actor.grants:
        return false()
    conds = []
    for g in actor.grants:
        above = _ancestors(g.unit_path)[:-1]
        role_ok = (
            rows.role.is_(None) | (rows.role == Role.member.value)
            if g.role == Role.member
            else rows.role == g.role.value
        )
        where = rows.unit_id == g.unit_id
        if above:
            where = or_(
                where,
                and_(rows.include_subtree.is_(True), rows.unit_id.in_(above)),
            )
        conds.append(and_(role_ok, where))
    return or_(*conds)


def addressed_document_ids(actor: Actor | None) -> Select[Any]:
    """Ids of documents with an audience row that addresses the actor."""
    return select(DocumentAudience.document_id).where(audience_matches_actor(actor))


def _covered_units(rows: list[tuple[int, bool]]) -> Select[Any]:
    """Unit ids covered by audience rows (unit id, include_subtree): prefix tests on a few
    thousand units, so the member query below is a plain indexed `unit_id IN (...)`."""
    exact = sorted({uid for uid, _ in rows})
    subtree = [uid for uid, sub in rows if sub]
    cond: ColumnElement[bool] = Unit.id.in_(exact)
    if subtree:
        # Correlated EXISTS over the (few) audience units: a unit is covered when an audience
        # unit's path prefixes its own.
        au = aliased(Unit)
        cond = or_(
            cond,
            select(au.id).where(au.id.in_(subtree), Unit.path.startswith(au.path)).exists(),
        )
    return select(Unit.id).where(cond)


def recipient_ids_query(session: Session, document_id: int) -> Select[Any] | CompoundSelect[Any]:
    """Member ids of everyone the document is addressed to (live members only), deduplicated."""
    rows = session.execute(
        select(
            DocumentAudience.unit_id, DocumentAudience.include_subtree, DocumentAudience.role
        ).where(DocumentAudience.document_id == document_id)
    ).all()
    return recipients_for_rows([(r[0], r[1], r[2]) for r in rows])


def recipients_for_rows(
    rows: Sequence[tuple[int, bool, str | None]],
) -> Select[Any] | CompoundSelect[Any]:
    """Member ids reached by audience rows (unit id, include_subtree, role) of any table of
    the documents' audience shape (a bulletin's too), deduplicated."""
    by_role: dict[str | None, list[tuple[int, bool]]] = {}
    for unit_id, sub, role in rows:
        key = None if role in (None, Role.member.value) else role
        by_role.setdefault(key, []).append((unit_id, bool(sub)))
    parts: list[Select[Any]] = []
    if None in by_role:
        parts.append(
            select(Member.id).where(
                Member.status.in_(LIVE), Member.unit_id.in_(_covered_units(by_role[None]))
            )
        )
    # A role filter reaches the members whose accounts hold that role on a covered unit.
    for role, units in by_role.items():
        if role is None:
            continue
        parts.append(
            select(Member.id)
            .join(Account, Account.member_id == Member.id)
            .join(RoleGrant, RoleGrant.account_id == Account.id)
            .where(
                Member.status.in_(LIVE),
                Account.is_active.is_(True),
                RoleGrant.role == role,
                RoleGrant.unit_id.in_(_covered_units(units)),
                grant_in_force(local_today()),  # an ended grant no longer receives
            )
        )
    if not parts:
        return select(Member.id).where(false())
    return parts[0] if len(parts) == 1 else union(*parts)


def recipient_ids(session: Session, document_id: int) -> list[int]:
    return sorted({r[0] for r in session.execute(recipient_ids_query(session, document_id))})
