"""A month in the life of the demo's Chi bộ Khu phố 1, made through the services so every row is
what the app itself would write: a held meeting with all the minutes are made of (chair and
secretary, a roll in every state, a guest, three agenda items each with its presenter and
pre-reading, members' comments, an open and a secret vote with fixed tallies, a resolution and
graded tasks); the next meeting noticed with its pre-reading; an open vote; and feedback
threads. Created once (the held meeting's title is the marker), drawn from a seed."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import demo_data as D
from app.accounts.models import Account, Role
from app.core.audit import AuditContext
from app.core.localtime import LOCAL_TZ
from app.core.permissions import Actor, Grant, load_actor
from app.documents.models import Document
from app.feedback import service as feedback_service
from app.feedback.models import TargetType
from app.meetings import service as meetings_service
from app.meetings import service_attendance as attendance
from app.meetings import service_comments as comments_service
from app.meetings.models import AttendanceState, CommentKind, Meeting, MeetingStatus
from app.meetings.schemas import AgendaItemIn, CommentIn, MeetingCreate
from app.members.models import Member, MemberStatus
from app.outcomes import service as outcomes_service
from app.outcomes.schemas import ResolutionCreate
from app.tasks import service as tasks_service
from app.tasks.models import Task, TaskGrade, TaskSource, TaskStatus
from app.tasks.schemas import BatchGradeItem, TaskCreate
from app.units.models import Unit
from app.votes import service as votes_service
from app.votes.models import Choice, VoteKind
from app.votes.schemas import Answer, VoteCreate

CELL = "HL-BD-KP1"
SECRETARY = "bithu.kp1"
MEMBER = "dangvien.kp1"
PLACE = "Nhà văn hóa Khu phố 1, phường Bến Đò"
AGENDA = [
    "Thông tin thời sự, văn bản mới của cấp trên",
    "Đánh giá kết quả thực hiện nghị quyết tháng trước",
    "Xét đề nghị công nhận đảng viên chính thức",
    "Thảo luận, biểu quyết nghị quyết tháng",
    "Phân công nhiệm vụ tháng tới",
]
# The held meeting's three items: (title, pre-reading document's number); each presenter is
# named in the item's description, which is where the record keeps it.
HELD_AGENDA = [
    ("Đánh giá thực hiện nghị quyết tháng trước, phương hướng tháng tới", "08-KH/ĐU"),
    ("Quán triệt Quy định 12-QĐ/TU về đảng phí", "12-QĐ/TU"),
    ("Xét công nhận đảng viên chính thức, kết nạp đảng viên", "12-QĐ/TU"),
]
GUEST = ("Hoàng Minh Tuấn", "Đảng ủy viên phường")
LEAVE_REASONS = ["Đi công tác", "Ốm, đang điều trị", "Việc gia đình"]
TASKS = [
    "Vận động hộ gia đình đăng ký tuyến phố văn minh",
    "Đôn đốc thu đảng phí quý IV và nộp lên Đảng ủy phường",
    "Tổng hợp ý kiến của nhân dân về chỉnh trang vỉa hè",
    "Chuẩn bị báo cáo kết quả thực hiện nghị quyết tháng",
    "Thăm hỏi đảng viên cao tuổi nhân dịp 22 tháng 12",
]


def held_title(month: int) -> str:
    return f"Sinh hoạt chi bộ thường kỳ tháng {month}"


def add_month_of_life(session: Session, today: date) -> bool:
    """Create the month's meetings, votes, resolution, tasks and threads unless already there."""
    cell = session.scalar(select(Unit).where(Unit.code == CELL))
    sec = _actor(session, SECRETARY)
    mem = _actor(session, MEMBER)
    if cell is None or sec is None or mem is None:
        return False
    held_on = today - timedelta(days=25)
    title = held_title(held_on.month)
    if session.scalar(select(Meeting.id).where(Meeting.unit_id == cell.id, Meeting.title == title)):
        return False
    life = _Life(session, cell, sec, mem, random.Random(D.SEED + 12))
    held = life.held_meeting(title, held_on)
    life.tasks(held, held_on, today)
    upcoming = life.upcoming_meeting(today)
    life.open_vote(today)
    life.feedback(upcoming)
    return True


def _actor(session: Session, username: str) -> Actor | None:
    account_id = session.scalar(select(Account.id).where(func.lower(Account.username) == username))
    return load_actor(session, account_id) if account_id is not None else None


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


class _Life:
    def __init__(
        self, session: Session, cell: Unit, sec: Actor, mem: Actor, rng: random.Random
    ) -> None:
        self.session, self.cell, self.sec, self.mem, self.rng = session, cell, sec, mem, rng
        self.ctx = AuditContext(actor_account_id=sec.account_id, ip="cli")
        self.members = list(
            session.scalars(
                select(Member)
                .where(Member.unit_id == cell.id, Member.status == MemberStatus.active)
                .order_by(Member.dossier_number)
            )
        )

    def _voter(self, member: Member) -> Actor:
        """A member casting their own ballot: the account they would sign in with, or (for the
        many without one) the same member seen by the service without an account."""
        if member.id == self.mem.member_id:
            return self.mem
        if member.id == self.sec.member_id:
            return self.sec
        grant = Grant(self.cell.id, self.cell.path, Role.member)
        return Actor(0, "demo", member.id, self.cell.id, (grant,))

    def _documents(self) -> list[int]:
        numbers = ("12-QĐ/TU", "08-KH/ĐU")
        ids = self.session.scalars(select(Document.id).where(Document.number.in_(numbers)))
        return sorted(ids)

    # --- the meeting held last month --------------------------------------------------------
    def held_meeting(self, title: str, day: date) -> Meeting:
        s, sec, ctx = self.session, self.sec, self.ctx
        # By dossier number, never drawn: the clerk (thư ký), two presenters, three speakers.
        others = [m for m in self.members if m.id not in (sec.member_id, self.mem.member_id)]
        clerk, speakers = others[0], others[3:6]
        chair = next(m for m in self.members if m.id == sec.member_id)
        presenters = [chair, others[1], others[2]]
        data = MeetingCreate(
            unit_id=self.cell.id,
            title=title,
            starts_at=_at(day, 19, 30),
            ends_at=_at(day, 21, 0),
            place=PLACE,
            chair_member_id=chair.id,
            secretary_member_id=clerk.id,
            agenda=[
                AgendaItemIn(title=t, description=self._item_note(who, number))
                for (t, number), who in zip(HELD_AGENDA, presenters, strict=True)
            ],
            document_ids=self._documents(),
        )
        meeting = meetings_service.create_meeting(s, ctx, actor=sec, data=data)
        meetings_service.change_status(
            s, ctx, actor=sec, meeting_id=meeting.id, status=MeetingStatus.noticed
        )
        items = meetings_service.agenda(s, meeting.id)
        self.comments(meeting, [i.id for i in items], speakers)
        meetings_service.change_status(
            s, ctx, actor=sec, meeting_id=meeting.id, status=MeetingStatus.in_progress
        )
        must, _exempt = attendance.list_attendance(s, actor=sec, meeting_id=meeting.id)
        keep = {sec.member_id, self.mem.member_id, clerk.id, *(m.id for m in presenters)}
        keep |= {m.id for m in speakers}
        away = self.rng.sample([r for r in must if r.member_id not in keep], 4)
        for row, reason in zip(away[:3], LEAVE_REASONS, strict=True):
            attendance.set_attendance(
                s,
                ctx,
                actor=sec,
                meeting_id=meeting.id,
                member_id=row.member_id,
                state=AttendanceState.excused,
                reason=reason,
            )
        attendance.set_attendance(
            s,
            ctx,
            actor=sec,
            meeting_id=meeting.id,
            member_id=away[3].member_id,
            state=AttendanceState.unexcused,
        )
        attendance.mark_all_present(s, ctx, actor=sec, meeting_id=meeting.id)
        attendance.add_guest(
            s, ctx, actor=sec, meeting_id=meeting.id, name=GUEST[0], position=GUEST[1]
        )
        present = [m for m in self.members if m.id not in {r.member_id for r in away}]
        self.show_of_hands(meeting, day, present)
        self.secret_ballot(meeting, present)
        meetings_service.change_status(
            s, ctx, actor=sec, meeting_id=meeting.id, status=MeetingStatus.closed
        )
        outcomes_service.issue_resolution(
            s,
            ctx,
            actor=sec,
            meeting_id=meeting.id,
            data=ResolutionCreate(
                number=f"{day.month:02d}-NQ/CB",
                issued_on=day,
                title=f"Nghị quyết sinh hoạt chi bộ tháng {day.month} năm {day.year}",
                summary=(
                    "1. Tiếp tục vận động nhân dân giữ gìn vệ sinh, trật tự đô thị.\n"
                    "2. Hoàn thành thu đảng phí quý IV đúng hạn.\n"
                    "3. Mỗi đảng viên nhận ít nhất một nhiệm vụ cụ thể trong tháng."
                ),
            ),
        )
        return meeting

    @staticmethod
    def _item_note(presenter: Member, number: str) -> str:
        # Short: the secretary's meeting page keeps under 3,000 px on a phone.
        return f"Trình bày: đồng chí {presenter.full_name}. Tài liệu đọc trước: {number}."

    def comments(
        self,
        meeting: Meeting,
        item_ids: list[int],
        speakers: list[Member],
    ) -> None:
        """Opinions sent before the meeting: one on each agenda item, and the member's own."""
        probationary = next((m for m in self.members if m.official_date is None), None)
        who = probationary.full_name if probationary else "Nguyễn Văn Bình"
        regulation = self.session.scalar(
            select(Document.id).where(Document.number == HELD_AGENDA[1][1])
        )
        said = [
            (
                speakers[0],
                CommentIn(
                    body="Đề nghị bổ sung chỉ tiêu vận động hộ gia đình đăng ký tuyến phố văn minh.",
                    agenda_item_id=item_ids[0],
                ),
            ),
            (
                speakers[1],
                CommentIn(
                    kind=CommentKind.proposal,
                    body="Đề nghị cho đảng viên cao tuổi, đi làm xa được đóng đảng phí gộp theo quý.",
                    agenda_item_id=item_ids[1],
                    document_id=regulation,
                ),
            ),
            (
                speakers[2],
                CommentIn(
                    body=f"Đồng chí {who} gương mẫu trong công tác khu phố, tôi đồng ý đề nghị "
                    "công nhận đảng viên chính thức.",
                    agenda_item_id=item_ids[2],
                ),
            ),
        ]
        member = next((m for m in self.members if m.id == self.mem.member_id), None)
        if member is not None:
            said.append(
                (
                    member,
                    CommentIn(
                        body="Đề nghị chi bộ hướng dẫn đảng viên lớn tuổi dùng ứng dụng Sổ Tay."
                    ),
                )
            )
        for speaker, data in said:
            comments_service.add_comment(
                self.session,
                AuditContext(ip="cli"),
                actor=self._voter(speaker),
                meeting_id=meeting.id,
                data=data,
            )

    def show_of_hands(self, meeting: Meeting, day: date, present: list[Member]) -> None:
        """The month's resolution by show of hands: one against, one other, the rest for."""
        s, sec, ctx = self.session, self.sec, self.ctx
        data = VoteCreate(
            unit_id=self.cell.id,
            meeting_id=meeting.id,
            title=f"Biểu quyết thông qua nghị quyết tháng {day.month}",
            kind=VoteKind.open,
            items=[f"Thông qua nghị quyết sinh hoạt chi bộ tháng {day.month} năm {day.year}"],
        )
        vote = votes_service.create_vote(s, ctx=ctx, actor=sec, data=data)
        votes_service.open_vote(s, ctx=ctx, actor=sec, vote_id=vote.id)
        (item,) = votes_service.list_items(s, vote_id=vote.id)
        for n, member in enumerate(present):
            choice = {4: Choice.disagree, 6: Choice.other}.get(n, Choice.agree)
            votes_service.cast(
                s,
                ctx=AuditContext(ip="cli"),
                actor=self._voter(member),
                vote_id=vote.id,
                answers=[
                    Answer(
                        item_id=item.id,
                        choice=choice,
                        comment="Đề nghị bổ sung chỉ tiêu cụ thể" if choice == Choice.other else "",
                    )
                ],
            )
        votes_service.close_vote(s, ctx=ctx, actor=sec, vote_id=vote.id)

    def secret_ballot(self, meeting: Meeting, present: list[Member]) -> None:
        """Two personnel items by secret ballot; fixed tallies: on the first one against and one
        other, on the second one against, the rest for."""
        s, sec, ctx = self.session, self.sec, self.ctx
        probationary = next((m for m in self.members if m.official_date is None), None)
        who = probationary.full_name if probationary else "Nguyễn Văn Bình"
        data = VoteCreate(
            unit_id=self.cell.id,
            meeting_id=meeting.id,
            title="Bỏ phiếu kín: công nhận đảng viên chính thức",
            kind=VoteKind.secret,
            items=[
                f"Đề nghị công nhận đảng viên chính thức đối với đồng chí {who}",
                "Đề nghị kết nạp quần chúng Lê Thị Thu Hà vào Đảng",
            ],
        )
        vote = votes_service.create_vote(s, ctx=ctx, actor=sec, data=data)
        votes_service.open_vote(s, ctx=ctx, actor=sec, vote_id=vote.id)
        items = votes_service.list_items(s, vote_id=vote.id)
        for n, member in enumerate(present):
            first = {2: Choice.disagree, 5: Choice.other}.get(n, Choice.agree)
            second = Choice.disagree if n == 8 else Choice.agree
            answers = [
                Answer(
                    item_id=items[0].id,
                    choice=first,
                    comment="Cần thêm thời gian thử thách" if first == Choice.other else "",
                ),
                Answer(item_id=items[1].id, choice=second),
            ]
            votes_service.cast(
                s,
                ctx=AuditContext(ip="cli"),
                actor=self._voter(member),
                vote_id=vote.id,
                answers=answers,
            )
        votes_service.close_vote(s, ctx=ctx, actor=sec, vote_id=vote.id)

    # --- tasks from the held meeting --------------------------------------------------------
    def tasks(self, meeting: Meeting, held_on: date, today: date) -> None:
        s, sec, ctx = self.session, self.sec, self.ctx
        others = [m for m in self.members if m.id not in (sec.member_id, self.mem.member_id)]
        assignees = [self.mem.member_id, *(m.id for m in self.rng.sample(others, 3))]
        assignees.append(self.mem.member_id)
        made: list[Task] = []
        for text, member_id in zip(TASKS, assignees, strict=True):
            assert member_id is not None
            task = tasks_service.create_task(
                s,
                ctx,
                actor=sec,
                data=TaskCreate(
                    unit_id=self.cell.id,
                    assignee_member_id=member_id,
                    description=text,
                    start_date=held_on,
                    due_date=today + timedelta(days=10)
                    if len(made) >= 3
                    else held_on + timedelta(days=20),
                    source_type=TaskSource.meeting,
                    source_id=meeting.id,
                ),
            )
            made.append(task)
        # Three done and graded, one under way (the member's), one just assigned.
        for task in made[:3]:
            tasks_service.advance_task(s, ctx, actor=sec, task_id=task.id, to=TaskStatus.done)
        tasks_service.advance_task(s, ctx, actor=sec, task_id=made[4].id, to=TaskStatus.in_progress)
        grades = [
            (TaskGrade.HTT, "Hoàn thành đúng hạn, vận động được 42 hộ"),
            (TaskGrade.XS, "Nộp đủ, sớm 3 ngày"),
            (TaskGrade.HT, ""),
        ]
        tasks_service.grade_tasks(
            s,
            ctx,
            actor=sec,
            items=[
                BatchGradeItem(task_id=t.id, grade=g, note=n)
                for t, (g, n) in zip(made[:3], grades, strict=True)
            ],
        )

    # --- what comes next -----------------------------------------------------------------------
    def upcoming_meeting(self, today: date) -> Meeting:
        s, sec, ctx = self.session, self.sec, self.ctx
        day = today + timedelta(days=4)
        title = held_title(day.month)
        if title == held_title((today - timedelta(days=25)).month):
            title = f"Sinh hoạt chi bộ chuyên đề tháng {day.month}"
        data = MeetingCreate(
            unit_id=self.cell.id,
            title=title,
            starts_at=_at(day, 19, 30),
            ends_at=_at(day, 21, 0),
            place=PLACE,
            agenda=[AgendaItemIn(title=t) for t in AGENDA[:2] + AGENDA[3:]],
            document_ids=self._documents(),
        )
        meeting = meetings_service.create_meeting(s, ctx, actor=sec, data=data)
        meetings_service.change_status(
            s, ctx, actor=sec, meeting_id=meeting.id, status=MeetingStatus.noticed
        )
        return meeting

    def open_vote(self, today: date) -> None:
        s, sec, ctx = self.session, self.sec, self.ctx
        data = VoteCreate(
            unit_id=self.cell.id,
            title="Lấy ý kiến: chọn ngày ra quân vệ sinh khu phố",
            kind=VoteKind.open,
            items=["Sáng Chủ nhật đầu tháng", "Chiều thứ Bảy cuối tháng"],
            closes_at=_at(today + timedelta(days=6), 21, 0),
        )
        vote = votes_service.create_vote(s, ctx=ctx, actor=sec, data=data)
        votes_service.open_vote(s, ctx=ctx, actor=sec, vote_id=vote.id)
        items = votes_service.list_items(s, vote_id=vote.id)
        others = [m for m in self.members if m.id not in (sec.member_id, self.mem.member_id)]
        for member in self.rng.sample(others, min(9, len(others))):
            answers = [
                Answer(item_id=i.id, choice=self.rng.choice([Choice.agree, Choice.disagree]))
                for i in items
            ]
            votes_service.cast(
                s,
                ctx=AuditContext(ip="cli"),
                actor=self._voter(member),
                vote_id=vote.id,
                answers=answers,
            )

    def feedback(self, upcoming: Meeting) -> None:
        s, mem = self.session, self.mem
        ctx = AuditContext(actor_account_id=mem.account_id, ip="cli")
        regulation = self.session.scalar(select(Document.id).where(Document.number == "12-QĐ/TU"))
        if regulation is not None:
            thread = feedback_service.open_thread(
                s,
                ctx,
                actor=mem,
                target_type=TargetType.document,
                target_id=regulation,
                title="Hỏi về hạn nộp đảng phí",
                body=(
                    "Điều 4 nói chi bộ nộp đảng phí trước ngày 10 của tháng kế tiếp. "
                    "Đảng viên đi làm xa có thể đóng gộp ba tháng một lần không?"
                ),
            )
            feedback_service.reply(
                s,
                self.ctx,
                actor=self.sec,
                thread_id=thread.id,
                body=(
                    "Đồng chí có thể đóng trước nhiều tháng; chi bộ vẫn ghi sổ theo từng tháng "
                    "và nộp lên Đảng ủy phường đúng hạn."
                ),
            )
        feedback_service.open_thread(
            s,
            ctx,
            actor=mem,
            target_type=TargetType.meeting,
            target_id=upcoming.id,
            title="Đề nghị bàn thêm việc chỉnh trang vỉa hè",
            body="Nhiều hộ trên đường Lê Lợi hỏi về kế hoạch lát lại vỉa hè; đề nghị chi bộ đưa vào nội dung họp.",
        )
