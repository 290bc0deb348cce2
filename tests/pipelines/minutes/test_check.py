"""The consistency check reads figures, names, dates and times back from edited text and from
a record changed after drafting, and names the section and sentence of each mismatch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from pipelines.minutes import AttendanceState, MinutesInput, check_minutes, draft_minutes
from tests.pipelines.minutes.fixtures import meeting

Edit = Callable[[dict[str, str]], None]


def _replace(key: str, old: str, new: str) -> Edit:
    def edit(sections: dict[str, str]) -> None:
        assert old in sections[key], (old, sections[key])
        sections[key] = sections[key].replace(old, new, 1)

    return edit


EDITS: list[tuple[str, Edit, str, str, str]] = [
    # (case, edit, section, field, a phrase of the sentence it names)
    (
        "guest dropped",
        _replace(
            "attendance",
            "Khách mời: đồng chí Võ Văn Tâm, Đảng ủy viên phường.",
            "Khách mời: không có.",
        ),
        "attendance",
        "guests",
        "Khách mời",
    ),
    (
        "member written as a guest",
        _replace(
            "attendance", "đồng chí Võ Văn Tâm,", "đồng chí Võ Văn Tâm, đồng chí Bùi Thị Hoa,"
        ),
        "attendance",
        "guests",
        "Khách mời",
    ),
    (
        "chair changed",
        _replace("presiding", "Chủ trì: đồng chí Nguyễn Văn An", "Chủ trì: đồng chí Trần Thị Bình"),
        "presiding",
        "chair",
        "Chủ trì",
    ),
    (
        "present count",
        _replace("attendance", "Có mặt: 9", "Có mặt: 10"),
        "attendance",
        "attendance.present",
        "Có mặt",
    ),
    (
        "total count",
        _replace("attendance", "chi bộ: 13", "chi bộ: 12"),
        "attendance",
        "attendance.total",
        "Tổng số",
    ),
    (
        "present member written as absent",
        _replace(
            "attendance", "đồng chí Lý Văn Nam.", "đồng chí Lý Văn Nam, đồng chí Bùi Thị Hoa."
        ),
        "attendance",
        "attendance.absent_without_leave.names",
        "Vắng không phép",
    ),
    (
        "absent with leave count",
        _replace("attendance", "Vắng có phép: 2", "Vắng có phép: 3"),
        "attendance",
        "attendance.absent_with_leave",
        "Vắng có phép",
    ),
    (
        "meeting date",
        _replace("time_place", "ngày 05 tháng 12", "ngày 06 tháng 12"),
        "time_place",
        "date",
        "bắt đầu",
    ),
    (
        "start time",
        _replace("time_place", "14 giờ 00", "15 giờ 00"),
        "time_place",
        "start",
        "bắt đầu",
    ),
    ("end time", _replace("closing", "16 giờ 30", "17 giờ 30"), "closing", "end", "kết thúc"),
    (
        "header date",
        _replace("header", "ngày 05 tháng 12", "ngày 15 tháng 12"),
        "header",
        "date",
        "Phường",
    ),
    ("title month", _replace("title", "THÁNG 12", "THÁNG 11"), "title", "month", "SINH HOẠT"),
    (
        "open vote agree",
        _replace("votes", "tán thành 8 đồng chí", "tán thành 9 đồng chí"),
        "votes",
        "vote[1].agree",
        "Biểu quyết",
    ),
    (
        "open vote percent",
        _replace("votes", "đạt 88,9%", "đạt 89,9%"),
        "votes",
        "vote[1].agree.percent",
        "Biểu quyết",
    ),
    (
        "secret vote disagree",
        _replace("votes", "không tán thành 1 phiếu", "không tán thành 0 phiếu"),
        "votes",
        "vote[2].disagree",
        "Bỏ phiếu kín",
    ),
    (
        "secret vote abstain",
        _replace("votes", "ý kiến khác 1 phiếu", "ý kiến khác 2 phiếu"),
        "votes",
        "vote[2].abstain",
        "Bỏ phiếu kín",
    ),
    (
        "adopted turned down",
        _replace("votes", "Kết quả: được thông qua.", "Kết quả: không được thông qua."),
        "votes",
        "vote[1].adopted",
        "Kết quả",
    ),
    (
        "task due date",
        _replace("tasks", "20/12/2026", "25/12/2026"),
        "tasks",
        "task[1].due",
        "Lập danh sách",
    ),
    (
        "present count deleted",
        _replace("attendance", "Có mặt: 9 đồng chí.\n", ""),
        "attendance",
        "attendance.present",
        "",
    ),
    (
        "count in words",
        _replace("attendance", "Có mặt: 9 đồng chí", "Có mặt: chín đồng chí"),
        "attendance",
        "attendance.present",
        "Có mặt",
    ),
]


@pytest.mark.parametrize(
    ("case", "edit", "section", "field", "phrase"), EDITS, ids=[e[0] for e in EDITS]
)
def test_an_edit_that_breaks_a_figure_is_caught(
    case: str, edit: Edit, section: str, field: str, phrase: str
) -> None:
    data = meeting()
    sections = draft_minutes(data).text_sections()
    assert check_minutes(sections, data.record) == []
    edit(sections)
    found = check_minutes(sections, data.record)
    assert [(m.section, m.field) for m in found] == [(section, field)], found
    assert phrase in found[0].sentence
    if phrase:
        assert found[0].sentence in sections[section].replace("\n", " ")


def test_joined_lines_and_unrelated_edits_stay_clean() -> None:
    data = meeting()
    sections = draft_minutes(data).text_sections()
    # The same figures written as a secretary may type them.
    for key, old, new in (
        ("attendance", "Có mặt: 9 đồng chí", "Có mặt: 09 đồng chí"),
        ("votes", "đạt 88,9%", "đạt 88,90%"),
        ("votes", "chiếm 11,1%", "chiếm 11.1%"),
        ("time_place", "14 giờ 00 phút, ngày 05 tháng 12 năm 2026", "14h00, ngày 5/12/2026"),
        ("closing", "16 giờ 30 phút", "16:30"),
    ):
        _replace(key, old, new)(sections)
    sections["attendance"] = sections["attendance"].replace("\n", " ")
    sections["item-1"] += "\nĐồng chí Lan đề nghị bổ sung 3 tiêu chí mới."
    sections["time_place"] = sections["time_place"].replace("Hội trường", "Nhà văn hóa")
    assert check_minutes(sections, data.record) == []


Change = Callable[[MinutesInput], None]


def _state(member_id: int, state: AttendanceState) -> Change:
    def change(data: MinutesInput) -> None:
        row = next(a for a in data.record.attendance if a.member_id == member_id)
        row.state = state

    return change


def _tally(field: str, value: int) -> Change:
    def change(data: MinutesInput) -> None:
        setattr(data.record.votes[0], field, value)

    return change


def _due(data: MinutesInput) -> None:
    data.record.tasks[0].due = dt.date(2026, 12, 31)


RECORD_CHANGES: list[tuple[str, Change, set[str], str]] = [
    (
        "vote tally",
        _tally("agree", 7),
        {"vote[1].agree", "vote[1].agree.percent"},
        "Biểu quyết giơ tay",
    ),
    (
        "vote abstain",
        _tally("abstain", 1),
        {"vote[1].abstain", "vote[1].abstain.percent"},
        "Biểu quyết giơ tay",
    ),
    (
        "present member now absent with leave",
        _state(8, AttendanceState.absent_with_leave),
        {
            "attendance.present",
            "attendance.absent_with_leave",
            "attendance.absent_with_leave.names",
        },
        "Có mặt",
    ),
    (
        "absent member now present",
        _state(12, AttendanceState.present),
        {
            "attendance.present",
            "attendance.absent_without_leave",
            "attendance.absent_without_leave.names",
        },
        "Có mặt",
    ),
    ("task due date", _due, {"task[1].due"}, "Lập danh sách"),
]


@pytest.mark.parametrize(
    ("case", "change", "fields", "phrase"), RECORD_CHANGES, ids=[c[0] for c in RECORD_CHANGES]
)
def test_record_changed_after_drafting_fails_and_names_the_sentence(
    case: str, change: Change, fields: set[str], phrase: str
) -> None:
    data = meeting()
    sections = draft_minutes(data).text_sections()
    change(data)
    found = check_minutes(sections, data.record)
    assert fields <= {m.field for m in found}, found
    assert all(m.sentence for m in found)
    assert phrase in next(m for m in found if m.field in fields).sentence or any(
        phrase in m.sentence for m in found
    )
    # Vote percentages follow the number present: every vote sentence is named when it moves.
    for m in found:
        assert m.sentence in sections[m.section].replace("\n", " ")
