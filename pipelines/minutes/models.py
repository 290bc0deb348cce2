"""The minutes pipeline's data: the meeting record, notes and transcript the app hands in, and
the `MinutesDraft` it gets back, every sentence with its typed sources."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field


class AttendanceState(StrEnum):
    present = "present"
    absent_with_leave = "absent_with_leave"
    absent_without_leave = "absent_without_leave"
    exempt = "exempt"  # miễn công tác và sinh hoạt đảng: outside the quorum base


class MeetingKind(StrEnum):
    regular = "regular"  # thường kỳ
    thematic = "thematic"  # chuyên đề
    extraordinary = "extraordinary"  # bất thường


class MemberAttendance(BaseModel):
    member_id: int
    name: str
    state: AttendanceState
    reason: str = ""


class Guest(BaseModel):
    id: int
    name: str
    title: str = ""  # "Đảng ủy viên, phụ trách chi bộ"


class AgendaDocument(BaseModel):
    id: int
    title: str
    symbol: str = ""  # "57-NQ/TW"


class AgendaItem(BaseModel):
    id: int
    title: str
    presenter: str = ""
    documents: list[AgendaDocument] = Field(default_factory=list)
    conclusion: str = ""  # the chair's conclusion, as the record holds it


class Comment(BaseModel):
    """A member's comment recorded in the app (before or during the meeting)."""

    id: int
    author: str
    text: str
    agenda_item_id: int | None = None


class Vote(BaseModel):
    id: int
    kind: Literal["open", "secret"]
    question: str
    agree: int = Field(ge=0)
    disagree: int = Field(ge=0)
    abstain: int = Field(ge=0)  # "ý kiến khác"
    adopted: bool
    agenda_item_id: int | None = None
    # Open votes only: who voted how, when the record has it. A secret ballot's names are never
    # written, even if the app hands them in by mistake.
    disagree_names: list[str] = Field(default_factory=list)
    abstain_names: list[str] = Field(default_factory=list)


class Resolution(BaseModel):
    id: int
    text: str
    agenda_item_id: int | None = None


class Task(BaseModel):
    id: int
    title: str
    assignee: str
    due: dt.date | None = None


class MeetingRecord(BaseModel):
    meeting_id: int
    superior_committee: str  # "Đảng ủy phường Bến Nghé"
    cell_name: str  # "Chi bộ Khu phố 3"
    kind: MeetingKind = MeetingKind.regular
    month: int = Field(ge=1, le=12)  # the month the meeting is for
    year: int
    date: dt.date
    start: dt.time
    end: dt.time
    place: str
    header_place: str = ""  # "Phường Bến Nghé" in "Phường Bến Nghé, ngày … tháng … năm …"
    chair: str
    secretary: str
    attendance: list[MemberAttendance]
    guests: list[Guest] = Field(default_factory=list)
    agenda: list[AgendaItem] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)
    votes: list[Vote] = Field(default_factory=list)
    resolutions: list[Resolution] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)

    def names_in(self, state: AttendanceState) -> list[str]:
        return [a.name for a in self.attendance if a.state is state]

    @property
    def present_count(self) -> int:
        return len(self.names_in(AttendanceState.present))


class NoteLine(BaseModel):
    """One line of the secretary's notes; line numbers count from 1 in list order. Without an
    `agenda_item_id`, a leading "[2]" or "[Nội dung 2]" tags it to the agenda's second item;
    a leading "Đ/c Lan:" names who said it."""

    text: str
    agenda_item_id: int | None = None


class TranscriptSegment(BaseModel):
    index: int
    start: float  # seconds from the start of the recording
    end: float
    text: str
    speaker: str = ""


class MinutesInput(BaseModel):
    record: MeetingRecord
    notes: list[NoteLine] = Field(default_factory=list)
    transcript: list[TranscriptSegment] = Field(default_factory=list)


# Provenance: where a sentence comes from.


class RecordSource(BaseModel):
    kind: Literal["record"] = "record"
    table: Literal[
        "meeting", "attendance", "guest", "agenda_item", "document", "vote", "resolution", "task"
    ]
    id: int | None  # None for the meeting's own fields and counts
    field: str


class NoteSource(BaseModel):
    kind: Literal["note"] = "note"
    line: int  # from 1


class CommentSource(BaseModel):
    kind: Literal["comment"] = "comment"
    comment_id: int


class TranscriptSource(BaseModel):
    kind: Literal["transcript"] = "transcript"
    start: float
    end: float
    first_segment: int
    last_segment: int


Source = Annotated[
    RecordSource | NoteSource | CommentSource | TranscriptSource, Field(discriminator="kind")
]
Part = Literal["text", "report", "discussion", "conclusion"]


class Sentence(BaseModel):
    text: str
    sources: list[Source]
    part: Part = "text"


class Section(BaseModel):
    """One section as the secretary edits it: its text is its sentences, one per line."""

    key: str  # "time_place", "attendance", "presiding", "item-<id>", "votes", "tasks", ...
    heading: str
    sentences: list[Sentence]

    def text(self) -> str:
        return "\n".join(s.text for s in self.sentences)


class Signature(BaseModel):
    role: str  # "CHỦ TRÌ", "THƯ KÝ"
    name: str


class MinutesDraft(BaseModel):
    header_left: list[str]
    header_right: list[str]
    title: list[str]  # two lines: "BIÊN BẢN", "SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG …"
    sections: list[Section]
    signatures: list[Signature]
    mode: Literal["offline", "llm"] = "offline"
    fallback_reason: str | None = None  # LLM mode that fell back to the offline draft

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def text_sections(self) -> dict[str, str]:
        """The draft as the editable text the consistency check reads back."""
        out = {"header": "\n".join(self.header_left + self.header_right)}
        out["title"] = "\n".join(self.title)
        out.update({s.key: s.text() for s in self.sections})
        return out

    def text(self) -> str:
        lines = [*self.header_left, *self.header_right, "", *self.title, ""]
        for s in self.sections:
            lines.append(s.heading)
            lines.extend(x.text for x in s.sentences)
            lines.append("")
        lines.extend(f"{sig.role}: {sig.name}" for sig in self.signatures)
        return "\n".join(lines)
