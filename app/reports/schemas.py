"""The unit report's shape: one section per source, plain numbers ready to render or export."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from app.tasks.schemas import TaskStats


class MeetingAttendance(BaseModel):
    meeting_id: int
    title: str
    held_on: date
    must_attend: int  # invitees who are not exempt
    present: int
    excused: int
    unexcused: int
    exempt: int
    rate: float  # percent of must_attend present, one decimal


class MonthAttendance(BaseModel):
    month: str  # "2026-03"
    meetings: int
    must_attend: int
    present: int
    rate: float


class DocumentReads(BaseModel):
    document_id: int
    number: str
    title: str
    published_on: date | None
    recipients: int  # addressed members within the unit's subtree
    read: int
    rate: float


class VoteResult(BaseModel):
    vote_id: int
    vote_title: str
    item: str
    closed_on: date | None
    agree: int
    disagree: int
    other: int
    passed: bool


class UnitReport(BaseModel):
    unit_id: int
    unit_name: str
    date_from: date
    date_to: date
    generated_at: datetime
    meetings: list[MeetingAttendance]
    months: list[MonthAttendance]
    documents: list[DocumentReads]
    votes: list[VoteResult]
    tasks: TaskStats
