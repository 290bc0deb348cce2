"""Schemas for meeting outcomes: resolutions and the self-assessment of a meeting's quality."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.core.ids import Id
from app.core.text import NFCStr, clean_name, no_controls

Text300 = Annotated[NFCStr, Field(min_length=1, max_length=300)]


class ResolutionCreate(BaseModel):
    number: Annotated[NFCStr, Field(min_length=1, max_length=64)]
    issued_on: date
    title: Text300
    summary: Annotated[NFCStr, Field(max_length=20000)] = ""
    document_id: Id | None = None


class ResolutionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    unit_id: int
    meeting_id: int
    number: str
    issued_on: date
    title: str
    summary: str
    document_id: int | None
    created_at: datetime


class CriterionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    unit_id: int | None
    code: str
    text: str
    max_score: int
    position: int


class BandOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    grade: str
    label: str
    min_percent: int


class CriteriaOut(BaseModel):
    criteria: list[CriterionOut]
    bands: list[BandOut]
    max_total: int


class ScoreIn(BaseModel):
    criterion_id: Id
    score: Annotated[int, Field(ge=0, le=1000)]


class AssessmentIn(BaseModel):
    scores: list[ScoreIn] = Field(min_length=1, max_length=100)
    note: Annotated[NFCStr, Field(max_length=4000)] = ""

    @model_validator(mode="after")
    def _unique(self) -> AssessmentIn:
        ids = [s.criterion_id for s in self.scores]
        if len(ids) != len(set(ids)):
            raise ValueError("Mỗi tiêu chí chỉ được chấm một lần")
        return self


class ScoreOut(BaseModel):
    criterion_id: int
    code: str
    text: str
    score: int
    max_score: int


class AssessmentOut(BaseModel):
    id: int
    unit_id: int
    meeting_id: int
    total: int
    max_total: int
    grade: str
    grade_label: str
    note: str
    assessed_at: datetime
    scores: list[ScoreOut]


# A criterion's or a grade's code: short, typed by staff, kept across edits ("A1", "tot").
ConfigCode = Annotated[NFCStr, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]


def _two_letters(value: str) -> str:
    if len(value) < 2:
        raise ValueError("Chưa nhập")
    return value


# Labels: NFC, single spaces, the length checked on the text as sent (so a long one reads
# "too long"), at least two characters once cleaned.
CriterionText = Annotated[
    str,
    StringConstraints(max_length=500),
    AfterValidator(clean_name),
    AfterValidator(no_controls),
    AfterValidator(_two_letters),
]
BandLabel = Annotated[
    str,
    StringConstraints(max_length=100),
    AfterValidator(clean_name),
    AfterValidator(no_controls),
    AfterValidator(_two_letters),
]
MaxScore = Annotated[int, Field(ge=1, le=100)]


class CriterionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: ConfigCode
    text: CriterionText
    max_score: MaxScore


class CriterionEdit(BaseModel):
    """A partial edit: only the fields sent change; `active: false` stops using the criterion."""

    model_config = ConfigDict(extra="forbid")

    text: CriterionText | None = None
    max_score: MaxScore | None = None
    active: bool | None = None

    @model_validator(mode="after")
    def _not_null(self) -> CriterionEdit:
        for name in self.model_fields_set:
            if getattr(self, name) is None:
                raise ValueError("Mục này không được để trống")
        return self


class CriteriaOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Every criterion of the list as shown, in the new order.
    ids: Annotated[list[Id], Field(min_length=1, max_length=100)]

    @model_validator(mode="after")
    def _unique(self) -> CriteriaOrder:
        if len(self.ids) != len(set(self.ids)):
            raise ValueError("Mỗi tiêu chí chỉ được nêu một lần")
        return self


class BandIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grade: ConfigCode
    label: BandLabel
    min_percent: Annotated[int, Field(ge=0, le=100)]


class BandsIn(BaseModel):
    """The whole grade scale: each band starts at its percentage and runs up to the next one."""

    model_config = ConfigDict(extra="forbid")

    bands: Annotated[list[BandIn], Field(min_length=1, max_length=10)]

    @model_validator(mode="after")
    def _cover(self) -> BandsIn:
        # Thresholds alone say where each band ends, so "no gap" is a band at 0% and "no
        # overlap" is no two bands at the same percentage.
        if len({b.grade for b in self.bands}) != len(self.bands):
            raise ValueError("Mỗi mã xếp loại chỉ được dùng một lần")
        if len({b.min_percent for b in self.bands}) != len(self.bands):
            raise ValueError("Hai mức xếp loại không được bắt đầu ở cùng một tỉ lệ")
        if min(b.min_percent for b in self.bands) != 0:
            raise ValueError("Thang xếp loại phải có một mức bắt đầu từ 0%")
        return self


class CriterionAdminOut(CriterionOut):
    active: bool


class AssessmentConfigOut(BaseModel):
    unit_id: int
    # False: the unit uses its parent's (or the product's) set, shown here; the first change
    # copies it into the unit's own.
    own_criteria: bool
    own_bands: bool
    criteria: list[CriterionAdminOut]
    bands: list[BandOut]
    max_total: int
