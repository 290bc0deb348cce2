"""Who a reader is, in the words a document uses for whom a task falls to: the party kinds
(`pipelines.summarise.PartyKind`) that match the reader's units and roles.

A cell secretary is "bí thư chi bộ" and one of "các chi bộ"; a member of a cell is "đảng viên"
and, with the cell, one of "các chi bộ"; staff of a ward committee are "Đảng ủy phường" (and,
as a grassroots committee, "các đảng ủy cơ sở"); and whoever runs the issuing unit is the
"Đảng ủy" or "cấp ủy" the document speaks of. Auditors read only, so nothing falls to them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.core.permissions import Actor
from app.documents.models import Document
from app.units.models import Unit, UnitKind
from pipelines.summarise import PartyKind as P

# The kinds a unit answers to, by the unit's kind.
UNIT_KINDS: dict[str, frozenset[P]] = {
    UnitKind.cell.value: frozenset({P.cell}),
    UnitKind.ward_committee.value: frozenset({P.ward_committee, P.grassroots_committee}),
    UnitKind.commune_committee.value: frozenset({P.commune_committee, P.grassroots_committee}),
    UnitKind.grassroots_committee.value: frozenset({P.grassroots_committee}),
    UnitKind.intermediate_committee.value: frozenset({P.intermediate_committee}),
    UnitKind.bloc_committee.value: frozenset({P.bloc_committee}),
    UnitKind.city_committee.value: frozenset({P.city_committee}),
}
# The kinds a role answers to wherever it is held.
ROLE_KINDS: dict[Role, frozenset[P]] = {
    Role.member: frozenset({P.member}),
    Role.cell_secretary: frozenset({P.secretary, P.cell_committee, P.member}),
    Role.cell_deputy: frozenset({P.deputy_secretary, P.cell_committee, P.member}),
    Role.committee_staff: frozenset(),
    Role.committee_admin: frozenset({P.committee_member}),
    Role.city_admin: frozenset({P.committee_member}),
    Role.auditor: frozenset(),
}
# Roles that act for their unit (a member acts for their cell, not for a ward committee).
_FOR_CELL = {Role.member, Role.cell_secretary, Role.cell_deputy}
_FOR_COMMITTEE = {Role.committee_staff, Role.committee_admin, Role.city_admin}
# The issuing committee's words ("Đảng ủy", "cấp ủy", "Ban Thường vụ"): those who run the
# issuing unit.
ISSUER_KINDS = frozenset({P.committee, P.standing_committee})


def party_kinds(session: Session, actor: Actor, doc: Document) -> set[str]:
    """The `PartyKind` values of the tasks that fall to `actor` in `doc`."""
    unit_ids = {g.unit_id for g in actor.grants}
    kinds_of: dict[int, str] = {}
    if unit_ids:
        rows = session.execute(select(Unit.id, Unit.kind).where(Unit.id.in_(unit_ids)))
        kinds_of = {unit_id: kind for unit_id, kind in rows}
    out: set[P] = set()
    for grant in actor.grants:
        out |= ROLE_KINDS.get(grant.role, frozenset())
        unit_kind = kinds_of.get(grant.unit_id, "")
        if grant.role in _FOR_CELL and unit_kind == UnitKind.cell.value:
            out |= UNIT_KINDS[unit_kind]
        if grant.role in _FOR_COMMITTEE and unit_kind != UnitKind.cell.value:
            out |= UNIT_KINDS.get(unit_kind, frozenset())
        if grant.role not in (Role.member, Role.auditor) and grant.unit_id == doc.unit_id:
            out |= ISSUER_KINDS
    return {k.value for k in out}
