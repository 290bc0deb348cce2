"""The minutes pipeline's input built from the database: the meeting, its unit's names,
attendance, guests, agenda, comments, closed votes (secret ones as totals only), resolutions,
tasks, the secretary's notes and the latest finished recording's transcript."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.localtime import LOCAL_TZ
from app.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceState,
    Guest,
    Meeting,
    MeetingComment,
    MeetingDocument,
)
from app.members.models import Member
from app.outcomes.models import Resolution
from app.recordings.models import Recording, RecordingStatus, TranscriptSegment
from app.tasks.models import Task, TaskSource
from app.units import service_settings as units_settings
from app.units.models import Unit
from app.votes.models import OpenChoice, Vote, VoteItem, VoteKind, VoteStatus
from pipelines import minutes as pm

# The meeting's roll as the minutes count it. A member whose state was never taken is not
# recorded present, so the minutes list them as absent without leave (the check holds the
# secretary to the roll: fix the roll, not the text).
STATE = {
    AttendanceState.present: pm.AttendanceState.present,
    AttendanceState.excused: pm.AttendanceState.absent_with_leave,
    AttendanceState.unexcused: pm.AttendanceState.absent_without_leave,
    AttendanceState.exempt: pm.AttendanceState.exempt,
}


def _local(at: datetime) -> datetime:
    return at.astimezone(LOCAL_TZ)


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Member.id, Member.full_name).where(Member.id.in_(ids)))
    return {i: n for i, n in rows}


def _item_meta(items: dict[str, Any], item_id: int) -> dict[str, Any]:
    meta = items.get(str(item_id))
    return meta if isinstance(meta, dict) else {}


def _agenda(session: Session, meeting: Meeting, items: dict[str, Any]) -> list[pm.AgendaItem]:
    rows = session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)
    ).all()
    docs = session.scalars(
        select(MeetingDocument)
        .where(MeetingDocument.meeting_id == meeting.id)
        .order_by(MeetingDocument.id)
    ).all()
    by_doc = {d.document_id: d for d in docs}
    placed = {
        int(d)
        for row in rows
        for d in _item_meta(items, row.id).get("document_ids", [])
        if isinstance(d, int)
    }
    out: list[pm.AgendaItem] = []
    for n, row in enumerate(rows):
        meta = _item_meta(items, row.id)
        ids = [d for d in meta.get("document_ids", []) if isinstance(d, int) and d in by_doc]
        if n == 0:
            # Pre-reading no item claims belongs to the first item (usually the report).
            ids += [d.document_id for d in docs if d.document_id not in placed]
        out.append(
            pm.AgendaItem(
                id=row.id,
                title=row.title,
                presenter=str(meta.get("presenter") or ""),
                conclusion=str(meta.get("conclusion") or ""),
                documents=[
                    pm.AgendaDocument(id=d, title=by_doc[d].title or f"Tài liệu {d}") for d in ids
                ],
            )
        )
    return out


def _votes(session: Session, meeting: Meeting) -> list[pm.Vote]:
    """Closed votes of the meeting, one per item, from the tallies frozen at close. A secret
    ballot gives totals only: its names are never even read."""
    votes = session.scalars(
        select(Vote)
        .where(Vote.meeting_id == meeting.id, Vote.status == VoteStatus.closed)
        .order_by(Vote.id)
    ).all()
    out: list[pm.Vote] = []
    for vote in votes:
        items = session.scalars(
            select(VoteItem).where(VoteItem.vote_id == vote.id).order_by(VoteItem.position)
        ).all()
        tallies = {int(t["item_id"]): t for t in (vote.result or {}).get("items") or []}
        names: dict[tuple[int, str], list[str]] = {}
        if vote.kind == VoteKind.open:
            rows = session.execute(
                select(OpenChoice.item_id, OpenChoice.choice, Member.full_name)
                .join(Member, Member.id == OpenChoice.member_id)
                .where(OpenChoice.vote_id == vote.id)
                .order_by(Member.name_folded, Member.id)
            ).all()
            for item_id, choice, name in rows:
                names.setdefault((item_id, choice), []).append(name)
        for item in items:
            tally = tallies.get(item.id, {})
            counts = tally.get("counts") or {}
            question = vote.title if len(items) == 1 else f"{vote.title}: {item.text}"
            out.append(
                pm.Vote(
                    id=item.id,
                    kind="secret" if vote.kind == VoteKind.secret else "open",
                    question=question,
                    agree=int(counts.get("agree", 0)),
                    disagree=int(counts.get("disagree", 0)),
                    abstain=int(counts.get("other", 0)),
                    adopted=bool(tally.get("passed", False)),
                    disagree_names=names.get((item.id, "disagree"), []),
                    abstain_names=names.get((item.id, "other"), []),
                )
            )
    return out


def _transcript(session: Session, meeting: Meeting) -> list[pm.TranscriptSegment]:
    """The latest finished recording's segments, with the secretary's corrected text and the
    speakers named on them."""
    rec_id = session.scalar(
        select(Recording.id)
        .where(Recording.meeting_id == meeting.id, Recording.status == RecordingStatus.done)
        .order_by(Recording.id.desc())
        .limit(1)
    )
    if rec_id is None:
        return []
    segs = session.scalars(
        select(TranscriptSegment)
        .where(TranscriptSegment.recording_id == rec_id)
        .order_by(TranscriptSegment.index)
    ).all()
    member_names = _names(session, {s.speaker_member_id for s in segs if s.speaker_member_id})
    return [
        pm.TranscriptSegment(
            index=s.index,
            start=s.start,
            end=s.end,
            text=s.text,
            speaker=s.speaker_name
            or (member_names.get(s.speaker_member_id, "") if s.speaker_member_id else ""),
        )
        for s in segs
        if s.text.strip()
    ]


def note_lines(notes: str) -> list[pm.NoteLine]:
    """The notes' non-blank lines, in order (the pipeline reads a leading "[2]" tag)."""
    return [pm.NoteLine(text=line.strip()) for line in notes.splitlines() if line.strip()]


def build_record(
    session: Session, *, meeting: Meeting, unit: Unit, items: dict[str, Any]
) -> pm.MeetingRecord:
    """The meeting as the minutes pipeline reads it."""
    # The unit's own printed names where it has set them (issue 17), else derived as before.
    names = units_settings.printed_names(session, unit=unit)
    rows = session.execute(
        select(Attendance, Member.full_name)
        .join(Member, Member.id == Attendance.member_id)
        .where(Attendance.meeting_id == meeting.id)
        .order_by(Member.name_folded, Member.id)
    ).all()
    attendance = [
        pm.MemberAttendance(
            member_id=a.member_id,
            name=name,
            state=STATE.get(AttendanceState(a.state), pm.AttendanceState.absent_without_leave)
            if a.state
            else pm.AttendanceState.absent_without_leave,
            reason=a.reason or "",
        )
        for a, name in rows
    ]
    guests = session.scalars(
        select(Guest).where(Guest.meeting_id == meeting.id).order_by(Guest.id)
    ).all()
    comments = session.execute(
        select(MeetingComment, Member.full_name)
        .join(Member, Member.id == MeetingComment.member_id)
        .where(MeetingComment.meeting_id == meeting.id)
        .order_by(MeetingComment.id)
    ).all()
    resolutions = session.scalars(
        select(Resolution).where(Resolution.meeting_id == meeting.id).order_by(Resolution.id)
    ).all()
    tasks = session.execute(
        select(Task, Member.full_name)
        .join(Member, Member.id == Task.assignee_member_id)
        .where(Task.source_type == TaskSource.meeting, Task.source_id == meeting.id)
        .order_by(Task.id)
    ).all()
    officers = _names(
        session, {m for m in (meeting.chair_member_id, meeting.secretary_member_id) if m}
    )
    begin = _local(meeting.started_at or meeting.starts_at)
    end_at = meeting.ends_at or meeting.closed_at
    end: time = _local(end_at).time() if end_at else begin.time()
    return pm.MeetingRecord(
        meeting_id=meeting.id,
        superior_committee=names.superior_name,
        cell_name=names.full_name,
        kind=pm.MeetingKind(meeting.kind),
        month=begin.month,
        year=begin.year,
        date=begin.date(),
        start=begin.time().replace(second=0, microsecond=0),
        end=end.replace(second=0, microsecond=0),
        place=meeting.place or "",
        chair=officers.get(meeting.chair_member_id or 0, ""),
        secretary=officers.get(meeting.secretary_member_id or 0, ""),
        attendance=attendance,
        guests=[pm.Guest(id=g.id, name=g.name, title=g.position or "") for g in guests],
        agenda=_agenda(session, meeting, items),
        comments=[
            pm.Comment(id=c.id, author=name, text=c.body, agenda_item_id=c.agenda_item_id)
            for c, name in comments
        ],
        votes=_votes(session, meeting),
        resolutions=[
            pm.Resolution(
                id=r.id,
                text=f"{r.title.strip()} ({r.number})" if r.number.strip() else r.title.strip(),
            )
            for r in resolutions
        ],
        tasks=[
            pm.Task(id=t.id, title=t.description, assignee=name, due=t.due_date)
            for t, name in tasks
        ],
    )


def build_input(
    session: Session, *, meeting: Meeting, unit: Unit, notes: str, items: dict[str, Any]
) -> pm.MinutesInput:
    """Record, notes and transcript: everything a draft is made of."""
    return pm.MinutesInput(
        record=build_record(session, meeting=meeting, unit=unit, items=items),
        notes=note_lines(notes),
        transcript=_transcript(session, meeting),
    )
