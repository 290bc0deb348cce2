"""API shapes for the assistant (Hỏi đáp)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.core.text import NFCStr
from pipelines.qa import Citation


class AskIn(BaseModel):
    question: NFCStr = Field(min_length=2, max_length=1000)


class AnswerOut(BaseModel):
    answer: str
    citations: list[Citation]
    found: bool


class QuestionOut(BaseModel):
    id: int
    question: str
    answer: str
    found: bool
    citations: list[Citation]
    asked_at: datetime
