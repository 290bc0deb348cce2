"""The permission model, defined in one place, and the one helper that scopes every query.

A role granted on a unit covers that unit's whole subtree. `unit_scope(actor, perm)` answers
"in which units may this actor do `perm`" as a SQL condition on `Unit.path`; every query that
touches unit-owned data goes through it (or through `accessible_unit_ids`, built on it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import Session

from app.accounts.models import Role, RoleGrant
from app.units.models import Unit


class Perm(enum.StrEnum):
    unit_view = "unit.view"
    unit_manage = "unit.manage"
    member_list = "member.list"
    member_view = "member.view"
    member_view_sensitive = "member.view_sensitive"
    member_edit = "member.edit"
    member_import = "member.import"
    correction_decide = "correction.decide"
    transfer_manage = "transfer.manage"
    account_manage = "account.manage"
    audit_view = "audit.view"
    job_run = "job.run"
    proxy_act = "proxy.act"


_CELL_OFFICER = {
    Perm.unit_view,
    Perm.member_list,
    Perm.member_view,
    Perm.member_edit,
    Perm.correction_decide,
    Perm.proxy_act,
    Perm.job_run,
}
_STAFF = {
    Perm.unit_view,
    Perm.member_list,
    Perm.member_view,
    Perm.member_edit,
    Perm.member_import,
    Perm.transfer_manage,
    Perm.job_run,
}

ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    Role.member: frozenset({Perm.unit_view}),
    Role.cell_deputy: frozenset(_CELL_OFFICER),
    # The secretary keeps the cell's records, so sees CCCD and discipline and sends transfers.
    Role.cell_secretary: frozenset(
        _CELL_OFFICER | {Perm.member_view_sensitive, Perm.transfer_manage}
    ),
    Role.committee_staff: frozenset(_STAFF),
    Role.committee_admin: frozenset(
        _STAFF
        | {
            Perm.unit_manage,
            Perm.account_manage,
            Perm.member_view_sensitive,
            Perm.correction_decide,
            Perm.audit_view,
            Perm.proxy_act,
        }
    ),
    # Read-only oversight: sees records and the audit log, changes nothing, no sensitive fields.
    Role.auditor: frozenset({Perm.unit_view, Perm.member_list, Perm.member_view, Perm.audit_view}),
    Role.city_admin: frozenset(Perm),
}

ROLE_LABELS_VI: dict[Role, str] = {
    Role.member: "Đảng viên",
    Role.cell_secretary: "Bí thư chi bộ",
    Role.cell_deputy: "Phó bí thư chi bộ",
    Role.committee_staff: "Cán bộ đảng ủy",
    Role.committee_admin: "Quản trị đảng ủy",
    Role.auditor: "Kiểm tra (chỉ xem)",
    Role.city_admin: "Quản trị thành ủy",
}


@dataclass(frozen=True)
class Grant:
    unit_id: int
    unit_path: str
    role: Role


@dataclass(frozen=True)
class Actor:
    """The caller: an account, the member it is linked to, and its grants."""

    account_id: int
    username: str
    member_id: int | None = None
    member_unit_id: int | None = None
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    # Set when a cell officer records something for a member (proxy); always audited.
    on_behalf_of_member_id: int | None = None

    def roles(self) -> set[Role]:
        return {g.role for g in self.grants}

    def paths_for(self, perm: Perm) -> list[str]:
        paths = sorted({g.unit_path for g in self.grants if perm in ROLE_PERMS[g.role]})
        # Drop paths already covered by an ancestor path, so the SQL stays short.
        kept: list[str] = []
        for p in paths:
            if not any(p.startswith(k) for k in kept):
                kept.append(p)
        return kept

    def has_any(self, perm: Perm) -> bool:
        return any(perm in ROLE_PERMS[g.role] for g in self.grants)


def unit_scope(actor: Actor | None, perm: Perm) -> ColumnElement[bool]:
    """SQL condition on `Unit.path`: the units in which `actor` may do `perm`."""
    if actor is None:
        return false()
    paths = actor.paths_for(perm)
    if not paths:
        return false()
    return or_(*[Unit.path.startswith(p, autoescape=True) for p in paths])


def accessible_unit_ids(actor: Actor | None, perm: Perm) -> Select[Any]:
    """A subquery of unit ids for `perm`; join or `IN` it into domain queries."""
    return select(Unit.id).where(unit_scope(actor, perm))


def can_in_unit(session: Session, actor: Actor | None, perm: Perm, unit_id: int) -> bool:
    """Whether `actor` may do `perm` in the given unit."""
    if actor is None:
        return False
    path = session.scalar(select(Unit.path).where(Unit.id == unit_id))
    if path is None:
        return False
    return any(path.startswith(p) for p in actor.paths_for(perm))


def load_actor(session: Session, account_id: int) -> Actor | None:
    """Build the actor for an account, with its grants and linked member, in two queries."""
    from app.accounts.models import Account
    from app.members.models import Member

    row = session.execute(
        select(
            Account.id,
            Account.username,
            Account.member_id,
            Account.is_active,
            Member.unit_id,
            Member.status,
            Unit.path,
        )
        .outerjoin(Member, Member.id == Account.member_id)
        .outerjoin(Unit, Unit.id == Member.unit_id)
        .where(Account.id == account_id)
    ).first()
    if row is None or not row.is_active:
        return None
    grants = session.execute(
        select(RoleGrant.unit_id, Unit.path, RoleGrant.role)
        .join(Unit, Unit.id == RoleGrant.unit_id)
        .where(RoleGrant.account_id == account_id, Unit.dissolved_at.is_(None))
    ).all()
    granted = [Grant(g.unit_id, g.path, Role(g.role)) for g in grants]
    # Membership is not a grant row: it follows the member's current unit, so a transfer
    # moves it without anyone having to remember to.
    if row.unit_id is not None and row.status in ("active", "exempted"):
        granted.append(Grant(row.unit_id, row.path, Role.member))
    return Actor(
        account_id=row.id,
        username=row.username,
        member_id=row.member_id,
        member_unit_id=row.unit_id,
        grants=tuple(granted),
    )
