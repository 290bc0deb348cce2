"""Huy hiệu Đảng: which members are due a party badge in a year, and recording the award."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.badges.schemas import BADGE_YEARS, AwardOut, BadgeAwardIn, BadgeDue
from app.core import audit
from app.core.audit import AuditContext
from app.core.errors import Conflict, Invalid, NotFound
from app.core.i18n import N_
from app.core.localtime import local_today
from app.core.permissions import Actor, Perm, require_in_unit
from app.core.tree import IN_TREE
from app.members.models import Award, Member
from app.units.models import Unit

BADGE_TITLE = "Huy hiệu {years} năm tuổi Đảng"


def anniversary(start: date, years: int) -> date:
    """`start` plus whole years; 29 February falls on 28 February in common years."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def milestone(admission: date, year: int, awarded_top: int | None) -> tuple[int, date] | None:
    """The badge a member should receive by the end of `year`, or None.

    That is the highest milestone reached by then; one already awarded at or above it means
    nothing is due (a member missed at 30 years gets the 40-year badge, not both).
    """
    for years in reversed(BADGE_YEARS):
        due = anniversary(admission, years)
        if due.year <= year:
            if awarded_top is not None and awarded_top >= years:
                return None
            return years, due
    return None


def unit_for_list(session: Session, actor: Actor, unit_id: int) -> Unit:
    """The unit, if the actor may list its members; 403 when only visible, 404 otherwise."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị")
    require_in_unit(
        session,
        actor,
        Perm.member_list,
        unit.id,
        see=Perm.unit_view,
        missing=N_("Không tìm thấy đơn vị"),
        denied=N_("Bạn không có quyền xem danh sách đảng viên của đơn vị này"),
    )
    return unit


def badges_due(session: Session, *, actor: Actor, unit_id: int, year: int) -> list[BadgeDue]:
    """Members of the unit's subtree due (or overdue) a party badge in `year`."""
    unit = unit_for_list(session, actor, unit_id)
    top_award = (
        select(func.max(Award.badge_years))
        .where(Award.member_id == Member.id, Award.badge_years.is_not(None))
        .scalar_subquery()
    )
    rows = session.execute(
        select(Member.id, Member.full_name, Member.admission_date, Unit.id, Unit.name, top_award)
        .join(Unit, Unit.id == Member.unit_id)
        .where(
            Unit.path.startswith(unit.path, autoescape=True),
            Member.status.in_(IN_TREE),
            Member.admission_date.is_not(None),
            # Nobody admitted later than this can have reached the first milestone.
            Member.admission_date <= date(year - BADGE_YEARS[0], 12, 31),
        )
    ).all()
    out: list[BadgeDue] = []
    for member_id, name, admission, u_id, u_name, top in rows:
        due = milestone(admission, year, top)
        if due is None:
            continue
        years, due_date = due
        out.append(
            BadgeDue(
                member_id=member_id,
                full_name=name,
                unit_id=u_id,
                unit_name=u_name,
                admission_date=admission,
                badge_years=years,
                due_date=due_date,
                overdue=due_date.year < year,
            )
        )
    out.sort(key=lambda b: (b.due_date, b.full_name, b.member_id))
    return out


def record_badge(
    session: Session, ctx: AuditContext, *, actor: Actor, member_id: int, data: BadgeAwardIn
) -> Award:
    """Record that a member received the party badge for `badge_years` of membership."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("Không tìm thấy đảng viên")
    require_in_unit(
        session,
        actor,
        Perm.member_edit,
        member.unit_id,
        see=Perm.member_view,
        missing=N_("Không tìm thấy đảng viên"),
        denied=N_("Bạn không có quyền sửa hồ sơ đảng viên này"),
    )
    if member.admission_date is None:
        raise Invalid("Hồ sơ chưa có ngày vào Đảng")
    years = data.badge_years
    if data.awarded_on > local_today():
        raise Invalid("Ngày trao không được sau hôm nay")
    # Badges are presented on occasions through the year they fall due, so the year is what counts.
    if data.awarded_on.year < anniversary(member.admission_date, years).year:
        raise Invalid("Đảng viên chưa đủ {years} năm tuổi Đảng vào năm trao", years=years)
    exists = session.scalar(
        select(Award.id).where(Award.member_id == member.id, Award.badge_years == years)
    )
    if exists is not None:
        raise Conflict("Đảng viên đã được ghi nhận huy hiệu này")
    award = Award(
        member_id=member.id,
        awarded_on=data.awarded_on,
        title=BADGE_TITLE.format(years=years),
        issued_by=data.issued_by or None,
        decision_number=data.decision_number or None,
        badge_years=years,
    )
    session.add(award)
    session.flush()
    audit.record(
        session,
        ctx,
        "member.badge_award",
        object_type="award",
        object_id=award.id,
        unit_id=member.unit_id,
        detail={"member_id": member.id, "badge_years": years},
    )
    return award


def award_out(award: Award) -> AwardOut:
    return AwardOut(
        id=award.id,
        member_id=award.member_id,
        title=award.title,
        badge_years=award.badge_years,
        awarded_on=award.awarded_on,
        decision_number=award.decision_number,
        issued_by=award.issued_by,
    )
