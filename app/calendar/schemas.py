"""Request and response shapes for the calendar: the feed link and personal calendar items."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from app.core.text import NFCStr

Title = Annotated[NFCStr, Field(min_length=1, max_length=300)]


class CalendarLink(BaseModel):
    url: str


class CalendarItemIn(BaseModel):
    """A personal calendar item (lịch riêng): only its owner ever sees it."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    place: Annotated[NFCStr, Field(max_length=300)] = ""
    note: Annotated[NFCStr, Field(max_length=5000)] = ""

    @model_validator(mode="after")
    def _order(self) -> CalendarItemIn:
        if self.ends_at is not None and self.ends_at < self.starts_at:
            raise ValueError("Giờ kết thúc phải sau giờ bắt đầu")
        return self


class CalendarItemPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    place: Annotated[NFCStr, Field(max_length=300)] | None = None
    note: Annotated[NFCStr, Field(max_length=5000)] | None = None


class CalendarItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    note: str
