"""Request and response bodies of the recordings API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.ids import Id
from app.core.text import NFCStr
from app.recordings.models import RecordingStatus


class RecordingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    meeting_id: int
    filename: str
    mime: str
    size: int
    duration: float
    pieces: int
    status: RecordingStatus
    job_id: int | None
    error: str | None
    created_at: datetime
    # 0–100: pieces transcribed of pieces found (the job's own figure while it runs).
    progress: int = 0


class SegmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    index: int
    start: float
    end: float
    text: str
    confidence: float
    speaker_name: str | None
    speaker_member_id: int | None
    edited_at: datetime | None
    versions: int = 0


class TranscriptOut(BaseModel):
    recording: RecordingOut
    segments: list[SegmentOut]


class SegmentEdit(BaseModel):
    """A correction: new text, and/or the speaker as free text or a member of the meeting."""

    model_config = ConfigDict(extra="forbid")

    text: NFCStr | None = Field(default=None, min_length=1, max_length=5000)
    speaker_name: NFCStr | None = Field(default=None, max_length=200)
    speaker_member_id: Id | None = None

    @model_validator(mode="after")
    def _something(self) -> SegmentEdit:
        if not self.model_fields_set:
            raise ValueError("nothing to change")
        return self


class SegmentVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    speaker_name: str | None
    speaker_member_id: int | None
    replaced_by_account_id: int | None
    replaced_at: datetime


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    members_may_listen: bool


class PolicyOut(BaseModel):
    unit_id: int
    members_may_listen: bool
