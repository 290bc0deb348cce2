"""What a reader sees of a document's summary, and what a secretary sends to adopt one of its
tasks. The API returns these and the document page renders the same objects."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.core.ids import Id

# "none": no summary was ever queued for the newest published version (a draft, a withdrawn
# document, or one indexed before summaries existed).
ViewStatus = Literal["pending", "ready", "failed", "none"]


class ClauseRef(BaseModel):
    """Where a sentence of the summary comes from: the knowledge index's chunk key
    ("d12v3c7"), its label ("Điều 5, khoản 2") and the document page's link to that clause."""

    chunk_key: str
    article: str = ""
    url: str


class KeyPointView(ClauseRef):
    text: str


class DeadlineView(BaseModel):
    """A parsed time expression: a day (`due`), a period (`start`..`due`) or a recurrence
    (`every`, on `day` of the period when the document names one)."""

    text: str  # as written in the document, lower-cased
    due: date | None = None
    start: date | None = None
    every: str | None = None  # daily | weekly | monthly | quarterly | half_yearly | yearly
    day: int | None = None


class SummaryTaskView(ClauseRef):
    # Position in the stored summary (not in this list, which puts `for_us` first): the adopt
    # route takes this number.
    index: int
    text: str  # the sentence as written
    action: str  # what must be done, without who leads it
    responsible: str = ""  # as written: "các chi bộ"
    responsible_kind: str | None = None  # pipelines.summarise.PartyKind value
    deadline: DeadlineView | None = None
    for_us: bool = False  # the responsible party is the reader's unit kind or role


class PlainSentenceView(BaseModel):
    """A sentence of the short version for older members, with the clauses it restates."""

    text: str
    sources: list[ClauseRef]


class SummaryView(BaseModel):
    document_id: int
    version_id: int | None = None
    version_no: int | None = None
    status: ViewStatus
    mode: str | None = None  # offline | llm
    fallback: bool = False  # LLM mode was configured but the offline summary was kept
    job_id: int | None = None  # the summary job, for its progress while pending
    updated_at: datetime | None = None
    key_points: list[KeyPointView] = []
    tasks: list[SummaryTaskView] = []  # the reader's tasks (`for_us`) first
    short: list[PlainSentenceView] = []
    # Whether the reader may turn tasks into unit tasks somewhere (the tasks' own permission);
    # the adopt route still checks the chosen unit.
    can_adopt: bool = False


class AdoptTaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: Id
    assignee_member_id: Id
    # Default: the parsed deadline's due day; a task without one needs a date here.
    due_date: date | None = None


class AdoptedTaskOut(BaseModel):
    """The unit task created from a summary task, with the clause it keeps."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    unit_id: int
    assignee_member_id: int
    description: str
    start_date: date
    due_date: date
    source_type: str
    source_id: int | None
    source_chunk_key: str | None
    source_article: str | None
    status: str
