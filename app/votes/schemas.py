"""API schemas for votes: creating a vote, casting an answer sheet, and what is shown back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.core.ids import Id
from app.core.text import NFCStr
from app.votes.models import Choice, ThresholdBase, VoteForm, VoteKind


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("Không được để trống")
    return value


Line = Annotated[NFCStr, AfterValidator(_not_blank)]


class VoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: Id
    meeting_id: Id | None = None
    title: Annotated[Line, Field(max_length=300)]
    description: Annotated[NFCStr, Field(max_length=5000)] = ""
    kind: VoteKind
    form: VoteForm = VoteForm.motions
    threshold_base: ThresholdBase = ThresholdBase.present
    threshold_num: Annotated[int, Field(ge=1, le=99)] = 1
    threshold_den: Annotated[int, Field(ge=2, le=100)] = 2
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    items: Annotated[
        list[Annotated[Line, Field(max_length=500)]], Field(min_length=1, max_length=50)
    ]

    @model_validator(mode="after")
    def _check(self) -> VoteCreate:
        if self.threshold_num >= self.threshold_den:
            raise ValueError("Ngưỡng thông qua phải nhỏ hơn 1")
        for at in (self.opens_at, self.closes_at):
            if at is not None and at.tzinfo is None:
                raise ValueError("Thời điểm phải có múi giờ")
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValueError("Thời điểm đóng phải sau thời điểm mở")
        if len({i.casefold() for i in self.items}) != len(self.items):
            raise ValueError("Các mục biểu quyết bị trùng nhau")
        return self


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: Id
    choice: Choice
    comment: Annotated[NFCStr, Field(max_length=1000)] = ""

    @model_validator(mode="after")
    def _check(self) -> Answer:
        self.comment = self.comment.strip()
        if self.choice == Choice.other and not self.comment:
            raise ValueError("Ý kiến khác cần có nội dung")
        if self.choice != Choice.other and self.comment:
            raise ValueError("Chỉ ý kiến khác mới kèm nội dung")
        return self


class CastIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: Annotated[list[Answer], Field(min_length=1, max_length=50)]


class ItemOut(BaseModel):
    id: int
    position: int
    text: str


class VoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    unit_id: int
    meeting_id: int | None
    title: str
    description: str
    kind: str
    form: str
    threshold_base: str
    threshold_num: int
    threshold_den: int
    status: str
    opens_at: datetime | None
    closes_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    items: list[ItemOut] = []


class CastOut(BaseModel):
    """Deliberately no ballot id: a receipt would let a voter prove their choice to someone."""

    participated: bool = True


class ItemTally(BaseModel):
    item_id: int
    text: str
    counts: dict[str, int]
    pct_present: dict[str, float]
    pct_all: dict[str, float]
    passed: bool
    comments: list[str] = []


class VoterChoice(BaseModel):
    member_id: int
    full_name: str
    item_id: int
    choice: str
    comment: str


class TallyOut(BaseModel):
    vote_id: int
    status: str
    kind: str
    eligible: int
    present: int
    participated: int
    # None while results are hidden (a secret ballot before close).
    items: list[ItemTally] | None = None
    # Open votes only: who chose what.
    voters: list[VoterChoice] | None = None
    # Secret ballots only: whether the keyed ballot chain verifies now, and if not, why. The
    # counts are still shown, flagged, so the failure is seen rather than hidden.
    verified: bool | None = None
    verify_reason: str = ""


class VerifyOut(BaseModel):
    ok: bool
    checked: int
    reason: str
