"""Unit reports: attendance per meeting and month, read rates, vote results, tasks; XLSX and CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.config import Settings
from app.documents import service_reads as reads
from app.meetings.models import Attendance, Meeting, MeetingStatus
from app.tasks.models import TaskStatus
from app.votes import service as votes_service
from tests.factories.accounts import bearer
from tests.factories.documents import make_document
from tests.factories.meetings import make_meeting
from tests.factories.members import make_member
from tests.factories.org import Org
from tests.factories.tasks import make_task
from tests.factories.votes import actor_of, answers_for, make_vote

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def roll(session: Session, meeting_id: int, states: list[str]) -> None:
    rows = session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting_id).order_by(Attendance.id)
    ).all()
    assert len(rows) == len(states)
    for row, state in zip(rows, states, strict=True):
        row.state = state
        row.reason = "Đi công tác" if state == "excused" else ""
    session.flush()


@pytest.fixture
def report_data(session: Session, org: Org, settings: Settings) -> dict[str, int]:
    """Cell A: two meetings in March and one in April, a read document, a closed vote, tasks."""
    unit = org.units["A"]
    for i in range(3):
        make_member(session, unit, f"Đảng viên Thêm {i}")
    march1 = make_meeting(
        session,
        unit,
        title='=HYPERLINK("http://x")',  # must never run as a formula in a spreadsheet
        status=MeetingStatus.closed,
        starts_at=datetime(2026, 3, 5, 12, tzinfo=UTC),
    )
    march2 = make_meeting(
        session,
        unit,
        title="Sinh hoạt chuyên đề",
        status=MeetingStatus.closed,
        starts_at=datetime(2026, 3, 20, 12, tzinfo=UTC),
    )
    april = make_meeting(
        session,
        unit,
        title="Sinh hoạt tháng 4",
        status=MeetingStatus.closed,
        starts_at=datetime(2026, 4, 5, 12, tzinfo=UTC),
    )
    # Invitees: sec_a, mem_a and the three added above (not the party group A1 below the cell).
    roll(session, march1.id, ["present", "present", "present", "excused", "unexcused"])
    roll(session, march2.id, ["present", "present", "present", "present", "exempt"])
    roll(session, april.id, ["present", "present", "present", "present", "present"])
    # Not held yet: not in the report.
    make_meeting(session, unit, status=MeetingStatus.noticed)

    doc = make_document(
        session, settings, by=org.accounts["sec_a"], unit=unit, audience=[unit], publish=True
    )
    reads.mark_read(session, actor=actor_of(session, org, "mem_a"), document_id=doc.id)

    vote = make_vote(session, org, kind="open", items=["Thông qua nghị quyết"])
    ctx = AuditContext()
    for name in ("sec_a", "mem_a"):
        actor = actor_of(session, org, name)
        votes_service.cast(
            session, ctx=ctx, actor=actor, vote_id=vote.id, answers=answers_for(session, vote)
        )
    votes_service.close_vote(
        session, ctx=ctx, actor=actor_of(session, org, "sec_a"), vote_id=vote.id
    )

    member = org.members["mem_a"]
    due = date(2026, 3, 31)
    make_task(session, unit, member, due_date=due, status=TaskStatus.done, done_on=due)
    make_task(session, unit, member, due_date=due, status=TaskStatus.done, done_on=date(2026, 4, 2))
    make_task(session, unit, member, due_date=due)
    return {"doc": doc.id, "vote": vote.id, "march1": march1.id}


def test_report_numbers(
    client: TestClient, session: Session, org: Org, report_data: dict[str, int]
) -> None:
    resp = client.get(
        f"/api/v1/reports/units/{org.units['A'].id}",
        params=PERIOD,
        headers=bearer(session, org.accounts["sec_a"]),
    )
    assert resp.status_code == 200, resp.text
    r = resp.json()
    per_meeting = [(m["must_attend"], m["present"], m["rate"]) for m in r["meetings"]]
    assert per_meeting == [(5, 3, 60.0), (4, 4, 100.0), (5, 5, 100.0)]
    months = [(m["month"], m["meetings"], m["must_attend"], m["present"]) for m in r["months"]]
    assert months == [("2026-03", 2, 9, 7), ("2026-04", 1, 5, 5)]
    assert r["months"][0]["rate"] == 77.8
    [doc] = r["documents"]
    assert (doc["document_id"], doc["recipients"], doc["read"]) == (report_data["doc"], 6, 1)
    [vote] = r["votes"]
    assert (vote["agree"], vote["disagree"], vote["other"], vote["passed"]) == (
        2,
        0,
        0,
        False,
    )  # 2 of 5: not a majority
    t = r["tasks"]
    assert (t["on_time"], t["late"], t["open"]) == (1, 1, 1)


def test_report_is_scoped(client: TestClient, session: Session, org: Org) -> None:
    url = f"/api/v1/reports/units/{org.units['A'].id}"
    assert client.get(url, headers=bearer(session, org.accounts["mem_a"])).status_code == 403
    assert client.get(url, headers=bearer(session, org.accounts["sec_b"])).status_code == 404
    assert client.get(url, headers=bearer(session, org.accounts["mem_b"])).status_code == 404
    for who in ("staff_w1", "auditor", "admin"):
        assert client.get(url, headers=bearer(session, org.accounts[who])).status_code == 200
    bad = client.get(
        url,
        params={"date_from": "2026-05-01", "date_to": "2026-01-01"},
        headers=bearer(session, org.accounts["sec_a"]),
    )
    assert bad.status_code == 422


def test_xlsx_export(
    client: TestClient, session: Session, org: Org, report_data: dict[str, int]
) -> None:
    resp = client.get(
        f"/api/v1/reports/units/{org.units['A'].id}/export",
        params={**PERIOD, "format": "xlsx"},
        headers=bearer(session, org.accounts["sec_a"]),
    )
    assert resp.status_code == 200, resp.text
    assert "attachment" in resp.headers["content-disposition"]
    book = load_workbook(io.BytesIO(resp.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Điểm danh theo buổi",
        "Điểm danh theo tháng",
        "Đọc văn bản",
        "Biểu quyết",
    ]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Nhiệm vụ: hoàn thành đúng hạn"] == 1
    assert summary["Nhiệm vụ: hoàn thành trễ hạn"] == 1
    assert summary["Nhiệm vụ: chưa hoàn thành"] == 1
    meetings = list(book["Điểm danh theo buổi"].iter_rows(min_row=2, values_only=True))
    assert [m[2:4] + (m[7],) for m in meetings] == [(5, 3, 60.0), (4, 4, 100.0), (5, 5, 100.0)]
    first = book["Điểm danh theo buổi"]["B2"]
    assert first.value == '\'=HYPERLINK("http://x")' and first.data_type == "s"
    months = list(book["Điểm danh theo tháng"].iter_rows(min_row=2, values_only=True))
    assert months == [("2026-03", 2, 9, 7, 77.8), ("2026-04", 1, 5, 5, 100.0)]
    docs = list(book["Đọc văn bản"].iter_rows(min_row=2, values_only=True))
    assert docs[0][3:] == (6, 1, 16.7)
    votes = list(book["Biểu quyết"].iter_rows(min_row=2, values_only=True))
    assert votes[0][3:] == (2, 0, 0, "Không thông qua")
    exported = session.scalars(select(AuditLog.action).where(AuditLog.action == "report.export"))
    assert list(exported) == ["report.export"]


def test_csv_export(
    client: TestClient, session: Session, org: Org, report_data: dict[str, int]
) -> None:
    resp = client.get(
        f"/api/v1/reports/units/{org.units['A'].id}/export",
        params={**PERIOD, "format": "csv"},
        headers=bearer(session, org.accounts["staff_w1"]),
    )
    assert resp.status_code == 200, resp.text
    assert resp.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    start = rows.index(["Điểm danh theo buổi"])
    assert rows[start + 2][1] == '\'=HYPERLINK("http://x")'
    assert rows[start + 2][2:4] == ["5", "3"] and rows[start + 2][7] == "60.0"
    month = rows.index(["Điểm danh theo tháng"])
    assert rows[month + 2] == ["2026-03", "2", "9", "7", "77.8"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_xlsx_export_drops_control_characters(
    client: TestClient, session: Session, org: Org, report_data: dict[str, int]
) -> None:
    # A title stored before inputs refused control characters: XML cannot carry them, and
    # openpyxl's IllegalCharacterError made the export a 500.
    meeting = session.scalars(select(Meeting).where(Meeting.title == "Sinh hoạt chuyên đề")).one()
    meeting.title = "Sinh hoạt\x1b chuyên\x07 đề"
    session.flush()
    resp = client.get(
        f"/api/v1/reports/units/{org.units['A'].id}/export",
        params={**PERIOD, "format": "xlsx"},
        headers=bearer(session, org.accounts["sec_a"]),
    )
    assert resp.status_code == 200, resp.text
    book = load_workbook(io.BytesIO(resp.content))
    titles = [r[1] for r in book["Điểm danh theo buổi"].iter_rows(min_row=2, values_only=True)]
    assert "Sinh hoạt chuyên đề" in titles
