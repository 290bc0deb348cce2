"""Check-in codes: guesses wait growing delays per member and meeting, API and web alike."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.config import AuthSettings
from app.meetings.models import Attendance, AttendanceState, MeetingStatus
from tests.factories.accounts import bearer
from tests.factories.clock import use_clock
from tests.factories.meetings import CODE, make_meeting
from tests.factories.org import Org
from tests.factories.transfers import web_login

CFG = AuthSettings()


def test_code_guessing_is_throttled_per_member_and_meeting(
    app: FastAPI, client: TestClient, session: Session, org: Org
) -> None:
    clock = use_clock(app)
    meeting = make_meeting(session, org.units["A"], status=MeetingStatus.in_progress)
    other = make_meeting(session, org.units["A"], status=MeetingStatus.in_progress)
    guesser = bearer(session, org.accounts["mem_a"])
    url = f"/api/v1/meetings/{meeting.id}/check-in"
    for n in range(CFG.checkin_free_failures + 1):
        wrong = client.post(url, json={"code": f"{n:06d}"}, headers=guesser)
        assert wrong.status_code == 422, wrong.text
    held = client.post(url, json={"code": CODE}, headers=guesser)  # even the right code waits
    assert held.status_code == 429
    assert held.headers["retry-after"] == str(CFG.throttle_base_seconds)
    assert "thử lại sau 1 phút" in held.json()["message"]
    # Another member at the same meeting, and the guesser at another meeting, are not held.
    sec = bearer(session, org.accounts["sec_a"])
    assert client.post(url, json={"code": CODE}, headers=sec).status_code == 200
    elsewhere = f"/api/v1/meetings/{other.id}/check-in"
    assert client.post(elsewhere, json={"code": CODE}, headers=guesser).status_code == 200
    # The next wrong code after the wait doubles it.
    clock.advance(CFG.throttle_base_seconds)
    assert client.post(url, json={"code": "999999"}, headers=guesser).status_code == 422
    held = client.post(url, json={"code": CODE}, headers=guesser)
    assert held.status_code == 429
    assert held.headers["retry-after"] == str(2 * CFG.throttle_base_seconds)
    clock.advance(2 * CFG.throttle_base_seconds)
    ok = client.post(url, json={"code": CODE}, headers=guesser)
    assert ok.status_code == 200, ok.text
    row = session.query(Attendance).filter_by(
        meeting_id=meeting.id, member_id=org.members["mem_a"].id
    )
    assert row.one().state == AttendanceState.present


def test_web_check_in_form_says_how_long_to_wait(
    app: FastAPI, client: TestClient, session: Session, org: Org
) -> None:
    clock = use_clock(app)
    meeting = make_meeting(session, org.units["A"], status=MeetingStatus.in_progress)
    csrf = web_login(client, session, org.accounts["mem_a"])
    url = f"/meetings/{meeting.id}/check-in"
    for n in range(CFG.checkin_free_failures + 1):
        assert client.post(url, headers=csrf, data={"code": f"{n:06d}"}).status_code == 422
    held = client.post(url, headers={**csrf, "Accept": "text/html"}, data={"code": CODE})
    assert held.status_code == 429 and held.headers["retry-after"] == "30"
    assert "Bạn đã thử quá nhiều lần, vui lòng thử lại sau 1 phút" in held.text
    clock.advance(30)
    ok = client.post(url, headers=csrf, data={"code": CODE})
    assert ok.status_code == 200 and "Bạn đã điểm danh có mặt" in ok.text
