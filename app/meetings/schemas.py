"""Request and response shapes for meetings, attendance and comments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from app.core.ids import Id
from app.core.text import NFCStr
from app.meetings.models import AttendanceState, CommentKind, MeetingKind, MeetingStatus, QuorumBase

Title = Annotated[NFCStr, Field(min_length=1, max_length=300)]


class AgendaItemIn(BaseModel):
    title: Title
    description: Annotated[NFCStr, Field(max_length=5000)] = ""


class QuorumRule(BaseModel):
    """Present must exceed (strict) or reach numerator/denominator of the base."""

    numerator: Annotated[int, Field(ge=1, le=100)] = 2
    denominator: Annotated[int, Field(ge=1, le=100)] = 3
    strict: bool = True
    base: QuorumBase = QuorumBase.must_attend

    @model_validator(mode="after")
    def _fraction(self) -> QuorumRule:
        if self.numerator > self.denominator:
            raise ValueError("Tỉ lệ túc số không được lớn hơn 1")
        return self


class MeetingCreate(BaseModel):
    unit_id: Id
    kind: MeetingKind = MeetingKind.regular
    title: Title
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    place: Annotated[NFCStr, Field(max_length=300)] = ""
    online_link: Annotated[NFCStr, Field(max_length=500, pattern=r"^https?://\S+$")] | None = None
    chair_member_id: Id | None = None
    secretary_member_id: Id | None = None
    # Left out (or null): the unit's default rule (app/units/service_settings.quorum_default).
    quorum: QuorumRule | None = None
    agenda: Annotated[list[AgendaItemIn], Field(max_length=50)] = []
    document_ids: Annotated[list[Id], Field(max_length=50)] = []

    @model_validator(mode="after")
    def _where_and_when(self) -> MeetingCreate:
        if not self.place.strip() and not self.online_link:
            raise ValueError("Cần địa điểm hoặc đường dẫn họp trực tuyến")
        if self.ends_at is not None and self.ends_at < self.starts_at:
            raise ValueError("Giờ kết thúc phải sau giờ bắt đầu")
        return self


class AgendaItemEdit(AgendaItemIn):
    """An agenda line in an edit: with `id` it keeps that item (and members' comments on it)."""

    id: Id | None = None


class MeetingUpdate(BaseModel):
    """A partial edit of a draft or noticed meeting: only the fields sent are changed.

    `agenda` and `document_ids`, when sent, are the whole new list.
    """

    model_config = ConfigDict(extra="forbid")

    kind: MeetingKind | None = None
    title: Title | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    place: Annotated[NFCStr, Field(max_length=300)] | None = None
    online_link: Annotated[NFCStr, Field(max_length=500, pattern=r"^https?://\S+$")] | None = None
    chair_member_id: Id | None = None
    secretary_member_id: Id | None = None
    quorum: QuorumRule | None = None
    agenda: Annotated[list[AgendaItemEdit], Field(max_length=50)] | None = None
    document_ids: Annotated[list[Id], Field(max_length=50)] | None = None

    @model_validator(mode="after")
    def _not_null(self) -> MeetingUpdate:
        for name in ("kind", "title", "starts_at", "place", "quorum", "agenda", "document_ids"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"Trường {name} không được để trống")
        return self


class StatusChange(BaseModel):
    status: MeetingStatus


class CheckIn(BaseModel):
    code: Annotated[NFCStr, Field(min_length=1, max_length=12)]


class AttendanceSet(BaseModel):
    state: AttendanceState
    reason: Annotated[NFCStr, Field(max_length=500)] = ""


class GuestIn(BaseModel):
    name: Annotated[NFCStr, Field(min_length=1, max_length=200)]
    position: Annotated[NFCStr, Field(max_length=200)] = ""


class CommentIn(BaseModel):
    kind: CommentKind = CommentKind.opinion
    body: Annotated[NFCStr, Field(min_length=1, max_length=5000)]
    agenda_item_id: Id | None = None
    document_id: Id | None = None


class AgendaItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    position: int
    title: str
    description: str


class DocumentRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    document_id: int
    title: str


class GuestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    position: str


class QuorumOut(BaseModel):
    invited: int
    exempt: int
    base: int
    present: int
    excused: int
    unexcused: int
    not_recorded: int
    required: int
    reached: bool
    rule: QuorumRule


class MeetingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    unit_id: int
    kind: MeetingKind
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    online_link: str | None
    chair_member_id: int | None
    secretary_member_id: int | None
    status: MeetingStatus


class MeetingDetail(MeetingOut):
    agenda: list[AgendaItemOut]
    documents: list[DocumentRef]
    guests: list[GuestOut]
    quorum: QuorumOut
    # Only officers who run the meeting see the code they read out in the room.
    checkin_code: str | None = None
    can_manage: bool = False


class AttendanceOut(BaseModel):
    member_id: int
    full_name: str
    state: AttendanceState | None
    reason: str | None
    checked_in_at: datetime | None
    proxy: bool


class CommentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    member_id: int
    kind: CommentKind
    body: str
    agenda_item_id: int | None
    document_id: int | None
    created_at: datetime


class CommentGroup(BaseModel):
    key: str  # "agenda:<id>", "document:<id>" or "general"
    label: str
    comments: list[CommentOut]
