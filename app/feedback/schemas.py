"""Input and output shapes for feedback threads and ideas, with status labels."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.i18n import N_
from app.core.ids import Id
from app.core.text import NFCStr
from app.feedback.models import TargetType, ThreadStatus


class SummaryTarget(enum.StrEnum):
    """The targets a feedback summary is kept for (a kiến nghị to a unit has none)."""

    document = "document"
    meeting = "meeting"
    draft = "draft"


STATUS_LABELS: dict[str, str] = {
    ThreadStatus.new: N_("Mới"),
    ThreadStatus.accepted: N_("Đã tiếp thu"),
    ThreadStatus.answered: N_("Đã trả lời"),
    ThreadStatus.closed: N_("Đóng"),
}
TARGET_LABELS: dict[str, str] = {
    TargetType.document: N_("Văn bản"),
    TargetType.meeting: N_("Cuộc họp"),
    TargetType.draft: N_("Dự thảo"),
    TargetType.unit: N_("Kiến nghị gửi chi bộ"),
}

Title = Annotated[NFCStr, Field(min_length=3, max_length=300)]
Body = Annotated[NFCStr, Field(min_length=1, max_length=10000)]


class ThreadCreate(BaseModel):
    """Góp ý on a document, meeting or draft."""

    model_config = ConfigDict(extra="forbid")

    target_type: TargetType
    target_id: Id | None = None
    title: Title
    body: Body


class IdeaCreate(BaseModel):
    """Kiến nghị from a member to their own unit."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    body: Body


class PostCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Body


class StatusSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: ThreadStatus


class PostOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    author_member_id: int | None
    is_official: bool
    body: str
    created_at: datetime


class ThreadOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    unit_id: int
    kind: str
    target_type: str
    target_id: int | None
    title: str
    status: str
    author_member_id: int
    created_at: datetime
    updated_at: datetime


class ThreadDetail(ThreadOut):
    posts: list[PostOut]
    can_manage: bool


SummaryState = Literal["none", "pending", "ready", "failed"]


class QuoteOut(BaseModel):
    """A representative post: no author and no unit, ever (see service_summary)."""

    post_id: int
    thread_id: int
    text: str
    link: str


class UnitCountOut(BaseModel):
    unit_id: int
    unit_name: str
    count: int


class ThemeOut(BaseModel):
    label: str
    count: int
    quotes: list[QuoteOut]
    # Only units with at least the minimum group size of posts in the theme.
    per_unit: list[UnitCountOut]
    other_units: int


class FeedbackSummaryOut(BaseModel):
    target_type: str
    target_id: int
    # none: no post yet; pending: queued or running (themes may be the previous summary's).
    status: SummaryState
    # Posts newer than the summary wait for the debounced job.
    updating: bool = False
    total: int = 0
    min_group_size: int = 0
    themes: list[ThemeOut] = Field(default_factory=list)
    # Posts of small themes this reader can read none of, counted without their label.
    other_count: int = 0
    updated_at: datetime | None = None
    error: str | None = None
