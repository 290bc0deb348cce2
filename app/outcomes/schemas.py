"""Schemas for meeting outcomes: resolutions and the self-assessment of a meeting's quality."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.ids import Id
from app.core.text import NFCStr

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
