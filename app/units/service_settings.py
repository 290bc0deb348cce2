"""A unit's settings: the names its documents and minutes print, and its meetings' quorum rule."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.errors import Conflict
from app.core.permissions import Actor, Perm
from app.meetings.models import QuorumBase
from app.meetings.schemas import QuorumRule
from app.units.models import Unit
from app.units.schemas import UnitSettingsIn, UnitSettingsOut
from app.units.service import get_unit


@dataclass(frozen=True)
class PrintedNames:
    full_name: str  # "Chi bộ Khu phố 1, phường Bến Nghé"
    superior_name: str  # "Đảng ủy phường Bến Nghé"; "" for a unit at the top of the tree


def printed_names(session: Session, *, unit: Unit) -> PrintedNames:
    """The names a unit's papers print: its own settings, else its name and its parent's."""
    superior = unit.superior_name
    if not superior and unit.parent_id is not None:
        # Read without a permission check: a cell's papers name its ward even when the cell's
        # secretary cannot open the ward's page.
        parent = session.get(Unit, unit.parent_id)
        superior = parent.name if parent is not None else ""
    return PrintedNames(full_name=unit.full_name or unit.name, superior_name=superior)


def own_quorum(unit: Unit) -> QuorumRule | None:
    """The quorum rule set on the unit, or None where it keeps the product's default."""
    if unit.quorum_numerator is None or unit.quorum_denominator is None:
        return None
    return QuorumRule(
        numerator=unit.quorum_numerator,
        denominator=unit.quorum_denominator,
        strict=bool(unit.quorum_strict),
        base=QuorumBase(unit.quorum_base or QuorumBase.must_attend),
    )


def quorum_default(unit: Unit) -> QuorumRule:
    """The rule a new meeting of the unit starts from when its request names none."""
    return own_quorum(unit) or QuorumRule()


def settings_out(session: Session, *, unit: Unit) -> UnitSettingsOut:
    """The unit's settings as set, with what is in use beside them."""
    names = printed_names(session, unit=unit)
    return UnitSettingsOut(
        unit_id=unit.id,
        full_name=unit.full_name,
        superior_name=unit.superior_name,
        quorum=own_quorum(unit),
        printed_full_name=names.full_name,
        printed_superior_name=names.superior_name,
        quorum_in_use=quorum_default(unit),
    )


def get_settings(session: Session, *, actor: Actor, unit_id: int) -> UnitSettingsOut:
    """A visible unit's settings."""
    return settings_out(session, unit=get_unit(session, actor=actor, unit_id=unit_id))


def update_settings(
    session: Session, ctx: AuditContext, *, actor: Actor, unit_id: int, data: UnitSettingsIn
) -> UnitSettingsOut:
    """Replace the settings of a unit the actor manages; audited with the fields changed."""
    unit = get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.unit_manage)
    if unit.dissolved_at is not None:
        raise Conflict("Đơn vị {name} đã giải thể", name=unit.name)
    q = data.quorum
    new = {
        "full_name": data.full_name,
        "superior_name": data.superior_name,
        "quorum_numerator": q.numerator if q else None,
        "quorum_denominator": q.denominator if q else None,
        "quorum_strict": q.strict if q else None,
        "quorum_base": q.base.value if q else None,
    }
    changed = [k for k, v in new.items() if getattr(unit, k) != v]
    if changed:
        for k, v in new.items():
            setattr(unit, k, v)
        session.flush()
        # The names are public labels, not personal data, so the audit row may say what they became.
        audit.record(
            session,
            ctx,
            "unit.settings",
            object_type="unit",
            object_id=unit.id,
            unit_id=unit.id,
            detail={"fields": changed, **{k: new[k] for k in changed}},
        )
    return settings_out(session, unit=unit)
