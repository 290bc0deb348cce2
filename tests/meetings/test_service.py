"""Meeting services: lifecycle, notice, the roll, quorum maths, comments and cell isolation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.config import AuthSettings
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.permissions import Actor, load_actor
from app.meetings import service
from app.meetings import service_attendance as attendance
from app.meetings import service_comments as comments
from app.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus
from app.meetings.schemas import CommentIn, MeetingCreate, QuorumRule
from app.meetings.service_attendance import quorum_required
from app.members.models import MemberStatus
from app.notifications.models import Notification
from tests.factories.meetings import CODE, make_meeting
from tests.factories.members import make_member
from tests.factories.org import Org

CTX = AuditContext()
LIMITS = AuthSettings()


def actor(session: Session, org: Org, name: str) -> Actor:
    a = load_actor(session, org.accounts[name].id)
    assert a is not None
    return a


def new_meeting(session: Session, org: Org, **extra: object) -> Meeting:
    data = MeetingCreate(
        unit_id=org.units["A"].id,
        title="Sinh hoạt chi bộ tháng 12",
        starts_at=utcnow() + timedelta(days=3),
        place="Hội trường khu phố 1",
        agenda=[{"title": "Báo cáo tình hình"}, {"title": "Học tập nghị quyết"}],  # type: ignore[list-item]
        **extra,  # type: ignore[arg-type]
    )
    return service.create_meeting(session, CTX, actor=actor(session, org, "sec_a"), data=data)


def test_lifecycle_runs_in_order_and_refuses_skips(session: Session, org: Org) -> None:
    sec = actor(session, org, "sec_a")
    m = new_meeting(session, org)
    assert m.status == "draft" and len(m.checkin_code) == 6 and m.checkin_code.isdigit()
    with pytest.raises(Conflict):
        service.change_status(session, CTX, actor=sec, meeting_id=m.id, status=MeetingStatus.closed)
    for step in (MeetingStatus.noticed, MeetingStatus.in_progress, MeetingStatus.closed):
        service.change_status(session, CTX, actor=sec, meeting_id=m.id, status=step)
    assert m.status == "closed" and m.noticed_at and m.started_at and m.closed_at
    with pytest.raises(Conflict):
        service.change_status(
            session, CTX, actor=sec, meeting_id=m.id, status=MeetingStatus.noticed
        )
    # Nobody was recorded, so at close the invitees are "vắng không phép".
    states = set(session.scalars(select(Attendance.state).where(Attendance.meeting_id == m.id)))
    assert states == {AttendanceState.unexcused}


def test_notice_sends_one_notification_to_each_member_who_must_attend(
    session: Session, org: Org
) -> None:
    exempted = make_member(session, org.units["A"], "Ngô Văn Miễn")
    exempted.status = MemberStatus.exempted
    session.flush()
    m = new_meeting(session, org)
    assert session.scalar(select(func.count(Notification.id))) == 0
    service.change_status(
        session,
        CTX,
        actor=actor(session, org, "sec_a"),
        meeting_id=m.id,
        status=MeetingStatus.noticed,
    )
    got = session.execute(
        select(Notification.member_id, func.count())
        .where(Notification.kind == "meeting.notice")
        .group_by(Notification.member_id)
    ).all()
    assert dict(got) == {org.members["sec_a"].id: 1, org.members["mem_a"].id: 1}
    att = {
        a.member_id: a.state
        for a in session.scalars(select(Attendance).where(Attendance.meeting_id == m.id))
    }
    assert att[exempted.id] == AttendanceState.exempt
    assert org.members["mem_b"].id not in att


def test_only_officers_create_and_run_meetings(session: Session, org: Org) -> None:
    data = MeetingCreate(
        unit_id=org.units["A"].id, title="Họp", starts_at=utcnow(), place="Phòng họp"
    )
    with pytest.raises(Forbidden):
        service.create_meeting(session, CTX, actor=actor(session, org, "mem_a"), data=data)
    with pytest.raises(NotFound):
        service.create_meeting(session, CTX, actor=actor(session, org, "sec_b"), data=data)
    m = make_meeting(session, org.units["A"])
    with pytest.raises(Forbidden):
        service.change_status(
            session,
            CTX,
            actor=actor(session, org, "mem_a"),
            meeting_id=m.id,
            status=MeetingStatus.in_progress,
        )


def test_drafts_are_hidden_from_members_and_cells_are_isolated(session: Session, org: Org) -> None:
    draft = make_meeting(session, org.units["A"], status=MeetingStatus.draft)
    noticed = make_meeting(session, org.units["A"])
    mem_a, mem_b = actor(session, org, "mem_a"), actor(session, org, "mem_b")
    with pytest.raises(NotFound):
        service.get_meeting(session, actor=mem_a, meeting_id=draft.id)
    assert service.get_meeting(session, actor=mem_a, meeting_id=noticed.id)[0] is noticed
    with pytest.raises(NotFound):
        service.get_meeting(session, actor=mem_b, meeting_id=noticed.id)
    assert [m.id for m in service.list_meetings(session, actor=mem_a)] == [noticed.id]
    assert service.list_meetings(session, actor=mem_b) == []
    staff = actor(session, org, "staff_w1")
    assert {m.id for m in service.list_meetings(session, actor=staff)} == {draft.id, noticed.id}


def test_self_check_in_needs_the_right_code(session: Session, org: Org) -> None:
    m = make_meeting(session, org.units["A"], status=MeetingStatus.in_progress)
    mem = actor(session, org, "mem_a")
    with pytest.raises(Invalid):
        attendance.self_check_in(
            session, CTX, actor=mem, meeting_id=m.id, code="000000", limits=LIMITS, now=utcnow()
        )
    row = attendance.self_check_in(
        session, CTX, actor=mem, meeting_id=m.id, code=CODE, limits=LIMITS, now=utcnow()
    )
    assert row.state == "present" and row.checked_in_by_account_id is None
    # A member of another cell cannot even find the meeting.
    with pytest.raises(NotFound):
        attendance.self_check_in(
            session,
            CTX,
            actor=actor(session, org, "mem_b"),
            meeting_id=m.id,
            code=CODE,
            limits=LIMITS,
            now=utcnow(),
        )


def test_check_in_refused_on_draft_and_closed(session: Session, org: Org) -> None:
    m = make_meeting(session, org.units["A"], status=MeetingStatus.closed)
    with pytest.raises(Conflict):
        attendance.self_check_in(
            session,
            CTX,
            actor=actor(session, org, "mem_a"),
            meeting_id=m.id,
            code=CODE,
            limits=LIMITS,
            now=utcnow(),
        )


def test_proxy_check_in_is_audited(session: Session, org: Org) -> None:
    m = make_meeting(session, org.units["A"], status=MeetingStatus.in_progress)
    sec = actor(session, org, "sec_a")
    mem_id = org.members["mem_a"].id
    row = attendance.set_attendance(
        session, CTX, actor=sec, meeting_id=m.id, member_id=mem_id, state=AttendanceState.present
    )
    assert row.checked_in_by_account_id == sec.account_id
    entry = session.scalars(
        select(AuditLog).where(AuditLog.action == "meeting.attendance_set")
    ).one()
    assert entry.detail["member_id"] == mem_id and entry.detail["proxy"] is True
    with pytest.raises(Invalid):
        attendance.set_attendance(
            session,
            CTX,
            actor=sec,
            meeting_id=m.id,
            member_id=mem_id,
            state=AttendanceState.excused,
        )
    attendance.set_attendance(
        session,
        CTX,
        actor=sec,
        meeting_id=m.id,
        member_id=mem_id,
        state=AttendanceState.excused,
        reason="Đi công tác",
    )
    assert "Đi công tác" not in str(
        session.scalars(
            select(AuditLog.detail).where(AuditLog.action == "meeting.attendance_set")
        ).all()
    )
    with pytest.raises(Forbidden):
        attendance.set_attendance(
            session,
            CTX,
            actor=actor(session, org, "mem_a"),
            meeting_id=m.id,
            member_id=mem_id,
            state=AttendanceState.present,
        )


@pytest.mark.parametrize(
    ("base", "num", "den", "strict", "required"),
    [
        (3, 2, 3, True, 3),  # more than 2/3 of 3: all three
        (6, 2, 3, True, 5),  # 4 is exactly 2/3, not more
        (7, 2, 3, True, 5),
        (6, 1, 2, True, 4),
        (6, 1, 2, False, 3),
        (7, 1, 2, False, 4),
        (0, 2, 3, True, 0),
    ],
)
def test_quorum_required(base: int, num: int, den: int, strict: bool, required: int) -> None:
    assert quorum_required(base, num, den, strict) == required


def _cell_of(session: Session, org: Org, n: int, exempt: int) -> None:
    for i in range(n):
        make_member(session, org.units["A"], f"Đảng viên Số {i}")
    for i in range(exempt):
        m = make_member(session, org.units["A"], f"Đảng viên Miễn {i}")
        m.status = MemberStatus.exempted
    session.flush()


def test_default_quorum_excludes_the_exempt(session: Session, org: Org) -> None:
    _cell_of(session, org, 4, 3)  # 6 must attend (sec_a, mem_a + 4), 3 exempt
    m = make_meeting(session, org.units["A"], status=MeetingStatus.in_progress)
    sec = actor(session, org, "sec_a")
    q = attendance.quorum(session, m)
    assert (q.invited, q.exempt, q.base, q.required, q.reached) == (9, 3, 6, 5, False)
    ids = [
        a.member_id
        for a in session.scalars(
            select(Attendance).where(Attendance.meeting_id == m.id, Attendance.state.is_(None))
        )
    ]
    for mid in ids[:4]:
        attendance.set_attendance(
            session, CTX, actor=sec, meeting_id=m.id, member_id=mid, state=AttendanceState.present
        )
    assert not attendance.quorum(session, m).reached  # 4 of 6 is exactly 2/3
    attendance.set_attendance(
        session, CTX, actor=sec, meeting_id=m.id, member_id=ids[4], state=AttendanceState.present
    )
    assert attendance.quorum(session, m).reached
    must, exempt = attendance.list_attendance(session, actor=sec, meeting_id=m.id)
    assert (len(must), len(exempt)) == (6, 3)


def test_custom_quorum_rule(session: Session, org: Org) -> None:
    _cell_of(session, org, 2, 2)  # 4 must attend, 2 exempt
    m = make_meeting(
        session,
        org.units["A"],
        status=MeetingStatus.in_progress,
        quorum_numerator=1,
        quorum_denominator=2,
        quorum_strict=False,
        quorum_base="all_members",
    )
    q = attendance.quorum(session, m)
    assert (q.base, q.required) == (6, 3)
    assert q.rule == QuorumRule(numerator=1, denominator=2, strict=False, base="all_members")  # type: ignore[arg-type]


def test_all_present_is_one_click_and_keeps_leave_and_exempt(session: Session, org: Org) -> None:
    _cell_of(session, org, 2, 1)
    m = make_meeting(session, org.units["A"], status=MeetingStatus.in_progress)
    sec = actor(session, org, "sec_a")
    attendance.set_attendance(
        session,
        CTX,
        actor=sec,
        meeting_id=m.id,
        member_id=org.members["mem_a"].id,
        state=AttendanceState.excused,
        reason="Ốm",
    )
    assert attendance.mark_all_present(session, CTX, actor=sec, meeting_id=m.id) == 3
    q = attendance.quorum(session, m)
    assert (q.present, q.excused, q.exempt, q.not_recorded) == (3, 1, 1, 0)


def test_comments_are_grouped_for_the_secretary(session: Session, org: Org) -> None:
    m = make_meeting(session, org.units["A"])
    items = service.agenda(session, m.id)
    mem, sec = actor(session, org, "mem_a"), actor(session, org, "sec_a")
    comments.add_comment(
        session,
        CTX,
        actor=mem,
        meeting_id=m.id,
        data=CommentIn(body="Ý kiến 1", agenda_item_id=items[1].id),
    )
    comments.add_comment(
        session,
        CTX,
        actor=sec,
        meeting_id=m.id,
        data=CommentIn(body="Ý kiến 2", agenda_item_id=items[1].id),
    )
    comments.add_comment(
        session, CTX, actor=mem, meeting_id=m.id, data=CommentIn(body="Kiến nghị", kind="proposal")
    )  # type: ignore[arg-type]
    _, groups = comments.grouped_comments(session, actor=sec, meeting_id=m.id)
    assert [(g.key, len(g.comments)) for g in groups] == [
        (f"agenda:{items[1].id}", 2),
        ("general", 1),
    ]
    _, own = comments.grouped_comments(session, actor=mem, meeting_id=m.id)
    assert sum(len(g.comments) for g in own) == 2
    with pytest.raises(Invalid):
        comments.add_comment(
            session, CTX, actor=mem, meeting_id=m.id, data=CommentIn(body="x", agenda_item_id=10**6)
        )
    with pytest.raises(NotFound):
        comments.add_comment(
            session,
            CTX,
            actor=actor(session, org, "mem_b"),
            meeting_id=m.id,
            data=CommentIn(body="x"),
        )
