"""A held meeting with everything minutes are made of: attendance in all four states, a guest,
agenda items, a comment, a closed open vote and a closed secret vote, a resolution, a task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.permissions import Actor
from app.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceState,
    Guest,
    Meeting,
    MeetingComment,
    MeetingStatus,
)
from app.members.models import Member
from app.minutes import service, service_draft, service_review
from app.minutes.models import Minutes
from app.outcomes.models import Resolution
from app.votes.models import OpenChoice, Vote, VoteItem, VoteKind, VoteStatus
from pipelines import minutes as pm
from tests.factories.meetings import make_meeting
from tests.factories.members import make_member
from tests.factories.org import Org
from tests.factories.tasks import make_task

# 19:30 in Vietnam on 5 December 2026.
STARTS = datetime(2026, 12, 5, 12, 30, tzinfo=UTC)
ENDS = datetime(2026, 12, 5, 14, 45, tzinfo=UTC)


@dataclass
class Held:
    meeting: Meeting
    members: dict[str, Member]
    open_vote: Vote
    secret_vote: Vote


def _tally(
    item: VoteItem, agree: int, disagree: int, other: int, passed: bool
) -> dict[str, object]:
    return {
        "items": [
            {
                "item_id": item.id,
                "text": item.text,
                "counts": {"agree": agree, "disagree": disagree, "other": other},
                "passed": passed,
            }
        ]
    }


def make_vote_row(
    session: Session,
    meeting: Meeting,
    *,
    kind: VoteKind,
    title: str,
    counts: tuple[int, int, int],
    passed: bool = True,
    disagree_by: list[Member] | None = None,
) -> Vote:
    """A vote of the meeting, closed, its tally frozen as the votes domain freezes it."""
    vote = Vote(
        unit_id=meeting.unit_id,
        meeting_id=meeting.id,
        title=title,
        kind=kind,
        status=VoteStatus.closed,
        closed_at=ENDS,
    )
    session.add(vote)
    session.flush()
    item = VoteItem(vote_id=vote.id, position=1, text=title)
    session.add(item)
    session.flush()
    vote.result = _tally(item, *counts, passed)
    for member in disagree_by or []:
        session.add(
            OpenChoice(vote_id=vote.id, item_id=item.id, member_id=member.id, choice="disagree")
        )
    session.flush()
    return vote


def set_tally(session: Session, vote: Vote, agree: int, disagree: int, other: int) -> None:
    item = session.scalars(select(VoteItem).where(VoteItem.vote_id == vote.id)).one()
    vote.result = _tally(item, agree, disagree, other, True)
    session.flush()


def held_meeting(session: Session, org: Org, *, chair: str = "mem_a") -> Held:
    """A closed meeting of cell A: sec_a is its secretary, `chair` (a member) its chair."""
    unit = org.units["A"]
    m = {
        "sec_a": org.members["sec_a"],
        "mem_a": org.members["mem_a"],
        "cuc": make_member(session, unit, "Lê Thị Cúc"),
        "hai": make_member(session, unit, "Phan Văn Hải"),
        "lan": make_member(session, unit, "Đinh Thị Lan"),
        "tam": make_member(session, unit, "Võ Văn Tâm"),
    }
    meeting = make_meeting(
        session,
        unit,
        title="Sinh hoạt chi bộ tháng 12",
        status=MeetingStatus.closed,
        starts_at=STARTS,
        agenda=(
            "Đánh giá công tác tháng 11",
            "Phương hướng tháng 12",
            "Công tác phát triển đảng viên",
        ),
        ends_at=ENDS,
        secretary_member_id=m["sec_a"].id,
        chair_member_id=org.members[chair].id,
    )
    states = {
        "sec_a": (AttendanceState.present, ""),
        "mem_a": (AttendanceState.present, ""),
        "cuc": (AttendanceState.present, ""),
        "hai": (AttendanceState.excused, "ốm"),
        "lan": (AttendanceState.unexcused, ""),
        "tam": (AttendanceState.exempt, ""),
    }
    for key, (state, reason) in states.items():
        row = session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.member_id == m[key].id
            )
        )
        if row is None:
            row = Attendance(meeting_id=meeting.id, member_id=m[key].id)
            session.add(row)
        row.state, row.reason = state, reason
    session.add(Guest(meeting_id=meeting.id, name="Hồ Văn Khách", position="Đảng ủy viên"))
    first = session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)
    ).first()
    assert first is not None
    session.add(
        MeetingComment(
            meeting_id=meeting.id,
            member_id=m["cuc"].id,
            agenda_item_id=first.id,
            body="Đề nghị tăng cường kiểm tra việc thực hiện nhiệm vụ của đảng viên.",
        )
    )
    open_vote = make_vote_row(
        session,
        meeting,
        kind=VoteKind.open,
        title="Thông qua nghị quyết tháng 12",
        counts=(2, 1, 0),
        disagree_by=[m["cuc"]],
    )
    secret_vote = make_vote_row(
        session,
        meeting,
        kind=VoteKind.secret,
        title="Đề nghị kết nạp quần chúng Trương Văn Mới",
        counts=(3, 0, 0),
    )
    session.add(
        Resolution(
            unit_id=unit.id,
            meeting_id=meeting.id,
            number="12-NQ/CB",
            issued_on=date(2026, 12, 5),
            title="Nghị quyết sinh hoạt chi bộ tháng 12",
        )
    )
    task = make_task(
        session,
        unit,
        m["mem_a"],
        description="Rà soát danh sách hộ nghèo",
        start_date=date(2026, 12, 6),
        due_date=date(2026, 12, 20),
    )
    task.source_type, task.source_id = "meeting", meeting.id
    session.flush()
    return Held(meeting=meeting, members=m, open_vote=open_vote, secret_vote=secret_vote)


def drafted_minutes(
    session: Session, meeting: Meeting, *, by: Actor, state: str = "draft"
) -> Minutes:
    """Minutes of `meeting` drafted offline and brought to `state` through the services
    (`by` manages the meeting): draft, submitted or locked."""
    ctx = AuditContext(actor_account_id=by.account_id)
    service.set_notes(session, ctx, actor=by, meeting_id=meeting.id, notes="Chi bộ thống nhất cao.")
    minutes = service.find(session, meeting.id)
    assert minutes is not None
    draft = pm.draft_minutes(service.minutes_input(session, minutes))
    service_draft.store_draft(
        session, ctx, minutes=minutes, draft=draft, replace=False, author_account_id=by.account_id
    )
    if state in ("submitted", "locked"):
        service_review.submit(
            session, ctx, actor=by, meeting_id=meeting.id, override_reason="Đã đối chiếu"
        )
    if state == "locked":
        service_review.approve(session, ctx, actor=by, meeting_id=meeting.id)
    session.flush()
    return minutes
