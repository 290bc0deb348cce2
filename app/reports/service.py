"""Builds a unit's report from meetings, attendance, document reads, closed votes and tasks."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.db import utcnow
from app.core.errors import Invalid
from app.core.localtime import LOCAL_TZ, local_today
from app.core.permissions import Actor, Perm
from app.documents.models import Document, DocumentRead, DocumentStatus
from app.documents.service_audience import recipient_ids_query
from app.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus
from app.members.models import Member
from app.reports.schemas import (
    DocumentReads,
    MeetingAttendance,
    MonthAttendance,
    UnitReport,
    VoteResult,
)
from app.tasks import service as tasks_service
from app.units import service as units_service
from app.units import service_settings as units_settings
from app.units.models import Unit
from app.votes import service as votes_service
from app.votes.models import Vote, VoteStatus

MAX_DAYS = 3 * 366  # a report spans at most about three years
MAX_ROWS = 500  # per section; a cell holds a meeting a month, a ward a few hundred a year


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """The period as UTC instants: local midnight of the first day to local midnight after the last."""
    start = datetime.combine(date_from, time(0), tzinfo=LOCAL_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)
    return start, end


def _in_subtree(unit: Unit) -> ColumnElement[bool]:
    return Unit.path.startswith(unit.path, autoescape=True)


def attendance(
    session: Session, unit: Unit, start: datetime, end: datetime
) -> tuple[list[MeetingAttendance], list[MonthAttendance]]:
    """Per held meeting and per local month: present over those who must attend (not exempt)."""
    meetings = session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at)
        .join(Unit, Unit.id == Meeting.unit_id)
        .where(
            _in_subtree(unit),
            Meeting.status.in_([MeetingStatus.in_progress.value, MeetingStatus.closed.value]),
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(MAX_ROWS)
    ).all()
    counts: dict[int, dict[str | None, int]] = defaultdict(dict)
    if meetings:
        for mid, state, n in session.execute(
            select(Attendance.meeting_id, Attendance.state, func.count())
            .where(Attendance.meeting_id.in_([m.id for m in meetings]))
            .group_by(Attendance.meeting_id, Attendance.state)
        ):
            counts[mid][state] = n
    per_meeting: list[MeetingAttendance] = []
    months: dict[str, list[MeetingAttendance]] = defaultdict(list)
    for m in meetings:
        c = counts[m.id]
        exempt = c.get(AttendanceState.exempt.value, 0)
        must = sum(c.values()) - exempt
        present = c.get(AttendanceState.present.value, 0)
        local = m.starts_at.astimezone(LOCAL_TZ)
        row = MeetingAttendance(
            meeting_id=m.id,
            title=m.title,
            held_on=local.date(),
            must_attend=must,
            present=present,
            excused=c.get(AttendanceState.excused.value, 0),
            unexcused=c.get(AttendanceState.unexcused.value, 0),
            exempt=exempt,
            rate=_pct(present, must),
        )
        per_meeting.append(row)
        months[local.strftime("%Y-%m")].append(row)
    per_month = [
        MonthAttendance(
            month=month,
            meetings=len(rows),
            must_attend=sum(r.must_attend for r in rows),
            present=sum(r.present for r in rows),
            rate=_pct(sum(r.present for r in rows), sum(r.must_attend for r in rows)),
        )
        for month, rows in sorted(months.items())
    ]
    return per_meeting, per_month


def document_reads(
    session: Session, unit: Unit, start: datetime, end: datetime
) -> list[DocumentReads]:
    """Documents published in the period by this unit, a unit below or above it, read by its members.

    Counts only the members of this unit's subtree whom each document addressed.
    """
    ancestors = [int(p) for p in unit.path.strip("/").split("/") if p]
    issuers = select(Unit.id).where(or_(_in_subtree(unit), Unit.id.in_(ancestors)))
    docs = session.execute(
        select(Document.id, Document.number, Document.title, Document.published_at)
        .where(
            Document.unit_id.in_(issuers),
            Document.status == DocumentStatus.published.value,
            Document.published_at >= start,
            Document.published_at < end,
        )
        .order_by(Document.published_at, Document.id)
        .limit(MAX_ROWS)
    ).all()
    out: list[DocumentReads] = []
    for d in docs:
        recipients = recipient_ids_query(session, d.id).subquery()
        total, read = session.execute(
            select(func.count(Member.id), func.count(DocumentRead.id))
            .select_from(Member)
            .join(recipients, recipients.c[0] == Member.id)
            .join(Unit, Unit.id == Member.unit_id)
            .outerjoin(
                DocumentRead,
                and_(DocumentRead.document_id == d.id, DocumentRead.member_id == Member.id),
            )
            .where(_in_subtree(unit))
        ).one()
        if not total:
            continue
        out.append(
            DocumentReads(
                document_id=d.id,
                number=d.number or "",
                title=d.title,
                published_on=d.published_at.astimezone(LOCAL_TZ).date() if d.published_at else None,
                recipients=total,
                read=read,
                rate=_pct(read, total),
            )
        )
    return out


def vote_results(
    session: Session, actor: Actor, unit: Unit, start: datetime, end: datetime
) -> list[VoteResult]:
    """Closed votes of the unit's subtree only: secret-ballot results never show before close."""
    votes = session.scalars(
        select(Vote)
        .join(Unit, Unit.id == Vote.unit_id)
        .where(
            _in_subtree(unit),
            Vote.status == VoteStatus.closed.value,
            Vote.closed_at >= start,
            Vote.closed_at < end,
        )
        .order_by(Vote.closed_at, Vote.id)
        .limit(MAX_ROWS)
    ).all()
    out: list[VoteResult] = []
    for vote in votes:
        tally = votes_service.tally(session, actor=actor, vote_id=vote.id)
        closed_on = vote.closed_at.astimezone(LOCAL_TZ).date() if vote.closed_at else None
        # Counts per item only: no voters, and no free-text comments, which could identify them.
        for item in tally.items or []:
            out.append(
                VoteResult(
                    vote_id=vote.id,
                    vote_title=vote.title,
                    item=item.text,
                    closed_on=closed_on,
                    agree=item.counts.get("agree", 0),
                    disagree=item.counts.get("disagree", 0),
                    other=item.counts.get("other", 0),
                    passed=item.passed,
                )
            )
    return out


def unit_report(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    unit_id: int,
    date_from: date | None = None,
    date_to: date | None = None,
    purpose: str = "view",
) -> UnitReport:
    """The report of a unit the actor oversees, over a period (default: the last twelve months)."""
    unit = units_service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.report_view)
    date_to = date_to or local_today()
    date_from = date_from or (date_to - timedelta(days=365))
    if date_from > date_to:
        raise Invalid("Ngày bắt đầu phải trước ngày kết thúc")
    if (date_to - date_from).days > MAX_DAYS:
        raise Invalid("Báo cáo chỉ lấy tối đa ba năm")
    start, end = _bounds(date_from, date_to)
    per_meeting, per_month = attendance(session, unit, start, end)
    report = UnitReport(
        unit_id=unit.id,
        # The name the unit's papers print (its full name when set): the export leaves as one.
        unit_name=units_settings.printed_names(session, unit=unit).full_name,
        date_from=date_from,
        date_to=date_to,
        generated_at=utcnow(),
        meetings=per_meeting,
        months=per_month,
        documents=document_reads(session, unit, start, end),
        votes=vote_results(session, actor, unit, start, end),
        tasks=tasks_service.stats_for_unit(session, unit=unit),
    )
    if purpose != "view":
        # An export leaves the system as a file, so who took it is worth recording.
        record(
            session,
            ctx,
            "report.export",
            object_type="unit",
            object_id=unit.id,
            unit_id=unit.id,
            detail={"format": purpose, "from": date_from.isoformat(), "to": date_to.isoformat()},
        )
    return report
