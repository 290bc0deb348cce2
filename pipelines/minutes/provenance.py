"""What a sentence's source points at, as text: the page shows it on hover, and the tests check
that it exists and holds the sentence's words."""

from __future__ import annotations

from pipelines.minutes.draft import ADOPTED, KIND_TITLE, STATE_LABEL
from pipelines.minutes.models import (
    AttendanceState,
    CommentSource,
    MinutesInput,
    NoteSource,
    RecordSource,
    Source,
    TranscriptSource,
)
from pipelines.minutes.vi import date_short, date_words, time_words


def _meeting(data: MinutesInput, field: str) -> str | None:
    r = data.record
    if field.startswith("attendance."):
        name = field.removeprefix("attendance.")
        if name == "total":
            return str(len(r.attendance))
        try:
            return str(len(r.names_in(AttendanceState(name))))
        except ValueError:
            return None
    values: dict[str, str] = {
        "date": date_words(r.date),
        "start": time_words(r.start),
        "end": time_words(r.end),
        "kind": KIND_TITLE[r.kind],
        "month": str(r.month),
        "place": r.place,
        "chair": r.chair,
        "secretary": r.secretary,
        "guests": ", ".join(g.name for g in r.guests) or "không có",
        "superior_committee": r.superior_committee,
        "cell_name": r.cell_name,
    }
    return values.get(field)


def _record(data: MinutesInput, s: RecordSource) -> str | None:
    r = data.record
    if s.table == "meeting":
        return _meeting(data, s.field)
    rows: dict[str, dict[int, dict[str, str]]] = {
        "attendance": {
            a.member_id: {"name": a.name, "reason": a.reason, "state": STATE_LABEL[a.state]}
            for a in r.attendance
        },
        "guest": {g.id: {"name": g.name, "title": g.title} for g in r.guests},
        "agenda_item": {
            a.id: {"title": a.title, "presenter": a.presenter, "conclusion": a.conclusion}
            for a in r.agenda
        },
        "document": {
            d.id: {"title": d.title, "symbol": d.symbol} for a in r.agenda for d in a.documents
        },
        "vote": {
            v.id: {
                "question": v.question,
                "agree": str(v.agree),
                "disagree": str(v.disagree),
                "abstain": str(v.abstain),
                "adopted": ADOPTED[v.adopted],
                "disagree_names": ", ".join(v.disagree_names),
                "abstain_names": ", ".join(v.abstain_names),
            }
            for v in r.votes
        },
        "resolution": {x.id: {"text": x.text} for x in r.resolutions},
        "task": {
            t.id: {
                "title": t.title,
                "assignee": t.assignee,
                "due": date_short(t.due) if t.due else "",
            }
            for t in r.tasks
        },
    }
    row = rows.get(s.table, {}).get(s.id if s.id is not None else -1)
    return None if row is None else row.get(s.field)


def source_text(source: Source, data: MinutesInput) -> str | None:
    """The text a source points at (a record value as the minutes write it, a note line, a
    comment, the transcript segments of the range); None when it points at nothing."""
    match source:
        case RecordSource():
            return _record(data, source)
        case NoteSource(line=line):
            return data.notes[line - 1].text if 1 <= line <= len(data.notes) else None
        case CommentSource(comment_id=cid):
            return next((c.text for c in data.record.comments if c.id == cid), None)
        case TranscriptSource(first_segment=a, last_segment=b):
            segs = [s for s in data.transcript if a <= s.index <= b]
            return " ".join(s.text for s in sorted(segs, key=lambda s: s.index)) if segs else None
    return None  # pragma: no cover - the union is exhaustive
