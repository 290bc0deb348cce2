"""Calendar: the member's meetings and the private tokenised .ics feed."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calendar import service as calendar
from app.calendar.models import CalendarToken
from app.core.audit import AuditContext
from app.core.permissions import load_actor
from app.meetings.models import MeetingStatus
from tests.factories.accounts import bearer
from tests.factories.meetings import make_meeting
from tests.factories.org import Org


def test_ics_text_is_valid_and_escaped(session: Session, org: Org) -> None:
    m = make_meeting(
        session,
        org.units["A"],
        title="Sinh hoạt chuyên đề; học tập, làm theo tư tưởng đạo đức, phong cách Hồ Chí Minh",
        starts_at=datetime(2026, 12, 5, 1, 30, tzinfo=UTC),
    )
    text = calendar.to_ics([m], base_url="https://sotay.example/")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART:20261205T013000Z" in lines and "DTEND:20261205T033000Z" in lines
    assert f"UID:meeting-{m.id}@sotay" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Sinh hoạt chuyên đề\\; học tập\\, làm theo" in unfolded
    assert f"URL:https://sotay.example/meetings/{m.id}" in unfolded


def test_feed_by_token_without_login(client: TestClient, session: Session, org: Org) -> None:
    mine = make_meeting(session, org.units["A"], title="Họp chi bộ A")
    make_meeting(session, org.units["A"], title="Bản nháp", status=MeetingStatus.draft)
    make_meeting(session, org.units["B"], title="Họp chi bộ B")
    resp = client.post("/api/v1/calendar/token", headers=bearer(session, org.accounts["mem_a"]))
    assert resp.status_code == 200, resp.text
    url = resp.json()["url"]
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    # Only the hash is stored.
    stored = session.scalars(select(CalendarToken.token_hash)).all()
    assert secret not in stored and len(stored) == 1
    client.cookies.clear()
    feed = client.get(f"/calendar/{secret}.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    body = feed.text.replace("\r\n ", "")
    assert f"UID:meeting-{mine.id}@sotay" in body
    assert "Bản nháp" not in body and "Họp chi bộ B" not in body
    # Rotating the token retires the old URL.
    client.post("/api/v1/calendar/token", headers=bearer(session, org.accounts["mem_a"]))
    assert client.get(f"/calendar/{secret}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_my_meetings_lists_own_unit_only(session: Session, org: Org) -> None:
    mine = make_meeting(session, org.units["A"])
    make_meeting(session, org.units["B"])
    a = load_actor(session, org.accounts["mem_a"].id)
    assert a is not None
    assert [m.id for m in calendar.my_meetings(session, actor=a)] == [mine.id]
    calendar.rotate_token(session, AuditContext(), actor=a)
