"""The permission model, defined in one place, and the one helper that scopes every query.

A role granted on a unit covers that unit's whole subtree. `unit_scope(actor, perm)` answers
"in which units may this actor do `perm`" as a SQL condition on `Unit.path`; every query that
touches unit-owned data goes through it (or through `accessible_unit_ids`, built on it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, false, or_, select
from sqlalchemy.orm import Session

from app.accounts.models import Account, AuthToken, Role, RoleGrant
from app.core.errors import Forbidden, NotFound
from app.core.localtime import LOCAL_TZ
from app.core.tree import IN_TREE
from app.members.models import Member
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
    meeting_manage = "meeting.manage"  # create, notice, run and close meetings; take the roll
    document_manage = "document.manage"
    document_view = "document.view"
    feedback_manage = "feedback.manage"
    task_manage = "task.manage"  # assign and grade tasks (nhiệm vụ)
    report_view = "report.view"  # unit reports and their exports
    vote_manage = "vote.manage"  # create, open and close votes (the chair)


_CELL_OFFICER = {
    Perm.unit_view,
    Perm.member_list,
    Perm.member_view,
    Perm.member_edit,
    Perm.correction_decide,
    Perm.proxy_act,
    Perm.job_run,
    Perm.task_manage,
    Perm.report_view,
    Perm.vote_manage,
}
_STAFF = {
    Perm.unit_view,
    Perm.member_list,
    Perm.member_view,
    Perm.member_edit,
    Perm.member_import,
    Perm.transfer_manage,
    Perm.job_run,
    Perm.task_manage,
    Perm.report_view,
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
    Role.auditor: frozenset(
        {Perm.unit_view, Perm.member_list, Perm.member_view, Perm.audit_view, Perm.report_view}
    ),
    Role.city_admin: frozenset(Perm),
}

# Documents and feedback (issue 3): cell officers and committee staff issue documents and answer
# feedback in their subtree; auditors read documents and their read rates but change nothing.
for _role, _extra in {
    Role.cell_deputy: {Perm.document_manage, Perm.document_view, Perm.feedback_manage},
    Role.cell_secretary: {Perm.document_manage, Perm.document_view, Perm.feedback_manage},
    Role.committee_staff: {Perm.document_manage, Perm.document_view, Perm.feedback_manage},
    Role.committee_admin: {Perm.document_manage, Perm.document_view, Perm.feedback_manage},
    Role.auditor: {Perm.document_view},
}.items():
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | _extra

# Meetings (issue 3): officers of a cell and committee staff run the meetings of their subtree.
for _role in (Role.cell_deputy, Role.cell_secretary, Role.committee_staff, Role.committee_admin):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.meeting_manage}

ROLE_LABELS_VI: dict[Role, str] = {
    Role.member: "Đảng viên",
    Role.cell_secretary: "Bí thư chi bộ",
    Role.cell_deputy: "Phó bí thư chi bộ",
    Role.committee_staff: "Cán bộ đảng ủy",
    Role.committee_admin: "Quản trị đảng ủy",
    Role.auditor: "Kiểm tra (chỉ xem)",
    Role.city_admin: "Quản trị thành ủy",
}


# Who may hand a role out (issue 17): an account manager grants, on a unit inside a grant of
# theirs that carries `account.manage`, only roles ranked at or below that grant's own role.
# The auditor stands beside committee staff: neither outranks the other.
ROLE_RANK: dict[Role, int] = {
    Role.member: 0,
    Role.cell_deputy: 1,
    Role.cell_secretary: 2,
    Role.committee_staff: 3,
    Role.auditor: 3,
    Role.committee_admin: 4,
    Role.city_admin: 5,
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

    def may_grant(self, role: Role, unit_path: str) -> bool:
        """Whether this actor may grant (or revoke) `role` on the unit at `unit_path`: one of
        its grants covers the unit, manages accounts and ranks at least as high as `role`."""
        return any(
            unit_path.startswith(g.unit_path)
            and Perm.account_manage in ROLE_PERMS[g.role]
            and ROLE_RANK[g.role] >= ROLE_RANK[role]
            for g in self.grants
        )


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


def require_in_unit(
    session: Session,
    actor: Actor | None,
    perm: Perm,
    unit_id: int,
    *,
    see: Perm,
    missing: str,
    denied: str,
) -> None:
    """`perm` in the unit, else 403 (`denied`) if the actor may `see` it, else 404 (`missing`).

    A unit, or a thing in it, that the actor cannot see answers as if it did not exist. The
    messages are msgids: mark them with `N_` at the call site.
    """
    if can_in_unit(session, actor, perm, unit_id):
        return
    if can_in_unit(session, actor, see, unit_id):
        raise Forbidden(denied)
    raise NotFound(missing)


def grant_in_force(today: Any) -> ColumnElement[bool]:
    """SQL condition: the role grant works on `today` (a date or a bound parameter); both of
    its dates are inclusive and a null one is open. Every query that reads grants uses it."""
    return and_(
        or_(RoleGrant.starts_on.is_(None), RoleGrant.starts_on <= today),
        or_(RoleGrant.ends_on.is_(None), RoleGrant.ends_on >= today),
    )


# A grant works from its first day to its last, both inclusive, in Vietnam's calendar; null
# dates are open. The statements of the per-request path are built once: SQLAlchemy memoises a statement's
# cache key on the statement object, so reusing one skips both building the expression and
# hashing it, which was most of the auth step's CPU (bound values travel as parameters).
_GRANTS = (
    select(RoleGrant.unit_id, Unit.path, RoleGrant.role)
    .join(Unit, Unit.id == RoleGrant.unit_id)
    .where(
        RoleGrant.account_id == bindparam("account_id"),
        Unit.dissolved_at.is_(None),
        grant_in_force(bindparam("today")),
    )
)


def _grants(session: Session, account_id: int, now: datetime | None = None) -> list[Grant]:
    today = (now or datetime.now(LOCAL_TZ)).astimezone(LOCAL_TZ).date()
    rows = session.execute(_GRANTS, {"account_id": account_id, "today": today}).all()
    return [Grant(g.unit_id, g.path, Role(g.role)) for g in rows]


def _actor(row: Any, grants: list[Grant]) -> Actor:
    # Membership is not a grant row: it follows the member's current unit, so a transfer
    # moves it without anyone having to remember to.
    if row.member_unit_id is not None and row.member_status in IN_TREE:
        grants = [*grants, Grant(row.member_unit_id, row.member_unit_path, Role.member)]
    return Actor(
        account_id=row.account_id,
        username=row.username,
        member_id=row.member_id,
        member_unit_id=row.member_unit_id,
        grants=tuple(grants),
    )


def _account_query() -> Any:
    return (
        select(
            Account.id.label("account_id"),
            Account.username,
            Account.member_id,
            Member.unit_id.label("member_unit_id"),
            Member.status.label("member_status"),
            Unit.path.label("member_unit_path"),
        )
        .outerjoin(Member, Member.id == Account.member_id)
        .outerjoin(Unit, Unit.id == Member.unit_id)
        .where(Account.is_active.is_(True))
    )


_BY_TOKEN = (
    _account_query()
    .add_columns(AuthToken.id.label("token_id"), AuthToken.csrf_token)
    .join(AuthToken, AuthToken.account_id == Account.id)
    .where(
        AuthToken.token_hash == bindparam("token_hash"),
        AuthToken.kind == bindparam("kind"),
        AuthToken.revoked_at.is_(None),
        AuthToken.expires_at > bindparam("now"),
    )
)


def load_actor(session: Session, account_id: int) -> Actor | None:
    """Build the actor for an active account, with its grants and linked member."""
    row = session.execute(_account_query().where(Account.id == account_id)).first()
    return None if row is None else _actor(row, _grants(session, account_id))


@dataclass(frozen=True)
class TokenInfo:
    id: int
    csrf_token: str


def load_actor_by_token(
    session: Session, token_hash: str, kind: str, now: datetime
) -> tuple[TokenInfo, Actor] | None:
    """The hot path of every authenticated request: token, account and member in one query,
    grants in a second (Core selects, no ORM identity map)."""
    row = session.execute(_BY_TOKEN, {"token_hash": token_hash, "kind": kind, "now": now}).first()
    if row is None:
        return None
    grants = _grants(session, row.account_id, now)
    return TokenInfo(row.token_id, row.csrf_token), _actor(row, grants)
