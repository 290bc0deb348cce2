"""Member records: scoped lookup, the list with accent-insensitive search, create and update."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from sqlalchemy import String, bindparam, func, literal, literal_column, select, table
from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.permissions import Actor, Perm, unit_scope
from app.core.text import fold
from app.members.models import Member, MemberStatus, UnitMembership
from app.members.schemas import MemberCreate, MemberListItem, MemberPage, MemberUpdate
from app.units import service as units_service
from app.units.models import Unit

# What a member may do with their own record without any grant.
SELF_PERMS = frozenset({Perm.member_view, Perm.member_view_sensitive})
UNIQUE_FIELDS = {
    "cccd": "Số CCCD đã có trong hồ sơ của đảng viên khác",
    "card_number": "Số thẻ đảng viên đã có trong hồ sơ khác",
    "dossier_number": "Số lý lịch đã có trong hồ sơ khác",
}
REQUIRED_FIELDS = frozenset({"full_name", "status"})
LIVE_STATUSES = (MemberStatus.active.value, MemberStatus.exempted.value)
MAX_PAGE_SIZE = 200


def mask_cccd(cccd: str | None) -> str | None:
    """Show only the last four digits: "********1234"."""
    if not cccd:
        return None
    return "*" * max(len(cccd) - 4, 0) + cccd[-4:]


# Built once: reusing a statement object reuses its memoised cache key (see permissions._GRANTS).
_MEMBER_WITH_UNIT = (
    select(Member, Unit)
    .join(Unit, Unit.id == Member.unit_id)
    .where(Member.id == bindparam("member_id"))
)


# Lists count matches exactly up to here; past it they say "more than COUNT_CAP".
COUNT_CAP = 1000


def load_member(
    session: Session, *, actor: Actor, member_id: int, perm: Perm = Perm.member_view
) -> tuple[Member, Unit]:
    """A member the actor may see (else 404) and may do `perm` to (else 403), with their unit."""
    row = session.execute(_MEMBER_WITH_UNIT, {"member_id": member_id}).first()
    if row is None:
        raise NotFound("Không tìm thấy đảng viên")
    member, unit = row
    own = actor.member_id == member.id
    if not own and not units_service.allowed_in(actor, Perm.member_view, unit):
        raise NotFound("Không tìm thấy đảng viên")
    if own and perm in SELF_PERMS:
        return member, unit
    if not units_service.allowed_in(actor, perm, unit):
        raise Forbidden("Bạn không có quyền thực hiện thao tác này với hồ sơ này")
    return member, unit


def _unit_ids_in_scope(session: Session, actor: Actor, unit: Unit | None) -> list[int] | None:
    """The units whose members the actor may list (within `unit`'s subtree if given).

    None means "every unit" (a city admin), so the member query needs no unit condition at all.
    Resolving ids first lets the member query use the (unit_id, name_folded) index directly,
    instead of joining every member to its unit to test the path.
    """
    scope = unit_scope(actor, Perm.member_list)
    if unit is None:
        roots = session.scalars(select(Unit.path).where(Unit.parent_id.is_(None))).all()
        prefixes = actor.paths_for(Perm.member_list)
        if roots and all(any(r.startswith(p) for p in prefixes) for r in roots):
            return None
        return list(session.scalars(select(Unit.id).where(scope)))
    return list(
        session.scalars(
            select(Unit.id).where(scope, Unit.path.startswith(unit.path, autoescape=True))
        )
    )


# FTS5's trigram tokenizer matches a quoted phrase as a substring once it is 3 characters long.
_TRIGRAM_MIN = 3
# Below this many units, scanning their members' names in the (unit_id, name_folded) index is
# cheaper than asking the trigram index (measured: ~2,000 members, 0.2 ms against 1 ms).
_SMALL_SCOPE_UNITS = 200


def name_search(session: Session, needle: str, *, use_index: bool = True) -> list[Any]:
    """Conditions for "folded name contains `needle`", optionally through the trigram index.

    The index comes from migration 0002_member_search. On PostgreSQL, pg_trgm serves the LIKE
    itself and the planner decides. On SQLite the FTS5 table narrows the candidates first; the
    LIKE stays as the exact test either way.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # The pattern goes into the SQL text (escaped by SQLAlchemy's literal rendering), not as
        # a bound value: psycopg prepares a statement after a few runs, and a prepared plan
        # cannot use the trigram index for a pattern it does not know (a 100k-row scan, 13 ms).
        escaped = needle.replace("/", "//").replace("%", "/%").replace("_", "/_")
        pattern = literal(f"%{escaped}%", String, literal_execute=True)
        return [Member.name_folded.like(pattern, escape="/")]
    conds: list[Any] = [Member.name_folded.contains(needle, autoescape=True)]
    if use_index and dialect == "sqlite" and len(needle) >= _TRIGRAM_MIN:
        phrase = '"' + needle.replace('"', '""') + '"'
        candidates: Any = (
            select(literal_column("rowid"))
            .select_from(table("member_name_search"))
            .where(literal_column("member_name_search").op("MATCH")(phrase))
        )
        conds.insert(0, Member.id.in_(candidates))
    return conds


def _list_conditions(
    session: Session,
    actor: Actor,
    unit_id: int | None,
    subtree: bool,
    q: str | None,
    status: MemberStatus | None,
) -> list[Any]:
    unit = None
    if unit_id is not None:
        unit = units_service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.member_list)
    conds: list[Any] = []
    small_scope = True
    if unit is not None and not subtree:
        conds.append(Member.unit_id == unit.id)
    elif (ids := _unit_ids_in_scope(session, actor, unit)) is not None:
        conds.append(Member.unit_id.in_(ids))
        small_scope = len(ids) <= _SMALL_SCOPE_UNITS
    else:
        small_scope = False
    if q and (needle := fold(q)):
        conds.extend(name_search(session, needle, use_index=not small_scope))
    if status is not None:
        conds.append(Member.status == status.value)
    return conds


def list_members(
    session: Session,
    *,
    actor: Actor,
    unit_id: int | None = None,
    subtree: bool = True,
    q: str | None = None,
    status: MemberStatus | None = None,
    page: int = 1,
    page_size: int = 50,
) -> MemberPage:
    """One page of the members the actor may list, ordered by name; CCCD masked."""
    if not actor.has_any(Perm.member_list):
        raise Forbidden("Bạn không có quyền xem danh sách đảng viên")
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    conds = _list_conditions(session, actor, unit_id, subtree, q, status)
    # count(*) and the page's ids stay inside the (unit_id, name_folded) index; only the
    # page's rows are then read and joined to their unit names (a "deferred join"). The count
    # stops at COUNT_CAP: a city-wide "nguyen" matches thousands, nobody pages through them,
    # and counting them all was half of the search's time.
    capped = select(Member.id).where(*conds).limit(COUNT_CAP + 1).subquery()
    total = session.scalar(select(func.count()).select_from(capped)) or 0
    trigram = len(fold(q or "")) >= _TRIGRAM_MIN
    page_ids = list(session.scalars(_page_ids(session, conds, trigram, page, page_size)))
    stmt = (
        select(
            Member.id,
            Member.full_name,
            Member.unit_id,
            Unit.name.label("unit_name"),
            Member.birth_date,
            Member.status,
            Member.admission_date,
            Member.cccd,
        )
        .join(Unit, Unit.id == Member.unit_id)
        .where(Member.id.in_(page_ids))
        .order_by(Member.name_folded, Member.id)
    )
    items = [
        MemberListItem(
            id=r.id,
            full_name=r.full_name,
            unit_id=r.unit_id,
            unit_name=r.unit_name,
            birth_year=r.birth_date.year if r.birth_date else None,
            status=r.status,
            admission_date=r.admission_date,
            cccd_masked=mask_cccd(r.cccd),
        )
        for r in session.execute(stmt)
    ]
    return MemberPage(
        items=items,
        total=min(total, COUNT_CAP),
        total_exact=total <= COUNT_CAP,
        page=page,
        page_size=page_size,
    )


def _page_ids(session: Session, conds: list[Any], trigram: bool, page: int, size: int) -> Any:
    """The page's member ids in name order."""
    if trigram and session.get_bind().dialect.name == "postgresql":
        # Matches first (trigram index), then sort them. Left to itself PostgreSQL walks the name
        # index in order and filters: cheap on paper, but matches for a surname cluster where
        # the surname sorts, so "nguyen" read 62k rows to find 50 (33 ms; 7 ms this way). A
        # pattern too short for trigrams takes the index-only walk below instead.
        found = select(Member.id, Member.name_folded).where(*conds).cte("found")
        found = found.prefix_with("MATERIALIZED")
        return (
            select(found.c.id)
            .order_by(found.c.name_folded, found.c.id)
            .limit(size)
            .offset((page - 1) * size)
        )
    return (
        select(Member.id)
        .where(*conds)
        .order_by(Member.name_folded, Member.id)
        .limit(size)
        .offset((page - 1) * size)
    )


def count_live_by_unit(
    session: Session, *, actor: Actor, unit_ids: list[int] | None = None
) -> dict[int, int]:
    """Active and exempted members per unit, for the units the actor can see (or some of them)."""
    stmt = (
        select(Member.unit_id, func.count(Member.id))
        .join(Unit, Unit.id == Member.unit_id)
        .where(unit_scope(actor, Perm.unit_view), Member.status.in_(LIVE_STATUSES))
        .group_by(Member.unit_id)
    )
    if unit_ids is not None:
        stmt = stmt.where(Member.unit_id.in_(unit_ids))
    return {unit_id: n for unit_id, n in session.execute(stmt)}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, details=[{"field": field, "message": message}])


def _check_dates(birth: date | None, admission: date | None, official: date | None) -> None:
    if admission is not None and official is not None and official < admission:
        raise _invalid("official_date", "Ngày chính thức không được trước ngày vào Đảng")
    if birth is not None and admission is not None and admission <= birth:
        raise _invalid("admission_date", "Ngày vào Đảng phải sau ngày sinh")


def _check_unique(session: Session, member_id: int | None, values: dict[str, Any]) -> None:
    for name, message in UNIQUE_FIELDS.items():
        value = values.get(name)
        if value is None:
            continue
        stmt = select(Member.id).where(getattr(Member, name) == value)
        if member_id is not None:
            stmt = stmt.where(Member.id != member_id)
        clash = session.scalar(stmt.limit(1))
        if clash is not None:
            raise Conflict(message, details=[{"field": name, "message": "duplicate"}])


def create_member(
    session: Session, ctx: AuditContext, *, actor: Actor, data: MemberCreate
) -> Member:
    """Add a member to a unit the actor edits, with the first unit-membership row."""
    unit = units_service.get_unit(session, actor=actor, unit_id=data.unit_id, perm=Perm.member_edit)
    if unit.dissolved_at is not None:
        raise Conflict("Đơn vị {name} đã giải thể", name=unit.name)
    values = {k: _plain(v) for k, v in data.model_dump(exclude={"unit_id"}).items()}
    _check_dates(values["birth_date"], values["admission_date"], values["official_date"])
    _check_unique(session, None, values)
    member = Member(unit_id=unit.id, name_folded=fold(values["full_name"]), **values)
    session.add(member)
    session.flush()
    session.add(
        UnitMembership(
            member_id=member.id,
            unit_id=unit.id,
            start_date=values["admission_date"] or date.today(),
        )
    )
    audit.record(
        session,
        ctx,
        "member.create",
        object_type="member",
        object_id=member.id,
        unit_id=unit.id,
        detail={"fields": sorted(k for k, v in values.items() if v is not None)},
    )
    return member


def apply_changes(
    session: Session,
    ctx: AuditContext,
    *,
    member: Member,
    changes: dict[str, Any],
    action: str = "member.update",
) -> list[str]:
    """Validate and write profile changes (no permission check: callers do it); audit field names.

    Also the path for approved self-service corrections, so the same rules hold everywhere.
    """
    changes = {k: _plain(v) for k, v in changes.items()}
    for name in REQUIRED_FIELDS & changes.keys():
        if changes[name] is None:
            raise _invalid(name, "Trường này không được để trống")
    changed = sorted(k for k, v in changes.items() if getattr(member, k) != v)
    if not changed:
        return []
    merged = {k: changes.get(k, getattr(member, k)) for k in ("birth_date", "admission_date")}
    _check_dates(
        merged["birth_date"],
        merged["admission_date"],
        changes.get("official_date", member.official_date),
    )
    _check_unique(session, member.id, {k: changes[k] for k in changed})
    for name in changed:
        setattr(member, name, changes[name])
    if "full_name" in changed:
        member.name_folded = fold(member.full_name)
    session.flush()
    audit.record(
        session,
        ctx,
        action,
        object_type="member",
        object_id=member.id,
        unit_id=member.unit_id,
        # Names only: values of personal fields stay out of the log, sensitive or not.
        detail={"fields": changed},
    )
    return changed


def update_member(
    session: Session, ctx: AuditContext, *, actor: Actor, member_id: int, data: MemberUpdate
) -> Member:
    """Change the fields sent in a partial update of a member the actor edits."""
    member, _unit = load_member(session, actor=actor, member_id=member_id, perm=Perm.member_edit)
    apply_changes(
        session, ctx, member=member, changes=data.model_dump(include=data.model_fields_set)
    )
    return member
