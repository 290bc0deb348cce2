"""Sub-records of a profile (work history, awards, training, ratings, discipline): add, edit, end, remove."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.permissions import Actor, Perm
from app.members.models import Award, Discipline, Member, Rating, Training, WorkHistory
from app.members.schemas import (
    AwardIn,
    AwardPatch,
    DisciplineIn,
    DisciplinePatch,
    RatingIn,
    RatingPatch,
    TrainingIn,
    TrainingPatch,
    WorkHistoryIn,
    WorkHistoryPatch,
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
    schema: type[BaseModel]  # adding, and the whole record after an edit
    patch: type[BaseModel]  # an edit: only the fields sent
    name: str  # object type in the audit log
    # Fields whose old and new values an edit's audit row may hold: dates, years, grades. Free
    # text (names of employers, notes) stays out of the log, as on adding.
    plain: frozenset[str] = frozenset()
    sensitive: bool = False


_SPAN = frozenset({"start_date", "end_date"})
SPECS: dict[RecordKind, RecordSpec] = {
    RecordKind.work_history: RecordSpec(
        WorkHistory, WorkHistoryIn, WorkHistoryPatch, "work_history", _SPAN
    ),
    RecordKind.awards: RecordSpec(
        Award, AwardIn, AwardPatch, "award", frozenset({"awarded_on", "badge_years"})
    ),
    RecordKind.trainings: RecordSpec(Training, TrainingIn, TrainingPatch, "training", _SPAN),
    RecordKind.ratings: RecordSpec(
        Rating, RatingIn, RatingPatch, "rating", frozenset({"year", "grade"})
    ),
    # Discipline is sensitive: editing it also needs the right to read it, and its audit rows
    # name fields, never values.
    RecordKind.disciplines: RecordSpec(
        Discipline, DisciplineIn, DisciplinePatch, "discipline", sensitive=True
    ),
}
# The kinds with a period that can be closed ("Kết thúc"): discipline has no end in the model.
ENDABLE = frozenset({RecordKind.work_history, RecordKind.trainings})


class RecordInvalid(Invalid):
    """An edit that would leave a record its add form would refuse; `errors` for a form's fields."""

    def __init__(self, exc: ValidationError) -> None:
        self.errors: list[ErrorDetails] = exc.errors()
        # The API's own 422 shape (app.main's validation handler): field and pydantic's text.
        details = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in self.errors
        ]
        super().__init__("Dữ liệu gửi lên không hợp lệ", details=details)


def _load_for_edit(
    session: Session, actor: Actor, member_id: int, spec: RecordSpec
) -> tuple[Member, Unit]:
    member, unit = load_member(session, actor=actor, member_id=member_id, perm=Perm.member_edit)
    if spec.sensitive and not units_service.allowed_in(actor, Perm.member_view_sensitive, unit):
        raise Forbidden("Bạn không có quyền xem hoặc sửa thông tin kỷ luật")
    return member, unit


def check_may_edit(
    session: Session,
    *,
    actor: Actor,
    member_id: int,
    kind: RecordKind,
    record_id: int | None = None,
) -> None:
    """Refuse (404 hidden or not theirs, 403 not allowed) one who may not change this record."""
    spec = SPECS[kind]
    member, _unit = _load_for_edit(session, actor, member_id, spec)
    if record_id is not None:
        _own_row(session, spec, member, record_id)


def _check_rating(
    session: Session, member: Member, data: RatingIn, today: date, *, own_id: int | None = None
) -> None:
    check_grade(
        admission_date=member.admission_date,
        status=member.status,
        year=data.year,
        grade=data.grade,
        today=today,
    )
    taken = session.scalar(
        select(Rating.id).where(
            Rating.member_id == member.id, Rating.year == data.year, Rating.id != (own_id or 0)
        )
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


def _own_row(session: Session, spec: RecordSpec, member: Member, record_id: int) -> Any:
    # Another member's record answers exactly as a missing one: ids reveal nothing.
    row = session.get(spec.model, record_id)
    if row is None or row.member_id != member.id:
        raise NotFound("Không tìm thấy bản ghi")
    return row


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _logged(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def get_record(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    member_id: int,
    kind: RecordKind,
    record_id: int,
) -> dict[str, Any]:
    """One sub-record's fields, for its edit form; opening a discipline record is an audited read."""
    spec = SPECS[kind]
    member, unit = _load_for_edit(session, actor, member_id, spec)
    row = _own_row(session, spec, member, record_id)
    if spec.sensitive:
        audit.record(
            session,
            ctx,
            "member.sensitive_read",
            object_type="member",
            object_id=member.id,
            unit_id=unit.id,
            detail={"fields": ["disciplines"], "record_id": row.id},
        )
    return {name: _plain(getattr(row, name)) for name in spec.schema.model_fields}


def _write(
    session: Session,
    ctx: AuditContext,
    *,
    spec: RecordSpec,
    member: Member,
    unit: Unit,
    row: Any,
    changes: dict[str, Any],
    action: str,
    today: date,
) -> list[str]:
    """Check the record as it would be after `changes` with its add schema, then write and audit."""
    before = {name: _plain(getattr(row, name)) for name in spec.schema.model_fields}
    merged = {**before, **changes}
    for name, info in spec.schema.model_fields.items():
        # A required field cleared reads "missing", as on the add form, not "wrong type".
        if info.is_required() and merged.get(name) is None:
            merged.pop(name, None)
    try:
        checked = spec.schema.model_validate(merged)
    except ValidationError as exc:
        raise RecordInvalid(exc) from None
    after = {k: _plain(v) for k, v in checked.model_dump().items()}
    changed = sorted(k for k in after if after[k] != before[k])
    if not changed:
        return []
    if isinstance(checked, RatingIn) and {"year", "grade"} & set(changed):
        # Only what changes is judged: a note added to an old rating stays possible after the
        # member's status or admission date has moved on.
        _check_rating(session, member, checked, today, own_id=row.id)
    for name in changed:
        setattr(row, name, after[name])
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # Another request took the same rating year between the check and the write.
        raise Conflict(
            "Năm {year} đã có xếp loại; hãy xóa bản cũ trước khi ghi lại",
            details=[{"field": "year", "message": "duplicate"}],
            year=after.get("year"),
        ) from None
    detail: dict[str, Any] = {"member_id": member.id, "fields": changed}
    shown = [k for k in changed if k in spec.plain and not spec.sensitive]
    if shown:
        detail["before"] = {k: _logged(before[k]) for k in shown}
        detail["after"] = {k: _logged(after[k]) for k in shown}
    audit.record(
        session,
        ctx,
        f"member.{spec.name}.{action}",
        object_type=spec.name,
        object_id=row.id,
        unit_id=unit.id,
        detail=detail,
    )
    return changed


def update_record(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    member_id: int,
    kind: RecordKind,
    record_id: int,
    data: BaseModel,
    today: date | None = None,
) -> list[str]:
    """Change the fields sent of one sub-record, under its add rules; returns the fields changed."""
    spec = SPECS[kind]
    if not isinstance(data, spec.patch):
        raise TypeError(f"{kind} expects {spec.patch.__name__}")
    member, unit = _load_for_edit(session, actor, member_id, spec)
    row = _own_row(session, spec, member, record_id)
    changes = {k: _plain(v) for k, v in data.model_dump(include=data.model_fields_set).items()}
    return _write(
        session, ctx, spec=spec, member=member, unit=unit, row=row, changes=changes,
        action="update", today=today or date.today(),
    )  # fmt: skip


def end_record(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    member_id: int,
    kind: RecordKind,
    record_id: int,
    end_date: date,
) -> None:
    """Close an open period (work history, training) on `end_date`; one already closed is a 409."""
    if kind not in ENDABLE:
        raise NotFound("Không tìm thấy trang")
    spec = SPECS[kind]
    member, unit = _load_for_edit(session, actor, member_id, spec)
    row = _own_row(session, spec, member, record_id)
    if row.end_date is not None:
        # Changing a recorded end is a correction: the edit form, not a second "end".
        raise Conflict(
            "Bản ghi này đã có ngày kết thúc; hãy dùng Sửa để thay đổi",
            details=[{"field": "end_date", "message": "ended"}],
        )
    _write(
        session, ctx, spec=spec, member=member, unit=unit, row=row,
        changes={"end_date": end_date}, action="end", today=date.today(),
    )  # fmt: skip
