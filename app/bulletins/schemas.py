"""Input and output shapes for bulletins and the podcast feed link."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.ids import Id
from app.core.text import NFCStr
from app.documents.schemas import AudienceIn, AudienceOut


class SectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[NFCStr, Field(max_length=200)] = ""
    text: Annotated[NFCStr, Field(max_length=20_000)]


class BulletinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: Id
    title: Annotated[NFCStr, Field(min_length=1, max_length=300)]
    sections: Annotated[list[SectionIn], Field(min_length=1, max_length=40)]
    source_document_id: Id | None = None
    # Empty: the issuing unit and everything below it.
    audience: Annotated[list[AudienceIn], Field(max_length=500)] = []


class BulletinPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[NFCStr, Field(min_length=1, max_length=300)] | None = None
    sections: Annotated[list[SectionIn], Field(min_length=1, max_length=40)] | None = None
    audience: Annotated[list[AudienceIn], Field(min_length=1, max_length=500)] | None = None


class MonthlyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # "2026-12"; empty: this month (Vietnam's calendar).
    month: Annotated[NFCStr, Field(pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")] = ""


class Section(BaseModel):
    title: str
    text: str


class Chapter(BaseModel):
    title: str
    start: float


class Sentence(BaseModel):
    section: int
    start: float
    end: float
    text: str


class AudioOut(BaseModel):
    status: str
    progress: int
    duration: float | None = None
    voice: str | None = None
    size: int | None = None
    chapters: list[Chapter] = []
    error: str | None = None
    job_id: int | None = None


class BulletinOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    unit_id: int
    title: str
    status: str
    sections: list[Section]
    source_document_id: int | None
    created_at: datetime
    published_at: datetime | None


class BulletinDetail(BulletinOut):
    audience: list[AudienceOut]
    audio: AudioOut
    can_manage: bool


class Transcript(BaseModel):
    chapters: list[Chapter]
    sentences: list[Sentence]


class FeedLink(BaseModel):
    url: str
