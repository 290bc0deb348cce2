"""Unit tree: create, rename, move and dissolve units, keeping their history, within the actor's scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import String, func, literal, select, update
from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.permissions import Actor, Perm, unit_scope
from app.core.text import fold
from app.members.models import Member, MemberStatus
from app.units.models import Unit, UnitEvent, UnitKind

# Members who still hold a unit open: they must be transferred before it can be dissolved.
_LIVE_STATUSES = (MemberStatus.active.value, MemberStatus.exempted.value)


def allowed_in(actor: Actor | None, perm: Perm, unit: Unit) -> bool:
    """Whether `actor` may do `perm` in `unit` (its path lies under one of the actor's grants)."""
    if actor is None:
        return False
    return any(unit.path.startswith(p) for p in actor.paths_for(perm))


def get_unit(
    session: Session, *, actor: Actor | None, unit_id: int, perm: Perm = Perm.unit_view
) -> Unit:
    """A unit the actor can see (else 404) and may do `perm` in (else 403)."""
    unit = session.get(Unit, unit_id)
    if unit is None or not allowed_in(actor, Perm.unit_view, unit):
        raise NotFound("Không tìm thấy đơn vị")
    if perm != Perm.unit_view and not allowed_in(actor, perm, unit):
        raise Forbidden("Bạn không có quyền thực hiện thao tác này với đơn vị này")
    return unit


def list_units(
    session: Session, *, actor: Actor | None, q: str | None = None, perm: Perm = Perm.unit_view
) -> list[Unit]:
    """Units the actor may see, in tree order; `q` matches the name without accents, or the code."""
    units = list(session.scalars(select(Unit).where(unit_scope(actor, perm)).order_by(Unit.path)))
    if q and (needle := fold(q)):
        # A few thousand units at most: folding in Python keeps the schema free of a second column.
        units = [u for u in units if needle in fold(u.name) or needle in u.code.lower()]
    return units


def unit_history(session: Session, *, actor: Actor | None, unit_id: int) -> list[UnitEvent]:
    """The unit's events (created, renamed, moved, dissolved), oldest first."""
    unit = get_unit(session, actor=actor, unit_id=unit_id)
    return list(
        session.scalars(
            select(UnitEvent)
            .where(UnitEvent.unit_id == unit.id)
            .order_by(UnitEvent.at, UnitEvent.id)
        )
    )


def _event(
    session: Session,
    ctx: AuditContext,
    unit: Unit,
    kind: str,
    old: str | None = None,
    new: str | None = None,
    detail: dict[str, object] | None = None,
) -> None:
    session.add(
        UnitEvent(
            unit_id=unit.id,
            kind=kind,
            old_value=old,
            new_value=new,
            actor_account_id=ctx.actor_account_id,
        )
    )
    audit.record(
        session,
        ctx,
        f"unit.{kind}",
        object_type="unit",
        object_id=unit.id,
        unit_id=unit.id,
        detail=detail or {},
    )


def _require_open(unit: Unit) -> None:
    if unit.dissolved_at is not None:
        raise Conflict("Đơn vị {name} đã giải thể", name=unit.name)


def _insert(
    session: Session,
    ctx: AuditContext,
    *,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None,
) -> Unit:
    if session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise Conflict(
            "Mã đơn vị {code} đã được dùng",
            details=[{"field": "code", "message": "duplicate"}],
            code=code,
        )
    unit = Unit(
        code=code,
        name=name,
        kind=kind.value,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        path="",
    )
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    _event(
        session,
        ctx,
        unit,
        "created",
        new=name,
        detail={"code": code, "kind": kind.value, "parent_id": unit.parent_id},
    )
    return unit


def create_unit(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: UnitKind,
    parent_id: int,
) -> Unit:
    """Create a unit under a parent the actor manages."""
    parent = get_unit(session, actor=actor, unit_id=parent_id, perm=Perm.unit_manage)
    _require_open(parent)
    return _insert(session, ctx, code=code, name=name, kind=kind, parent=parent)


def create_root_unit(
    session: Session, ctx: AuditContext, *, code: str, name: str, kind: UnitKind
) -> Unit:
    """Create a top-level unit; for trusted callers only (CLI, demo data), never from a request."""
    return _insert(session, ctx, code=code, name=name, kind=kind, parent=None)


def rename_unit(
    session: Session, ctx: AuditContext, *, actor: Actor, unit_id: int, name: str
) -> Unit:
    """Rename a unit the actor manages."""
    unit = get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)
    _require_open(unit)
    if unit.name == name:
        return unit
    old = unit.name
    unit.name = name
    session.flush()
    _event(session, ctx, unit, "renamed", old=old, new=name, detail={"old": old, "new": name})
    return unit


def move_unit(
    session: Session, ctx: AuditContext, *, actor: Actor, unit_id: int, parent_id: int
) -> Unit:
    """Re-parent a unit with its whole subtree; the actor must manage both the unit and the new parent."""
    unit = get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)
    parent = get_unit(session, actor=actor, unit_id=parent_id, perm=Perm.unit_manage)
    _require_open(unit)
    _require_open(parent)
    if parent.path.startswith(unit.path):
        raise Invalid(
            "Không thể chuyển đơn vị vào chính nó hoặc đơn vị trực thuộc của nó",
            details=[{"field": "parent_id", "message": "cycle"}],
        )
    if unit.parent_id == parent.id:
        return unit
    old_parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    old_prefix = unit.path
    new_prefix = f"{parent.path}{unit.id}/"
    delta = parent.depth + 1 - unit.depth
    # One statement rewrites the whole subtree, so no reader ever sees half a move.
    session.execute(
        update(Unit)
        .where(Unit.path.startswith(old_prefix, autoescape=True))
        .values(
            path=literal(new_prefix, String).concat(func.substr(Unit.path, len(old_prefix) + 1)),
            depth=Unit.depth + delta,
        )
        .execution_options(synchronize_session="fetch")
    )
    unit.parent_id = parent.id
    session.flush()
    session.refresh(unit)
    _event(
        session,
        ctx,
        unit,
        "moved",
        old=old_parent.name if old_parent else None,
        new=parent.name,
        detail={"from_parent_id": old_parent.id if old_parent else None, "to_parent_id": parent.id},
    )
    return unit


def dissolve_unit(session: Session, ctx: AuditContext, *, actor: Actor, unit_id: int) -> Unit:
    """Mark a unit dissolved once it has no live members and no open child units."""
    unit = get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)
    _require_open(unit)
    members = session.scalar(
        select(func.count(Member.id)).where(
            Member.unit_id == unit.id, Member.status.in_(_LIVE_STATUSES)
        )
    )
    if members:
        raise Conflict(
            "Đơn vị còn {n} đảng viên đang sinh hoạt; hãy chuyển sinh hoạt trước khi giải thể",
            n=members,
        )
    children = session.scalar(
        select(func.count(Unit.id)).where(Unit.parent_id == unit.id, Unit.dissolved_at.is_(None))
    )
    if children:
        raise Conflict("Đơn vị còn {n} đơn vị trực thuộc chưa giải thể", n=children)
    unit.dissolved_at = utcnow()
    session.flush()
    _event(session, ctx, unit, "dissolved")
    return unit


@dataclass
class TreeNode:
    unit: Unit
    children: list[TreeNode] = field(default_factory=list)
    members: int = 0  # live members directly in this unit
    total: int = 0  # live members in the whole subtree


def units_for_picker(
    session: Session, *, actor: Actor, perm: Perm, limit: int | None = 500
) -> list[Unit]:
    """The live units the actor may do `perm` in, tree order: the choices of a unit picker."""
    q = select(Unit).where(unit_scope(actor, perm), Unit.dissolved_at.is_(None)).order_by(Unit.path)
    return list(session.scalars(q if limit is None else q.limit(limit)))


def child_units(session: Session, *, actor: Actor, unit: Unit) -> list[Unit]:
    """Direct children of a unit the actor can see (a grant covers the whole subtree)."""
    return list(
        session.scalars(
            select(Unit)
            .where(Unit.parent_id == unit.id, unit_scope(actor, Perm.unit_view))
            .order_by(Unit.name)
        )
    )


def visible_parent(session: Session, *, actor: Actor, unit: Unit) -> Unit | None:
    """The unit's parent, if the actor can see it (a cell secretary cannot see the ward)."""
    if unit.parent_id is None:
        return None
    parent = session.get(Unit, unit.parent_id)
    return parent if parent is not None and allowed_in(actor, Perm.unit_view, parent) else None


def build_forest(units: Sequence[Unit], counts: dict[int, int] | None = None) -> list[TreeNode]:
    """Nest units (already in path order) under their visible parents; counts fill in totals."""
    counts = counts or {}
    nodes = {u.id: TreeNode(u, members=counts.get(u.id, 0)) for u in units}
    roots: list[TreeNode] = []
    for u in units:
        node = nodes[u.id]
        parent = nodes.get(u.parent_id) if u.parent_id is not None else None
        (parent.children if parent else roots).append(node)

    def _sum(node: TreeNode) -> int:
        node.total = node.members + sum(_sum(c) for c in node.children)
        return node.total

    for r in roots:
        _sum(r)
    return roots
