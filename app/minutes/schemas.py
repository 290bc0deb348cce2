"""Request and response bodies of the minutes API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.ids import Id
from app.core.text import NFCStr

SectionKey = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")]
SectionText = Annotated[NFCStr, Field(max_length=20_000)]


class ItemMeta(BaseModel):
    """What the record does not hold about an agenda item: who presented it, the chair's
    conclusion, and which pre-reading documents it covered."""

    model_config = ConfigDict(extra="forbid")

    presenter: NFCStr = Field(default="", max_length=200)
    conclusion: NFCStr = Field(default="", max_length=5000)
    document_ids: list[Id] = Field(default_factory=list, max_length=50)


class NotesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notes: NFCStr = Field(max_length=100_000)
    # Agenda item id -> its presenter, conclusion and documents (omitted: unchanged).
    items: dict[Id, ItemMeta] | None = Field(default=None, max_length=100)


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # True: the new draft replaces the sections the secretary edited too.
    replace: bool = False
    # None: the configured model if there is one, else offline.
    mode: Literal["offline", "llm"] | None = None


class SectionsIn(BaseModel):
    """New text for one or more sections (one sentence per line)."""

    model_config = ConfigDict(extra="forbid")

    sections: dict[SectionKey, SectionText] = Field(min_length=1, max_length=100)
    reason: NFCStr = Field(default="", max_length=2000)


class CorrectionIn(BaseModel):
    """A change after lock: always with its reason; it goes back to the chair."""

    model_config = ConfigDict(extra="forbid")

    sections: dict[SectionKey, SectionText] = Field(min_length=1, max_length=100)
    reason: NFCStr = Field(min_length=3, max_length=2000)
    # Send it although the check still finds mismatches; the reason is audited.
    override_reason: NFCStr | None = Field(default=None, min_length=3, max_length=2000)


class SubmitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Submit although the check still finds mismatches; the reason is audited.
    override_reason: NFCStr | None = Field(default=None, min_length=3, max_length=2000)


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: NFCStr = Field(default="", max_length=5000)


class ReturnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: NFCStr = Field(min_length=1, max_length=5000)


class MismatchOut(BaseModel):
    section: str
    sentence: str
    field: str
    expected: str
    found: str


class SentenceOut(BaseModel):
    text: str
    sources: list[dict[str, Any]]


class SectionOut(BaseModel):
    key: str
    heading: str
    text: str
    edited: bool
    sentences: list[SentenceOut]


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version_number: int
    action: str
    comment: str
    author_account_id: int | None
    created_at: datetime


class MinutesOut(BaseModel):
    meeting_id: int
    # "none" before anything was written; then draft, submitted, returned, locked.
    state: str
    notes: str = ""
    items: dict[str, Any] = Field(default_factory=dict)
    header_left: list[str] = Field(default_factory=list)
    header_right: list[str] = Field(default_factory=list)
    title: list[str] = Field(default_factory=list)
    sections: list[SectionOut] = Field(default_factory=list)
    signatures: list[dict[str, str]] = Field(default_factory=list)
    mismatches: list[MismatchOut] = Field(default_factory=list)
    mode: str | None = None
    fallback_reason: str | None = None
    job_id: int | None = None
    job_status: str | None = None
    progress: int = 0
    version: int = 0
    override_reason: str | None = None
    correction_reason: str | None = None
    locked_sha256: str | None = None
    locked_at: datetime | None = None
    reviews: list[ReviewOut] = Field(default_factory=list)
    # What this caller may do now.
    can_manage: bool = False


class JobOut(BaseModel):
    job_id: int
    status: str
    progress: int


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    kind: str
    author_account_id: int | None
    created_at: datetime
    reason: str
    changed_keys: list[str]
    locked: bool


class SectionDiff(BaseModel):
    key: str
    heading: str
    lines: list[str]


class DiffOut(BaseModel):
    old: int
    new: int
    sections: list[SectionDiff]


class VerifyOut(BaseModel):
    ok: bool
    reason: str
    sha256: str | None
    audited_sha256: str | None
