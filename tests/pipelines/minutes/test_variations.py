"""A table of record variations: each draft states every count, name and vote figure of its
record exactly, passes its own consistency check, and every sentence's provenance resolves
to data that holds its words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from pipelines.minutes import (
    AgendaItem,
    AttendanceState,
    Guest,
    MeetingKind,
    MemberAttendance,
    MinutesInput,
    Vote,
    check_minutes,
    draft_minutes,
)
from tests.pipelines.minutes.fixtures import meeting
from tests.pipelines.minutes.helpers import assert_figures, assert_provenance

P, L, U, E = (
    AttendanceState.present,
    AttendanceState.absent_with_leave,
    AttendanceState.absent_without_leave,
    AttendanceState.exempt,
)


def _all(state: AttendanceState, votes: bool = False) -> Callable[[MinutesInput], None]:
    def change(d: MinutesInput) -> None:
        for a in d.record.attendance:
            a.state, a.reason = state, ("ốm" if state is L else "")
        if not votes:
            d.record.votes = []

    return change


def _vote(
    agree: int, disagree: int, abstain: int, *, present: int, kind: str = "open"
) -> Callable[[MinutesInput], None]:
    def change(d: MinutesInput) -> None:
        for i, a in enumerate(d.record.attendance):
            a.state = P if i < present else L
        d.record.votes = [
            Vote(
                id=1,
                kind="open" if kind == "open" else "secret",
                question="Thông qua nghị quyết tháng",
                agree=agree,
                disagree=disagree,
                abstain=abstain,
                adopted=agree * 2 > present,
            )
        ]

    return change


def _one_member(d: MinutesInput) -> None:
    d.record.attendance = [MemberAttendance(member_id=1, name="Nguyễn Văn An", state=P)]
    d.record.votes = [
        Vote(
            id=1,
            kind="open",
            question="Thông qua nghị quyết",
            agree=1,
            disagree=0,
            abstain=0,
            adopted=True,
        )
    ]
    d.record.secretary = "Nguyễn Văn An"
    d.record.tasks[0].assignee = "Nguyễn Văn An"


def _big_cell(d: MinutesInput) -> None:
    d.record.attendance = [
        MemberAttendance(
            member_id=i,
            name=f"Đảng viên Số{chr(0x41 + i % 26)}{chr(0x61 + i // 26)}",
            state=[P, P, P, L, U, E][i % 6],
            reason="bận việc gia đình" if i % 6 == 3 else "",
        )
        for i in range(40)
    ]
    d.record.votes = [
        Vote(
            id=1,
            kind="secret",
            question="Bầu bí thư chi bộ",
            agree=19,
            disagree=1,
            abstain=0,
            adopted=True,
        ),
        Vote(
            id=2,
            kind="open",
            question="Thông qua chương trình công tác",
            agree=20,
            disagree=0,
            abstain=0,
            adopted=True,
        ),
    ]


def _similar_names(d: MinutesInput) -> None:
    d.record.attendance.append(MemberAttendance(member_id=50, name="Nguyễn Văn Anh", state=U))
    d.record.attendance.append(
        MemberAttendance(member_id=51, name="Nguyễn Văn A", state=L, reason="nằm viện")
    )


def _set(**fields: object) -> Callable[[MinutesInput], None]:
    def change(d: MinutesInput) -> None:
        for k, v in fields.items():
            setattr(d.record, k, v)

    return change


def _inputs(notes: bool, comments: bool, transcript: bool) -> Callable[[MinutesInput], None]:
    def change(d: MinutesInput) -> None:
        if not notes:
            d.notes = []
        if not comments:
            d.record.comments = []
        if not transcript:
            d.transcript = []

    return change


def _names_in_secret(d: MinutesInput) -> None:
    d.record.votes[1].disagree_names = ["Đặng Văn Hải"]
    d.record.votes[1].abstain_names = ["Bùi Thị Hoa"]


def _many_guests(d: MinutesInput) -> None:
    d.record.guests = [
        Guest(id=i, name=f"Khách Mời {c}", title="đại diện Mặt trận") for i, c in enumerate("ABC")
    ]


def _no_agenda(d: MinutesInput) -> None:
    d.record.agenda, d.record.comments, d.record.resolutions = [], [], []
    d.record.votes = [v.model_copy(update={"agenda_item_id": None}) for v in d.record.votes]


def _reason_with_date(d: MinutesInput) -> None:
    d.record.attendance[9].reason = "đi công tác đến ngày 10/12, có báo cáo 2 lần"


def _questions_like_minutes(d: MinutesInput) -> None:
    # Questions as an office types them: colons, a full stop, the words that start a vote,
    # a member's name (whom the ballot is about) and figures that look like tallies.
    name = d.record.attendance[0].name
    d.record.votes[0].question = "Biểu quyết giơ tay: thông qua 2 nội dung. Tán thành 3 mục"
    d.record.votes[1].question = (
        f"Bỏ phiếu kín: công nhận đảng viên chính thức: Đề nghị công nhận đồng chí {name}, "
        "có mặt 12 đồng chí"
    )


def _untitled_item(d: MinutesInput) -> None:
    d.record.agenda.append(AgendaItem(id=4, title="Các vấn đề khác"))


VARIATIONS: list[tuple[str, Callable[[MinutesInput], None]]] = [
    ("fixture", lambda d: None),
    ("nobody absent", _all(P, votes=True)),
    ("all absent with leave", _all(L)),
    ("all absent without leave", _all(U)),
    ("all exempt", _all(E)),
    ("tie vote", _vote(4, 4, 0, present=8)),
    ("tie with abstain", _vote(3, 3, 3, present=9)),
    ("no votes", _set(votes=[])),
    ("100% agree", _vote(9, 0, 0, present=9)),
    ("2 of 3 rounding", _vote(2, 1, 0, present=3)),
    ("1 of 3 rounding", _vote(1, 2, 0, present=3, kind="secret")),
    ("1 of 7 rounding", _vote(1, 5, 1, present=7)),
    ("5 of 6 rounding", _vote(5, 0, 1, present=6, kind="secret")),
    ("1 of 13 is 7,7%", _vote(1, 12, 0, present=13)),
    ("not adopted", _vote(2, 6, 1, present=9)),
    ("no notes", _inputs(False, True, True)),
    ("transcript only", _inputs(False, False, True)),
    ("notes only", _inputs(True, False, False)),
    ("no notes, comments or transcript", _inputs(False, False, False)),
    ("zero guests", _set(guests=[])),
    ("three guests", _many_guests),
    ("1-member cell", _one_member),
    ("40-member cell", _big_cell),
    ("names that share a prefix", _similar_names),
    ("secret ballot handed names", _names_in_secret),
    ("no agenda", _no_agenda),
    ("no tasks", _set(tasks=[])),
    ("thematic meeting", _set(kind=MeetingKind.thematic)),
    (
        "extraordinary meeting",
        _set(kind=MeetingKind.extraordinary, month=1, year=2027, date=dt.date(2027, 1, 3)),
    ),
    ("early start late end", _set(start=dt.time(7, 5), end=dt.time(23, 59))),
    ("reason with a date and a number", _reason_with_date),
    ("an item without presenter or documents", _untitled_item),
    ("questions with colons, names and figures", _questions_like_minutes),
]


@pytest.mark.parametrize(("case", "change"), VARIATIONS, ids=[v[0] for v in VARIATIONS])
def test_variation_keeps_figures_exact_and_check_clean(
    case: str, change: Callable[[MinutesInput], None]
) -> None:
    data = meeting()
    change(data)
    draft = draft_minutes(data)
    assert_figures(draft, data)
    assert check_minutes(draft.text_sections(), data.record) == []
    assert_provenance(draft, data)
    assert draft_minutes(data) == draft
