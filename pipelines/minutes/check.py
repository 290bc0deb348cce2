"""The consistency check: counts, names, vote figures, dates and times read back from the
minutes' text (the draft, or the secretary's edit of it) and compared with the record.

It reads the labels the drafter writes ("Có mặt: 8 đồng chí", "tán thành 7 đồng chí, đạt
87,5%", "thời hạn: 20/12/2026"); a label that is gone or a figure that no longer reads is a
mismatch too, so nothing the record fixes can leave the text unnoticed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel

from pipelines.minutes.draft import STATE_LABEL
from pipelines.minutes.models import AttendanceState, MeetingRecord, Vote
from pipelines.minutes.vi import date_short, fold, percent, percent_text


class Mismatch(BaseModel):
    section: str
    sentence: str  # the sentence holding the figure ("" when the sentence is missing)
    field: str  # "attendance.present", "vote[2].agree", "date", ...
    expected: str
    found: str


_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])|\n+")
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_DATE_SHORT = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_TIME = re.compile(r"(\d{1,2})\s*(?:giờ|h|:)\s*(\d{1,2})?", re.IGNORECASE)
# A vote starts a line or a sentence; the same words inside a question ("Bỏ phiếu kín: công
# nhận ...") are not a new vote.
_VOTE_START = re.compile(r"(?:^|(?<=\n)|(?<=[.;!?] ))(?=Biểu quyết giơ tay|Bỏ phiếu kín)", re.I)
_TALLY = {
    "agree": r"(?<!không )tán thành",
    "disagree": r"không tán thành",
    "abstain": r"ý kiến khác",
}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if s.strip()]


def _holding(text: str, pattern: str) -> str:
    for s in _sentences(text):
        if re.search(pattern, s, re.IGNORECASE):
            return s
    return ""


def _count(sentence: str, label: str) -> str:
    m = re.search(rf"{label}\s*:?\s*(\d+)", sentence, re.IGNORECASE)
    return str(int(m.group(1))) if m else ""


def _percent_read(text: str | None) -> str:
    """A percentage read back, rounded as the minutes write it ("88,90" and "88.9" -> 88,9%)."""
    if not text:
        return ""
    try:
        return percent_text(Decimal(text.replace(",", ".")))
    except InvalidOperation:
        return text


def _names_in(sentence: str, names: list[str]) -> set[str]:
    folded = fold(sentence)
    return {n for n in names if re.search(rf"(?<!\w){re.escape(fold(n))}(?!\w)", folded)}


class _Checker:
    def __init__(self, record: MeetingRecord) -> None:
        self.r = record
        self.out: list[Mismatch] = []
        self.members = [a.name for a in record.attendance]
        others = [g.name for g in record.guests] + [record.chair, record.secretary]
        self.people = list(dict.fromkeys(self.members + [n for n in others if n.strip()]))
        self.questions: dict[str, str] = {}  # token -> the question it stands for

    def add(self, section: str, sentence: str, field: str, expected: object, found: object) -> None:
        if str(expected) != str(found):
            for token, question in self.questions.items():
                sentence = sentence.replace(token, question)
            self.out.append(
                Mismatch(
                    section=section,
                    sentence=sentence,
                    field=field,
                    expected=str(expected),
                    found=str(found),
                )
            )

    def dates(self, section: str, text: str) -> None:
        # "ngày 05 tháng 12 năm 2026" as drafted, or "05/12/2026" as a secretary may type it.
        sentence = _holding(text, _DATE_WORDS.pattern) or _holding(text, _DATE_SHORT.pattern)
        m = _DATE_WORDS.search(sentence) or _DATE_SHORT.search(sentence)
        found = f"{int(m.group(1)):02d}/{int(m.group(2)):02d}/{m.group(3)}" if m else ""
        self.add(section, sentence, "date", date_short(self.r.date), found)

    def time(self, section: str, text: str, label: str, field: str, expected: str) -> None:
        sentence = _holding(text, label)
        at = re.search(label, sentence, re.IGNORECASE) if sentence else None
        m = _TIME.search(sentence[at.end() :]) if at else None
        found = f"{int(m.group(1))}:{int(m.group(2) or 0):02d}" if m else ""
        self.add(section, sentence, field, expected, found)

    def attendance(self, text: str) -> None:
        r = self.r
        for label, field, expected in (
            (r"Tổng số đảng viên[^:]*", "attendance.total", len(r.attendance)),
            ("Có mặt", "attendance.present", r.present_count),
        ):
            sentence = _holding(text, label)
            self.add("attendance", sentence, field, expected, _count(sentence, label))
        for state in (
            AttendanceState.absent_with_leave,
            AttendanceState.absent_without_leave,
            AttendanceState.exempt,
        ):
            label = STATE_LABEL[state]
            expected_names = r.names_in(state)
            sentence = _holding(text, label)
            if not sentence and not expected_names:
                continue
            self.add(
                "attendance",
                sentence,
                f"attendance.{state.value}",
                len(expected_names),
                _count(sentence, label),
            )
            found = _names_in(sentence, self.members)
            self.add(
                "attendance",
                sentence,
                f"attendance.{state.value}.names",
                ", ".join(sorted(expected_names)),
                ", ".join(sorted(found)),
            )
        guests = [g.name for g in r.guests]
        sentence = _holding(text, "Khách mời")
        found = _names_in(sentence, self.people)
        self.add(
            "attendance", sentence, "guests", ", ".join(sorted(guests)), ", ".join(sorted(found))
        )

    def presiding(self, text: str) -> None:
        for label, field, name in (
            ("Chủ trì", "chair", self.r.chair),
            ("Thư ký", "secretary", self.r.secretary),
        ):
            sentence = _holding(text, label)
            found = _names_in(sentence, self.people)
            self.add("presiding", sentence, field, name, ", ".join(sorted(found)))

    def _masked(self, text: str) -> str:
        """The votes' questions replaced by a neutral token. A question is the record's own
        text, quoted whole; the colons, full stops, names and figures it may hold ("Bỏ phiếu
        kín: công nhận ... đồng chí Nguyễn Thị Lan") are not the vote's tallies or voters."""
        # Longest first, so a question that holds another one is masked whole.
        votes = sorted(enumerate(self.r.votes, start=1), key=lambda nv: -len(nv[1].question))
        for n, v in votes:
            q = v.question.strip().rstrip(".")
            if q:
                self.questions[f"«nội dung {n}»"] = q
                text = text.replace(q, f"«nội dung {n}»")
        return text

    def votes(self, text: str) -> None:
        text = self._masked(text)
        blocks = [b for b in _VOTE_START.split(text) if b.strip() and _VOTE_START.match(b)]
        if not self.r.votes and not blocks:
            return
        self.add("votes", "", "votes.count", len(self.r.votes), len(blocks))
        for n, (v, block) in enumerate(zip(self.r.votes, blocks, strict=False), start=1):
            self.vote(n, v, block)

    def vote(self, n: int, v: Vote, block: str) -> None:
        present = self.r.present_count
        first = _sentences(block)[0]
        self.add(
            "votes",
            first,
            f"vote[{n}].kind",
            v.kind,
            "secret" if block.lower().startswith("bỏ phiếu kín") else "open",
        )
        for field, pattern in _TALLY.items():
            sentence = _holding(block, rf"{pattern}\s+\d")
            m = re.search(
                rf"{pattern}\s+(\d+)[^;.%\d]*(?:(\d+(?:[.,]\d+)?)\s*%)?", sentence, re.IGNORECASE
            )
            self.add(
                "votes",
                sentence or first,
                f"vote[{n}].{field}",
                getattr(v, field),
                int(m.group(1)) if m else "",
            )
            if present and m:
                self.add(
                    "votes",
                    sentence,
                    f"vote[{n}].{field}.percent",
                    percent(getattr(v, field), present),
                    _percent_read(m.group(2)),
                )
        m = re.search(r"có mặt\s+(\d+)", first, re.IGNORECASE)
        self.add("votes", first, f"vote[{n}].present", present, int(m.group(1)) if m else "")
        result = _holding(block, r"Kết quả")
        found = (
            "không"
            if re.search(r"không được thông qua", result, re.I)
            else ("có" if re.search(r"được thông qua", result, re.I) else "")
        )
        self.add(
            "votes", result or first, f"vote[{n}].adopted", "có" if v.adopted else "không", found
        )
        if v.kind == "secret":
            for sentence in _sentences(block):
                # Voters are never named; a name the question itself holds (whom the ballot
                # is about) is not a voter.
                named = _names_in(sentence, self.members) - _names_in(v.question, self.members)
                self.add("votes", sentence, f"vote[{n}].names", "", ", ".join(sorted(named)))

    def tasks(self, text: str) -> None:
        lines = _sentences(text)
        for t in self.r.tasks:
            key = fold(t.title.strip().rstrip("."))
            sentence = next((s for s in lines if key in fold(s)), "")
            self.add(
                "tasks",
                sentence,
                f"task[{t.id}].assignee",
                t.assignee,
                t.assignee if t.assignee and _names_in(sentence, [t.assignee]) else "",
            )
            if t.due is not None:
                m = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", sentence)
                found = f"{int(m.group(1)):02d}/{int(m.group(2)):02d}/{m.group(3)}" if m else ""
                self.add("tasks", sentence, f"task[{t.id}].due", date_short(t.due), found)


def check_minutes(sections: Mapping[str, str], record: MeetingRecord) -> list[Mismatch]:
    """Every figure, name, date and time the text states that differs from the record (or
    that the text no longer states); empty when the minutes agree with the record."""
    c = _Checker(record)
    r = record
    if "header" in sections:
        c.dates("header", sections["header"])
    if "title" in sections:
        line = _holding(sections["title"], r"THÁNG\s+\d")
        m = re.search(r"THÁNG\s+(\d{1,2})\s+NĂM\s+(\d{4})", line, re.IGNORECASE)
        found = f"{int(m.group(1))}/{m.group(2)}" if m else ""
        c.add("title", line, "month", f"{r.month}/{r.year}", found)
    text = sections.get("time_place", "")
    c.dates("time_place", text)
    c.time("time_place", text, "bắt đầu", "start", f"{r.start.hour}:{r.start.minute:02d}")
    c.attendance(sections.get("attendance", ""))
    c.presiding(sections.get("presiding", ""))
    c.votes(sections.get("votes", ""))
    c.tasks(sections.get("tasks", ""))
    c.time(
        "closing",
        sections.get("closing", ""),
        "kết thúc",
        "end",
        f"{r.end.hour}:{r.end.minute:02d}",
    )
    return c.out
