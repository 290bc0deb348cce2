"""Reading the audit log: scoped, filtered, paged listing, the distinct actions, and the chain check."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, not_, or_, select, true
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.audit.schemas import AuditEntryOut, AuditPageOut, AuditQuery, VerifyOut
from app.core import audit
from app.core.audit import AuditContext, AuditLog, verify_chain
from app.core.errors import Forbidden, NotFound
from app.core.localtime import LOCAL_TZ
from app.core.permissions import Actor, Perm, accessible_unit_ids, unit_scope
from app.units.models import Unit

# Counting stops here: past it the page says "more than N" and asks for narrower filters.
# Measured on 1M rows, 2 cores: a page costs 3-17 ms on SQLite and PostgreSQL, but an exact
# count of a broad filter 20-40 ms (about 100 ms on PostgreSQL before the table is vacuumed),
# and nobody pages through ten thousand rows by hand.
COUNT_CAP = 10_000


def _audit_scope(session: Session, actor: Actor) -> ColumnElement[bool]:
    """Which log rows the actor may read.

    Rows about a unit follow the unit tree. Rows about no unit (logins, system events) are
    organisation-wide, so only an actor whose scope includes a root unit reads them.
    """
    paths = actor.paths_for(Perm.audit_view)
    if not paths:
        raise Forbidden("Bạn không có quyền xem nhật ký")
    has_root = _oversees_a_root(actor)
    if has_root:
        outside = session.scalar(
            select(Unit.id).where(not_(unit_scope(actor, Perm.audit_view))).limit(1)
        )
        # Every unit is in scope: no filter at all, so the planner can walk the primary key.
        if outside is None:
            return true()
    in_units = AuditLog.unit_id.in_(accessible_unit_ids(actor, Perm.audit_view))
    return or_(in_units, AuditLog.unit_id.is_(None)) if has_root else in_units


def _as_utc(value: date | datetime, *, end: bool) -> datetime:
    """A day means the whole day in Vietnam; a naive datetime is Vietnam's clock too."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)
        return moment.astimezone(UTC)
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)


def _conditions(session: Session, actor: Actor, q: AuditQuery) -> list[ColumnElement[bool]] | None:
    """The scope and the filters as SQL conditions; None when a filter can match nothing."""
    conds: list[ColumnElement[bool]] = [_audit_scope(session, actor)]
    if q.actor:
        account_id = session.scalar(
            select(Account.id).where(func.lower(Account.username) == q.actor.lower())
        )
        if account_id is None:
            return None
        conds.append(AuditLog.actor_account_id == account_id)
    if q.action:
        conds.append(AuditLog.action == q.action)
    if q.object_type:
        conds.append(AuditLog.object_type == q.object_type)
    if q.object_id:
        conds.append(AuditLog.object_id == q.object_id)
    if q.unit_id is not None:
        path = session.scalar(
            select(Unit.path).where(Unit.id == q.unit_id, unit_scope(actor, Perm.audit_view))
        )
        if path is None:
            raise NotFound("Không tìm thấy đơn vị")
        subtree = select(Unit.id).where(Unit.path.startswith(path, autoescape=True))
        conds.append(AuditLog.unit_id.in_(subtree))
    if q.since is not None:
        conds.append(AuditLog.at >= _as_utc(q.since, end=False))
    if q.until is not None:
        until = _as_utc(q.until, end=True)
        # A bare day is inclusive (up to the next midnight); a moment is an upper bound.
        conds.append(
            AuditLog.at < until if not isinstance(q.until, datetime) else AuditLog.at <= until
        )
    return conds


def list_entries(
    session: Session, ctx: AuditContext, *, actor: Actor, query: AuditQuery
) -> AuditPageOut:
    """One page of the log, newest first, within the actor's scope; the read is itself audited."""
    conds = _conditions(session, actor, query)
    items: list[AuditEntryOut] = []
    total = 0
    if conds is not None:
        # Pick the page's ids first, then load those rows: the id query can be answered from
        # indexes alone (SQLite sorts thousands of ids instead of thousands of whole rows).
        page_ids = (
            select(AuditLog.id)
            .where(*conds)
            .order_by(AuditLog.id.desc())
            .offset((query.page - 1) * query.page_size)
            .limit(query.page_size)
        )
        rows = session.execute(
            select(AuditLog, Account.username)
            .outerjoin(Account, Account.id == AuditLog.actor_account_id)
            .where(AuditLog.id.in_(page_ids.scalar_subquery()))
            .order_by(AuditLog.id.desc())
        ).all()
        items = [_entry(row, username) for row, username in rows]
        capped = select(AuditLog.id).where(*conds).limit(COUNT_CAP + 1).subquery()
        total = session.scalar(select(func.count()).select_from(capped)) or 0
    audit.record(
        session,
        ctx,
        "audit.view",
        object_type="audit_log",
        detail={"filters": query.filters(), "page": query.page, "results": len(items)},
    )
    return AuditPageOut(
        items=items,
        total=min(total, COUNT_CAP),
        total_exact=total <= COUNT_CAP,
        page=query.page,
        page_size=query.page_size,
    )


def _entry(row: AuditLog, username: str | None) -> AuditEntryOut:
    return AuditEntryOut(
        id=row.id,
        at=row.at,
        actor=username,
        on_behalf_of_member_id=row.on_behalf_of_member_id,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        unit_id=row.unit_id,
        ip=row.ip,
        detail=row.detail or {},
    )


def unit_names(session: Session, unit_ids: set[int]) -> dict[int, str]:
    """Names for the units on a page of rows (already scoped by the rows themselves)."""
    if not unit_ids:
        return {}
    return {
        r.id: r.name
        for r in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)))
    }


def distinct_actions(session: Session) -> list[str]:
    """Every action name in the log, for the filter's select.

    A loose index scan (one index seek per distinct value) instead of DISTINCT over the whole
    table: a few dozen seeks rather than a million-row scan, on SQLite and PostgreSQL alike.
    Action names are code words, not data, so they are not scoped.
    """
    walk = select(func.min(AuditLog.action).label("action")).cte("walk", recursive=True)
    nxt = select(
        select(func.min(AuditLog.action)).where(AuditLog.action > walk.c.action).scalar_subquery()
    ).where(walk.c.action.is_not(None))
    walk = walk.union_all(nxt)
    return [
        a for a in session.scalars(select(walk.c.action).where(walk.c.action.is_not(None))) if a
    ]


def _oversees_a_root(actor: Actor) -> bool:
    # A root unit's materialised path has one id: "/1/".
    return any(p.count("/") == 2 for p in actor.paths_for(Perm.audit_view))


def can_verify(actor: Actor) -> bool:
    """The chain spans every unit, so only actors who oversee a tree from its root check it."""
    return _oversees_a_root(actor)


def verify(session: Session, ctx: AuditContext, *, actor: Actor) -> VerifyOut:
    """Recompute the whole hash chain and record that it was checked."""
    if not can_verify(actor):
        raise Forbidden("Chỉ cấp thành ủy mới được kiểm tra toàn bộ nhật ký")
    result = verify_chain(session)
    audit.record(
        session,
        ctx,
        "audit.verify",
        object_type="audit_log",
        detail={"ok": result.ok, "checked": result.checked, "first_bad_id": result.first_bad_id},
    )
    return VerifyOut(
        ok=result.ok, checked=result.checked, first_bad_id=result.first_bad_id, reason=result.reason
    )
