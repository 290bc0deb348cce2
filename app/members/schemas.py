"""API schemas for member profiles: input validation at the boundary, and the output shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from app.core.ids import Id
from app.core.text import NameStr, NFCStr, digits
from app.members.models import DisciplineForm, Gender, MemberStatus, RatingGrade

EARLIEST = date(1900, 1, 1)


def _blank_to_none(value: Any) -> Any:
    """Forms and spreadsheets send "" for an empty field; treat it as absent."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _past(value: date | None) -> date | None:
    if value is not None and not EARLIEST <= value <= date.today():
        raise ValueError("Ngày phải nằm trong quá khứ (sau năm 1900)")
    return value


def _cccd(value: str | None) -> str | None:
    if value is None:
        return None
    compact = value.replace(" ", "").replace(".", "")
    if len(compact) != 12 or not compact.isdigit():
        raise ValueError("Số CCCD phải gồm đúng 12 chữ số")
    return compact


def normalise_phone(value: str | None) -> str | None:
    """A Vietnamese phone number in its national form: 0 plus 9 or 10 digits."""
    if value is None:
        return None
    raw = value.strip()
    if any(ch.isalpha() for ch in raw):
        raise ValueError("Số điện thoại không hợp lệ")
    d = digits(raw)
    if raw.startswith("+84") or (d.startswith("84") and len(d) in (11, 12)):
        d = "0" + d[2:]
    if not (d.startswith("0") and 10 <= len(d) <= 11):
        raise ValueError("Số điện thoại không hợp lệ")
    return d


Blank = BeforeValidator(_blank_to_none)
PastDate = Annotated[date | None, Blank, AfterValidator(_past)]
# Optional text: "" or null clears the field. The length limit sits on the text inside the
# union, never on `X | None` itself: pydantic would apply it to None and fail (a 500).
OptText = Annotated[Annotated[NFCStr, Field(max_length=255)] | None, Blank]
ShortText = Annotated[Annotated[NFCStr, Field(max_length=64)] | None, Blank]
LongText = Annotated[Annotated[NFCStr, Field(max_length=500)] | None, Blank]
NoteText = Annotated[Annotated[NFCStr, Field(max_length=2000)] | None, Blank]
Cccd = Annotated[str | None, Blank, AfterValidator(_cccd)]
Phone = Annotated[str | None, Blank, AfterValidator(normalise_phone)]
PersonName = Annotated[NameStr, Field(min_length=2, max_length=255)]
CardNumber = Annotated[Annotated[NFCStr, Field(max_length=32)] | None, Blank]


class MemberFields(BaseModel):
    """Every editable profile field; the unit is not one of them (transfers change it)."""

    model_config = ConfigDict(extra="forbid")

    birth_date: PastDate = None
    gender: Annotated[Gender | None, Blank] = None
    hometown: OptText = None
    ethnicity: ShortText = None
    religion: ShortText = None
    cccd: Cccd = None
    phone: Phone = None
    address: LongText = None
    education_level: ShortText = None
    political_theory: ShortText = None
    professional_qualification: OptText = None
    admission_date: PastDate = None
    official_date: PastDate = None
    card_number: CardNumber = None
    dossier_number: CardNumber = None

    @field_validator("official_date")
    @classmethod
    def _official_after_admission(cls, value: date | None, info: ValidationInfo) -> date | None:
        admitted = info.data.get("admission_date")
        if value is not None and admitted is not None and value < admitted:
            raise ValueError("Ngày chính thức không được trước ngày vào Đảng")
        return value


class MemberCreate(MemberFields):
    unit_id: Id
    full_name: PersonName
    status: MemberStatus = MemberStatus.active


class MemberUpdate(MemberFields):
    """A partial update: only the fields sent are changed (`model_fields_set`)."""

    full_name: PersonName | None = None
    status: MemberStatus | None = None


class MemberListItem(BaseModel):
    id: int
    full_name: str
    unit_id: int
    unit_name: str
    birth_year: int | None
    status: str
    admission_date: date | None
    cccd_masked: str | None


class MemberPage(BaseModel):
    items: list[MemberListItem]
    total: int = Field(description="Matches, counted exactly up to a cap (see total_exact)")
    total_exact: bool = Field(
        True, description="False when there are more matches than `total` says"
    )
    page: int
    page_size: int


class MembershipOut(BaseModel):
    unit_id: int
    unit_name: str
    start_date: date
    end_date: date | None
    note: str | None


class WorkHistoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    start_date: date | None
    end_date: date | None
    organisation: str
    position: str | None


class AwardOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    awarded_on: date
    title: str
    issued_by: str | None
    decision_number: str | None
    badge_years: int | None


class TrainingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    start_date: date | None
    end_date: date | None
    course: str
    institution: str | None
    certificate: str | None


class RatingOut(BaseModel):
    id: int | None  # None for the synthetic row of a year that is not graded
    year: int
    grade: str | None
    label: str
    note: str | None
    synthetic: bool


class DisciplineOut(BaseModel):
    id: int
    decided_on: date
    form: str
    form_label: str
    reason: str
    issued_by: str | None
    decision_number: str | None


class MemberProfile(BaseModel):
    """Everything but the sensitive fields: CCCD is masked and discipline is a yes/no."""

    id: int
    unit_id: int
    unit_name: str
    full_name: str
    birth_date: date | None
    gender: str | None
    hometown: str | None
    ethnicity: str | None
    religion: str | None
    cccd_masked: str | None
    phone: str | None
    address: str | None
    education_level: str | None
    political_theory: str | None
    professional_qualification: str | None
    admission_date: date | None
    official_date: date | None
    card_number: str | None
    dossier_number: str | None
    status: str
    status_label: str
    updated_at: datetime
    memberships: list[MembershipOut]
    work_history: list[WorkHistoryOut]
    awards: list[AwardOut]
    trainings: list[TrainingOut]
    ratings: list[RatingOut]
    has_discipline: bool
    # What the caller may do here, so clients (and the web page) show only usable controls.
    can_edit: bool
    can_view_sensitive: bool


class SensitiveOut(BaseModel):
    cccd: str | None
    disciplines: list[DisciplineOut]
    # Whether the caller may also edit these discipline records (the page shows "Sửa" then).
    can_edit: bool = False


# Sub-records: each is added on its own, edited by a partial update (PATCH) and removed by id.
# The field types are shared by the add (`*In`) and edit (`*Patch`) schemas, and an edit is
# checked again as a whole with the `*In` schema (service_records.update_record), so both paths
# hold the same rules.


class _RecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_span(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError("Ngày kết thúc không được trước ngày bắt đầu")


Title = Annotated[NFCStr, Field(min_length=1, max_length=255)]
RecordDate = Annotated[date, AfterValidator(_past)]
BadgeYears = Annotated[int, Field(ge=30, le=80)]  # Huy hiệu Đảng: 30 to 80 years of membership
RatingYear = Annotated[int, Field(ge=1930, le=2100)]
DisciplineReason = Annotated[NFCStr, Field(min_length=1, max_length=4000)]


class WorkHistoryIn(_RecordIn):
    start_date: PastDate = None
    end_date: PastDate = None
    organisation: Title
    position: OptText = None

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        _check_span(info.data.get("start_date"), value)
        return value


class AwardIn(_RecordIn):
    awarded_on: RecordDate
    title: Title
    issued_by: OptText = None
    decision_number: ShortText = None
    badge_years: Annotated[BadgeYears | None, Blank] = None


class TrainingIn(_RecordIn):
    start_date: PastDate = None
    end_date: PastDate = None
    course: Title
    institution: OptText = None
    certificate: OptText = None

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        _check_span(info.data.get("start_date"), value)
        return value


class RatingIn(_RecordIn):
    year: RatingYear
    grade: RatingGrade
    note: NoteText = None


class DisciplineIn(_RecordIn):
    decided_on: RecordDate
    form: DisciplineForm
    reason: DisciplineReason
    issued_by: OptText = None
    decision_number: ShortText = None


# Edits: only the fields sent change (`model_fields_set`). A required field sent empty or null
# is refused by the whole-record check, never stored empty.


class WorkHistoryPatch(_RecordIn):
    start_date: PastDate = None
    end_date: PastDate = None
    organisation: Annotated[Title | None, Blank] = None
    position: OptText = None


class AwardPatch(_RecordIn):
    awarded_on: Annotated[RecordDate | None, Blank] = None
    title: Annotated[Title | None, Blank] = None
    issued_by: OptText = None
    decision_number: ShortText = None
    badge_years: Annotated[BadgeYears | None, Blank] = None


class TrainingPatch(_RecordIn):
    start_date: PastDate = None
    end_date: PastDate = None
    course: Annotated[Title | None, Blank] = None
    institution: OptText = None
    certificate: OptText = None


class RatingPatch(_RecordIn):
    year: Annotated[RatingYear | None, Blank] = None
    grade: Annotated[RatingGrade | None, Blank] = None
    note: NoteText = None


class DisciplinePatch(_RecordIn):
    decided_on: Annotated[RecordDate | None, Blank] = None
    form: Annotated[DisciplineForm | None, Blank] = None
    reason: Annotated[DisciplineReason | None, Blank] = None
    issued_by: OptText = None
    decision_number: ShortText = None


class RecordEnd(_RecordIn):
    """Ending a dated record (work history, training): the day it ended."""

    end_date: Annotated[date, AfterValidator(_past)]


class RecordOut(BaseModel):
    """What adding a sub-record answers; the full record shows in the profile (or sensitive view)."""

    id: int
    kind: str
