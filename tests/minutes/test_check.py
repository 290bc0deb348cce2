"""The consistency check after drafting: a vote tally or an attendance state changed in the
record makes the check name the sentence that no longer agrees, and submission is refused."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.meetings.models import Attendance, AttendanceState
from tests.factories.minutes import Held, set_tally
from tests.minutes.conftest import Headers, minutes_of, run_draft


def test_a_vote_tally_changed_after_drafting_names_the_sentence(
    client: TestClient, session: Session, drafted: Held, as_: Headers
) -> None:
    sec = as_("sec_a")
    assert minutes_of(client, drafted.meeting.id, sec)["mismatches"] == []
    set_tally(session, drafted.open_vote, 1, 2, 0)
    found = minutes_of(client, drafted.meeting.id, sec)["mismatches"]
    fields = {m["field"]: m for m in found}
    assert fields["vote[1].agree"]["expected"] == "1" and fields["vote[1].agree"]["found"] == "2"
    assert fields["vote[1].disagree"]["expected"] == "2"
    sentence = fields["vote[1].agree"]["sentence"]
    assert sentence.startswith("Biểu quyết giơ tay (nội dung: Thông qua nghị quyết tháng 12)")
    resp = client.post(
        f"/api/v1/meetings/{drafted.meeting.id}/minutes/submit", headers=sec, json={}
    )
    assert resp.status_code == 422
    assert any(d["message"] == sentence for d in resp.json()["details"])


def test_an_attendance_state_changed_after_drafting_names_the_sentence(
    client: TestClient, session: Session, drafted: Held, as_: Headers
) -> None:
    sec = as_("sec_a")
    lan = drafted.members["lan"]
    row = session.scalars(
        select(Attendance).where(
            Attendance.meeting_id == drafted.meeting.id, Attendance.member_id == lan.id
        )
    ).one()
    row.state, row.reason = AttendanceState.excused, "đi công tác"
    session.flush()
    found = minutes_of(client, drafted.meeting.id, sec)["mismatches"]
    by_field = {m["field"]: m for m in found}
    assert by_field["attendance.absent_with_leave"]["sentence"] == (
        "Vắng có phép: 1 đồng chí: đồng chí Phan Văn Hải (ốm)."
    )
    assert by_field["attendance.absent_with_leave"]["expected"] == "2"
    assert by_field["attendance.absent_without_leave"]["sentence"] == (
        "Vắng không phép: 1 đồng chí: đồng chí Đinh Thị Lan."
    )
    resp = client.post(
        f"/api/v1/meetings/{drafted.meeting.id}/minutes/submit", headers=sec, json={}
    )
    assert resp.status_code == 422
    # A re-draft writes the record as it is now: nothing left to fix.
    run_draft(session, drafted.meeting.id)
    assert minutes_of(client, drafted.meeting.id, sec)["mismatches"] == []
