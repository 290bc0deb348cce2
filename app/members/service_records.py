"""Sub-records of a profile (work history, awards, training, ratings, discipline): add and remove."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.permissions import Actor, Perm
from app.members.models import Award, Discipline, Member, Rating, Training, WorkHistory
from app.members.schemas import (
    AwardIn,
    DisciplineIn,
    RatingIn,
    TrainingIn,
    WorkHistoryIn,
)
from app.members.service import load_member
from app.members.service_ratings import check_grade
from app.units import service as units_service
from app.units.models import Unit


class RecordKind(enum.StrEnum):
    """The URL segment of each sub-record kind."""

    work_history = "work-history"
    awards = "awards"
    trainings = "trainings"
    ratings = "ratings"
    disciplines = "disciplines"


@dataclass(frozen=True)
class RecordSpec:
    model: type[Any]
    schema: type[BaseModel]
    name: str  # object type in the audit log
    sensitive: bool = False


SPECS: dict[RecordKind, RecordSpec] = {
    RecordKind.work_history: RecordSpec(WorkHistory, WorkHistoryIn, "work_history"),
    RecordKind.awards: RecordSpec(Award, AwardIn, "award"),
    RecordKind.trainings: RecordSpec(Training, TrainingIn, "training"),
    RecordKind.ratings: RecordSpec(Rating, RatingIn, "rating"),
    # Discipline is sensitive: editing it also needs the right to read it.
    RecordKind.disciplines: RecordSpec(Discipline, DisciplineIn, "discipline", sensitive=True),
}


def _load_for_edit(
    session: Session, actor: Actor, member_id: int, spec: RecordSpec
) -> tuple[Member, Unit]:
    member, unit = load_member(session, actor=actor, member_id=member_id, perm=Perm.member_edit)
    if spec.sensitive and not units_service.allowed_in(actor, Perm.member_view_sensitive, unit):
        raise Forbidden("Bạn không có quyền xem hoặc sửa thông tin kỷ luật")
    return member, unit


def check_may_edit(session: Session, *, actor: Actor, member_id: int, kind: RecordKind) -> None:
    """Refuse (404 hidden, 403 not allowed) an actor who may not change this kind of record."""
    _load_for_edit(session, actor, member_id, SPECS[kind])


def _check_rating(session: Session, member: Member, data: RatingIn, today: date) -> None:
    check_grade(
        admission_date=member.admission_date,
        status=member.status,
        year=data.year,
        grade=data.grade,
        today=today,
    )
    taken = session.scalar(
        select(Rating.id).where(Rating.member_id == member.id, Rating.year == data.year)
    )
    if taken is not None:
        raise Conflict(
            "Năm {year} đã có xếp loại; hãy xóa bản cũ trước khi ghi lại",
            details=[{"field": "year", "message": "duplicate"}],
            year=data.year,
        )


def add_record(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    member_id: int,
    kind: RecordKind,
    data: BaseModel,
    today: date | None = None,
) -> int:
    """Add one sub-record to a member the actor edits; returns its id."""
    spec = SPECS[kind]
    if not isinstance(data, spec.schema):
        raise TypeError(f"{kind} expects {spec.schema.__name__}")
    member, unit = _load_for_edit(session, actor, member_id, spec)
    if isinstance(data, RatingIn):
        _check_rating(session, member, data, today or date.today())
    values = {k: (v.value if isinstance(v, enum.Enum) else v) for k, v in data.model_dump().items()}
    row = spec.model(member_id=member.id, **values)
    session.add(row)
    session.flush()
    audit.record(
        session,
        ctx,
        f"member.{spec.name}.add",
        object_type=spec.name,
        object_id=row.id,
        unit_id=unit.id,
        # Only ids: discipline reasons and other personal text stay out of the log.
        detail={"member_id": member.id},
    )
    return int(row.id)


def delete_record(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    member_id: int,
    kind: RecordKind,
    record_id: int,
) -> None:
    """Remove one sub-record of a member the actor edits."""
    spec = SPECS[kind]
    member, unit = _load_for_edit(session, actor, member_id, spec)
    row = session.get(spec.model, record_id)
    if row is None or row.member_id != member.id:
        raise NotFound("Không tìm thấy bản ghi")
    session.delete(row)
    session.flush()
    audit.record(
        session,
        ctx,
        f"member.{spec.name}.delete",
        object_type=spec.name,
        object_id=record_id,
        unit_id=unit.id,
        detail={"member_id": member.id},
    )
