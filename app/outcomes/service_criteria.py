"""A unit's meeting self-assessment criteria and grade bands: list, add, edit, reorder, set.

A unit without criteria of its own uses its nearest ancestor's, or the product's
(`service.criteria_for`). The first change a unit makes copies the set it was using into its
own rows and edits the copy, so a ward's change never alters its cells' sets, and meetings
already scored keep pointing at the rows they were scored against (each score also keeps its
own `max_score`).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.errors import Conflict, Invalid, NotFound
from app.core.permissions import Actor, Perm
from app.outcomes.models import AssessmentBand, AssessmentCriterion
from app.outcomes.schemas import (
    AssessmentConfigOut,
    BandOut,
    BandsIn,
    CriteriaOrder,
    CriterionAdminOut,
    CriterionEdit,
    CriterionIn,
)
from app.outcomes.service import criteria_for
from app.units import service as units_service
from app.units.models import Unit

# More than this many criteria is not a checklist a cell can score in a meeting.
MAX_CRITERIA = 50


def _unit(session: Session, actor: Actor, unit_id: int, *, manage: bool) -> Unit:
    perm = Perm.unit_manage if manage else Perm.unit_view
    unit = units_service.get_unit(session, actor=actor, unit_id=unit_id, perm=perm)
    if manage and unit.dissolved_at is not None:
        raise Conflict("Đơn vị {name} đã giải thể", name=unit.name)
    return unit


def _own(session: Session, unit: Unit) -> list[AssessmentCriterion]:
    return list(
        session.scalars(
            select(AssessmentCriterion)
            .where(AssessmentCriterion.unit_id == unit.id)
            .order_by(AssessmentCriterion.position, AssessmentCriterion.id)
        )
    )


def _shown(session: Session, unit: Unit) -> list[AssessmentCriterion]:
    """The unit's own criteria (inactive ones too), else the inherited set it scores against."""
    return _own(session, unit) or criteria_for(session, unit)[0]


def _adopt(session: Session, unit: Unit) -> list[AssessmentCriterion]:
    """The unit's own criteria, copied from the set it inherits when it has none yet."""
    own = _own(session, unit)
    if own:
        return own
    for pos, c in enumerate(criteria_for(session, unit)[0], start=1):
        session.add(
            AssessmentCriterion(
                unit_id=unit.id, code=c.code, text=c.text, max_score=c.max_score, position=pos
            )
        )
    session.flush()
    return _own(session, unit)


def config_out(session: Session, *, unit: Unit) -> AssessmentConfigOut:
    """The criteria and bands as the settings page shows them."""
    own = _own(session, unit)
    in_use, bands = criteria_for(session, unit)
    own_bands = any(b.unit_id == unit.id for b in bands)
    return AssessmentConfigOut(
        unit_id=unit.id,
        own_criteria=bool(own),
        own_bands=own_bands,
        criteria=[CriterionAdminOut.model_validate(c) for c in own or in_use],
        bands=[BandOut.model_validate(b) for b in bands],
        max_total=sum(c.max_score for c in in_use),
    )


def assessment_config(session: Session, *, actor: Actor, unit_id: int) -> AssessmentConfigOut:
    """A visible unit's criteria (its own with inactive ones, or those inherited) and bands."""
    return config_out(session, unit=_unit(session, actor, unit_id, manage=False))


def _audit(
    session: Session, ctx: AuditContext, unit: Unit, action: str, detail: dict[str, object]
) -> None:
    record(
        session,
        ctx,
        action,
        object_type="unit",
        object_id=unit.id,
        unit_id=unit.id,
        detail=detail,
    )


def add_criterion(
    session: Session, ctx: AuditContext, *, actor: Actor, unit_id: int, data: CriterionIn
) -> AssessmentConfigOut:
    """Add a criterion at the end of the unit's list."""
    unit = _unit(session, actor, unit_id, manage=True)
    own = _adopt(session, unit)
    if any(c.code == data.code for c in own):
        raise Conflict(
            "Mã tiêu chí {code} đã được dùng",
            details=[{"field": "code", "message": "duplicate"}],
            code=data.code,
        )
    if len(own) >= MAX_CRITERIA:
        raise Invalid("Mỗi đơn vị có tối đa {n} tiêu chí", n=MAX_CRITERIA)
    position = max((c.position for c in own), default=0) + 1
    session.add(
        AssessmentCriterion(
            unit_id=unit.id,
            code=data.code,
            text=data.text,
            max_score=data.max_score,
            position=position,
        )
    )
    session.flush()
    _audit(session, ctx, unit, "assessment.criterion_add", {"code": data.code})
    return config_out(session, unit=unit)


def _own_by_shown_ids(
    session: Session, unit: Unit, ids: list[int]
) -> tuple[list[AssessmentCriterion], list[AssessmentCriterion]]:
    """The unit's own rows for criteria named by the ids the page showed (own or inherited),
    in the order given, and all its own rows; an id it did not show is a missing criterion."""
    shown = {c.id: c.code for c in _shown(session, unit)}
    if any(i not in shown for i in ids):
        raise NotFound("Không tìm thấy tiêu chí")
    own = _adopt(session, unit)
    by_code = {c.code: c for c in own}
    return [by_code[shown[i]] for i in ids], own


def edit_criterion(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    unit_id: int,
    criterion_id: int,
    data: CriterionEdit,
) -> AssessmentConfigOut:
    """Change a criterion's text, maximum or whether it is still used."""
    unit = _unit(session, actor, unit_id, manage=True)
    [row], own = _own_by_shown_ids(session, unit, [criterion_id])
    changes = data.model_dump(exclude_unset=True)
    if changes.get("active") is False and not any(c.active for c in own if c is not row):
        raise Invalid("Đơn vị cần ít nhất một tiêu chí đang dùng")
    changed = [k for k, v in changes.items() if getattr(row, k) != v]
    for k in changed:
        setattr(row, k, changes[k])
    session.flush()
    if changed:
        _audit(
            session,
            ctx,
            unit,
            "assessment.criterion_edit",
            {"code": row.code, "fields": changed},
        )
    return config_out(session, unit=unit)


def reorder_criteria(
    session: Session, ctx: AuditContext, *, actor: Actor, unit_id: int, data: CriteriaOrder
) -> AssessmentConfigOut:
    """Put the unit's criteria in the order given (every criterion shown, once)."""
    unit = _unit(session, actor, unit_id, manage=True)
    shown = _shown(session, unit)
    if set(data.ids) - {c.id for c in shown}:
        raise NotFound("Không tìm thấy tiêu chí")
    if len(data.ids) != len(shown):
        raise Invalid("Cần nêu đủ các tiêu chí, mỗi tiêu chí một lần")
    rows, _own_rows = _own_by_shown_ids(session, unit, data.ids)
    for pos, row in enumerate(rows, start=1):
        row.position = pos
    session.flush()
    _audit(session, ctx, unit, "assessment.criteria_order", {"codes": [r.code for r in rows]})
    return config_out(session, unit=unit)


def set_bands(
    session: Session, ctx: AuditContext, *, actor: Actor, unit_id: int, data: BandsIn
) -> AssessmentConfigOut:
    """Replace the unit's grade scale with the one given."""
    unit = _unit(session, actor, unit_id, manage=True)
    session.execute(delete(AssessmentBand).where(AssessmentBand.unit_id == unit.id))
    session.flush()
    session.add_all(
        AssessmentBand(unit_id=unit.id, grade=b.grade, label=b.label, min_percent=b.min_percent)
        for b in data.bands
    )
    session.flush()
    _audit(
        session,
        ctx,
        unit,
        "assessment.bands",
        {"bands": {b.grade: b.min_percent for b in data.bands}},
    )
    return config_out(session, unit=unit)
