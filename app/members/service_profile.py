"""The member profile: every non-sensitive field and history, read in a handful of queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BindParameter, bindparam, exists, select
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.i18n import gettext
from app.core.permissions import Actor, Perm
from app.members.models import (
    Award,
    Discipline,
    Member,
    Rating,
    Training,
    UnitMembership,
    WorkHistory,
)
from app.members.schemas import (
    AwardOut,
    MemberProfile,
    MembershipOut,
    RatingOut,
    TrainingOut,
    WorkHistoryOut,
)
from app.members.service import load_member, mask_cccd
from app.members.service_labels import STATUS_LABELS
from app.members.service_ratings import rating_rows
from app.units import service as units_service
from app.units.models import Unit

_PLAIN_FIELDS = (
    "id",
    "unit_id",
    "full_name",
    "birth_date",
    "gender",
    "hometown",
    "ethnicity",
    "religion",
    "phone",
    "address",
    "education_level",
    "political_theory",
    "professional_qualification",
    "admission_date",
    "official_date",
    "card_number",
    "dossier_number",
    "status",
    "updated_at",
)


# The profile's statements are built once: a reused statement object keeps its memoised cache
# key, which saves most of the ORM's per-query CPU on this hot read.
_MID: BindParameter[int] = bindparam("mid")
_MEMBERSHIPS = (
    select(UnitMembership, Unit.name)
    .join(Unit, Unit.id == UnitMembership.unit_id)
    .where(UnitMembership.member_id == _MID)
    .order_by(UnitMembership.start_date, UnitMembership.id)
)
_WORK = (
    select(WorkHistory)
    .where(WorkHistory.member_id == _MID)
    .order_by(WorkHistory.start_date, WorkHistory.id)
)
_AWARDS = select(Award).where(Award.member_id == _MID).order_by(Award.awarded_on, Award.id)
_TRAININGS = (
    select(Training).where(Training.member_id == _MID).order_by(Training.start_date, Training.id)
)
_RATINGS = select(Rating).where(Rating.member_id == _MID).order_by(Rating.year)
_HAS_DISCIPLINE = select(exists().where(Discipline.member_id == _MID))


def build_profile(
    session: Session, *, actor: Actor, member: Member, unit: Unit, today: date | None = None
) -> MemberProfile:
    """Assemble the profile of a member the caller has already been allowed to see."""
    today = today or date.today()
    mid = member.id
    params = {"mid": mid}
    memberships = [
        MembershipOut(
            unit_id=m.unit_id,
            unit_name=name,
            start_date=m.start_date,
            end_date=m.end_date,
            note=m.note,
        )
        for m, name in session.execute(_MEMBERSHIPS, params)
    ]
    work = session.scalars(_WORK, params)
    awards = session.scalars(_AWARDS, params)
    trainings = session.scalars(_TRAININGS, params)
    ratings = session.scalars(_RATINGS, params)
    has_discipline = bool(session.scalar(_HAS_DISCIPLINE, params))
    rows = rating_rows(
        ratings, admission_date=member.admission_date, status=member.status, today=today
    )
    own = actor.member_id == mid
    return MemberProfile(
        **{f: getattr(member, f) for f in _PLAIN_FIELDS},
        unit_name=unit.name,
        cccd_masked=mask_cccd(member.cccd),
        status_label=gettext(STATUS_LABELS.get(member.status, member.status)),
        memberships=memberships,
        work_history=[WorkHistoryOut.model_validate(w) for w in work],
        awards=[AwardOut.model_validate(a) for a in awards],
        trainings=[TrainingOut.model_validate(t) for t in trainings],
        ratings=[RatingOut(**{**r, "label": gettext(str(r["label"]))}) for r in rows],  # type: ignore[arg-type]
        has_discipline=has_discipline,
        can_edit=units_service.allowed_in(actor, Perm.member_edit, unit),
        can_view_sensitive=own or units_service.allowed_in(actor, Perm.member_view_sensitive, unit),
    )


def get_profile(session: Session, *, actor: Actor, member_id: int) -> MemberProfile:
    """The profile of a member in the actor's scope, or the actor's own."""
    member, unit = load_member(session, actor=actor, member_id=member_id)
    return build_profile(session, actor=actor, member=member, unit=unit)


def get_my_profile(session: Session, *, actor: Actor) -> MemberProfile:
    """The caller's own profile; 404 for a staff-only account."""
    if actor.member_id is None:
        raise NotFound("Tài khoản này không gắn với hồ sơ đảng viên")
    return get_profile(session, actor=actor, member_id=actor.member_id)
