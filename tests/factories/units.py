"""Unit factories: build tree nodes directly, with correct materialised paths."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from app.units.models import Unit, UnitKind

_seq = itertools.count(1)


def make_unit(
    session: Session,
    name: str,
    kind: UnitKind = UnitKind.cell,
    parent: Unit | None = None,
    code: str | None = None,
) -> Unit:
    unit = Unit(
        code=code or f"U{next(_seq):05d}",
        name=name,
        kind=kind,
        parent_id=parent.id if parent else None,
        depth=(parent.depth + 1) if parent else 0,
    )
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    return unit
