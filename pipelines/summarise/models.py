"""The summary pipeline's data: a document's chunks in, its tasks out, each with its deadline,
its responsible party and the chunk it cites."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel

from pipelines.chunking import Chunk


class Every(StrEnum):
    """How often a recurring task falls due."""

    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"
    quarterly = "quarterly"
    half_yearly = "half_yearly"
    yearly = "yearly"


class Deadline(BaseModel):
    """A time expression resolved against the issue date: a day (`due`), a period (`start` to
    `due`), or a recurrence (`every`, on `day` of the period when the text names one)."""

    text: str  # the expression as matched (lower-cased)
    due: dt.date | None = None
    start: dt.date | None = None
    every: Every | None = None
    day: int | None = None

    def key(self) -> str:
        """A compact form for tables and comparisons: "2025-10-15", "2025-10-01..2025-12-31",
        "monthly", "monthly@20"."""
        if self.every is not None:
            return f"{self.every.value}@{self.day}" if self.day else self.every.value
        if self.start is not None and self.due is not None:
            return f"{self.start.isoformat()}..{self.due.isoformat()}"
        return self.due.isoformat() if self.due else "-"


class PartyKind(StrEnum):
    """Who a task falls to, normalised so the app can match it to a reader's unit kind or role
    (`pipelines/summarise/parties.tsv` maps the words to these)."""

    cell = "cell"  # chi bộ
    secretary = "secretary"  # bí thư chi bộ
    deputy_secretary = "deputy_secretary"  # phó bí thư chi bộ
    cell_committee = "cell_committee"  # chi ủy
    member = "member"  # đảng viên
    ward_committee = "ward_committee"  # Đảng ủy phường
    commune_committee = "commune_committee"  # Đảng ủy xã
    grassroots_committee = "grassroots_committee"  # đảng ủy cơ sở, "các phường, xã"
    intermediate_committee = "intermediate_committee"  # đảng bộ bộ phận
    bloc_committee = "bloc_committee"  # Đảng ủy khối
    city_committee = "city_committee"  # Thành ủy, Tỉnh ủy
    standing_committee = "standing_committee"  # Ban Thường vụ
    committee = "committee"  # the issuing committee: "Đảng ủy", "cấp ủy"
    committee_member = "committee_member"  # cấp ủy viên, đảng ủy viên
    office = "office"  # Văn phòng
    organisation_board = "organisation_board"  # Ban Tổ chức
    propaganda_board = "propaganda_board"  # Ban Tuyên giáo
    mass_mobilisation_board = "mass_mobilisation_board"  # Ban Dân vận
    inspection_committee = "inspection_committee"  # Ủy ban Kiểm tra
    people_committee = "people_committee"  # UBND
    mass_organisations = "mass_organisations"  # Mặt trận, đoàn thể
    other = "other"


class DocumentChunk(Chunk):
    """A chunk as the knowledge index holds it (`pipelines.chunking.Chunk`) with the id a task
    cites ("d12v3c7" in the app)."""

    id: str


class DocumentInput(BaseModel):
    title: str
    symbol: str = ""  # "05-CT/ĐU"
    issued: dt.date  # relative expressions ("trong quý IV") are read from this day
    chunks: list[DocumentChunk]


class Task(BaseModel):
    """A task the document gives: what, who (as written and normalised), when, and where."""

    text: str  # the sentence (or list item) as written
    action: str  # what must be done, without the party that leads it
    responsible: str = ""  # the party as written: "các chi bộ"
    responsible_kind: PartyKind | None = None
    inherited: bool = False  # the party came from a lead-in or heading, not the sentence
    deadline: Deadline | None = None
    chunk_id: str
    article: str = ""  # "Điều 5, khoản 2", the cited chunk's label


class KeyPoint(BaseModel):
    """A sentence of the document that carries one of its main points, with the chunk it
    comes from."""

    text: str
    chunk_id: str
    article: str = ""
    score: float = 0.0  # centrality and heading weight, for ordering by importance


class PlainSentence(BaseModel):
    """A sentence of the short version: no abbreviations, the chunks it restates."""

    text: str
    chunk_ids: list[str]


class DocumentSummary(BaseModel):
    """Key points, tasks and the short version, each citing the chunks it came from."""

    key_points: list[KeyPoint]
    tasks: list[Task]
    short: list[PlainSentence]
    mode: str = "offline"  # "offline" or "llm"
    fallback_reason: str | None = None  # why LLM mode gave the offline summary
