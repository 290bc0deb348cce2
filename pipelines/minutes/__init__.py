"""Meeting minutes (biên bản sinh hoạt chi bộ): the record, notes and transcript in, a
`MinutesDraft` out in the official layout, every sentence with its sources; an offline drafter
(the default), an LLM mode over a LangChain chat model, and the consistency check."""

from pipelines.minutes.assign import Embedder
from pipelines.minutes.check import Mismatch, check_minutes
from pipelines.minutes.draft import draft_minutes
from pipelines.minutes.llm import draft_with_model
from pipelines.minutes.models import (
    AgendaDocument,
    AgendaItem,
    AttendanceState,
    Comment,
    CommentSource,
    Guest,
    MeetingKind,
    MeetingRecord,
    MemberAttendance,
    MinutesDraft,
    MinutesInput,
    NoteLine,
    NoteSource,
    RecordSource,
    Resolution,
    Section,
    Sentence,
    Signature,
    Source,
    Task,
    TranscriptSegment,
    TranscriptSource,
    Vote,
)
from pipelines.minutes.provenance import source_text

__all__ = [
    "AgendaDocument",
    "AgendaItem",
    "AttendanceState",
    "Comment",
    "CommentSource",
    "Embedder",
    "Guest",
    "MeetingKind",
    "MeetingRecord",
    "MemberAttendance",
    "MinutesDraft",
    "MinutesInput",
    "Mismatch",
    "NoteLine",
    "NoteSource",
    "RecordSource",
    "Resolution",
    "Section",
    "Sentence",
    "Signature",
    "Source",
    "Task",
    "TranscriptSegment",
    "TranscriptSource",
    "Vote",
    "check_minutes",
    "draft_minutes",
    "draft_with_model",
    "source_text",
]
