"""Meeting web pages: create from the form, notice, member check-in, comments, calendar, inbox."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.meetings.models import Meeting, MeetingStatus
from tests.factories.meetings import CODE, make_meeting
from tests.factories.org import Org
from tests.factories.transfers import web_login


def test_anonymous_is_sent_to_login(client: TestClient, org: Org) -> None:
    for path in ("/meetings", "/calendar", "/notifications"):
        resp = client.get(path, follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"].startswith("/login?next=")


def test_secretary_creates_and_notices_member_checks_in_and_comments(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    assert client.get("/meetings/new").status_code == 200
    bad = client.post(
        "/meetings",
        headers=csrf,
        data={"unit_id": str(org.units["A"].id), "title": "Họp", "starts_at": "nope"},
    )
    assert bad.status_code == 422 and "starts_at" in bad.text
    resp = client.post(
        "/meetings",
        headers=csrf,
        data={
            "unit_id": str(org.units["A"].id),
            "kind": "regular",
            "title": "Sinh hoạt chi bộ tháng 12",
            "starts_at": "2030-12-05T19:30",
            "place": "Nhà văn hóa khu phố 1",
            "agenda": "Đánh giá tháng 11\nPhương hướng tháng 12\n",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    meeting = session.scalars(select(Meeting)).one()
    assert meeting.starts_at.hour == 12  # 19:30 in Vietnam is 12:30 UTC
    page = client.get(resp.headers["location"])
    assert "Gửi thông báo họp" in page.text and meeting.checkin_code in page.text
    client.post(f"/meetings/{meeting.id}/status", headers=csrf, data={"status": "noticed"})
    assert meeting.status == MeetingStatus.noticed

    client.cookies.clear()
    csrf = web_login(client, session, org.accounts["mem_a"])
    inbox = client.get("/notifications")
    assert "Thông báo họp: Sinh hoạt chi bộ tháng 12" in inbox.text
    assert client.get("/notifications/count").text == '<span class="badge">1</span>'
    page = client.get(f"/meetings/{meeting.id}")
    assert meeting.checkin_code not in page.text and "Tôi có mặt" in page.text
    wrong = client.post(f"/meetings/{meeting.id}/check-in", headers=csrf, data={"code": "1"})
    assert wrong.status_code == 422
    ok = client.post(
        f"/meetings/{meeting.id}/check-in", headers=csrf, data={"code": meeting.checkin_code}
    )
    assert "Bạn đã điểm danh có mặt" in ok.text
    fragment = client.get(f"/meetings/{meeting.id}/quorum")
    assert "1/2" in fragment.text
    agenda_id = page.text.split('value="agenda:')[1].split('"')[0]
    client.post(
        f"/meetings/{meeting.id}/comments",
        headers=csrf,
        data={
            "body": "Đề nghị thêm nội dung an ninh trật tự",
            "kind": "proposal",
            "target": f"agenda:{agenda_id}",
        },
    )
    client.post("/notifications/read", headers=csrf, data={})
    assert client.get("/notifications/count").text == ""

    client.cookies.clear()
    csrf = web_login(client, session, org.accounts["sec_a"])
    grouped = client.get(f"/meetings/{meeting.id}/comments")
    assert "1. Đánh giá tháng 11 (1)" in grouped.text and "an ninh trật tự" in grouped.text
    client.post(f"/meetings/{meeting.id}/all-present", headers=csrf)
    client.post(f"/meetings/{meeting.id}/guests", headers=csrf, data={"name": "Đồng chí Khách"})
    page = client.get(f"/meetings/{meeting.id}")
    assert "Đủ túc số" in page.text and "Đồng chí Khách" in page.text


def test_member_of_b_gets_404_and_calendar_page(
    client: TestClient, session: Session, org: Org
) -> None:
    m = make_meeting(session, org.units["A"], title="Họp chi bộ A")
    csrf = web_login(client, session, org.accounts["mem_b"])
    assert client.get(f"/meetings/{m.id}").status_code == 404
    assert (
        client.post(f"/meetings/{m.id}/check-in", headers=csrf, data={"code": CODE}).status_code
        == 404
    )
    assert "Họp chi bộ A" not in client.get("/meetings").text
    client.cookies.clear()
    csrf = web_login(client, session, org.accounts["mem_a"])
    assert "Họp chi bộ A" in client.get("/calendar").text
    rotated = client.post("/calendar/token", headers=csrf)
    url = rotated.text.split('id="feed-url" readonly value="')[1].split('"')[0]
    client.cookies.clear()
    feed = client.get(url.replace("http://testserver", ""))
    assert feed.status_code == 200 and "BEGIN:VEVENT" in feed.text


def test_whole_roll_is_saved_by_one_form(client: TestClient, session: Session, org: Org) -> None:
    from app.meetings.models import Attendance, AttendanceState

    meeting = make_meeting(session, org.units["A"], status=MeetingStatus.in_progress)
    rows = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    assert len(rows) >= 2
    first, second = rows[0], rows[1]
    csrf = web_login(client, session, org.accounts["sec_a"])
    page = client.get(f"/meetings/{meeting.id}")
    assert f'name="state-{first.member_id}"' in page.text and "checkin-code" in page.text
    # A leave without its reason is refused, and nothing of the form is kept.
    bad = client.post(
        f"/meetings/{meeting.id}/attendance/all",
        headers=csrf,
        data={f"state-{first.member_id}": "present", f"state-{second.member_id}": "excused"},
    )
    assert bad.status_code == 422 and "lý do" in bad.text
    session.expire_all()
    assert first.state is None
    resp = client.post(
        f"/meetings/{meeting.id}/attendance/all",
        headers=csrf,
        data={
            f"state-{first.member_id}": "present",
            f"state-{second.member_id}": "excused",
            f"reason-{second.member_id}": "Ốm",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"].endswith("done=roll")
    session.expire_all()
    assert first.state == AttendanceState.present and second.reason == "Ốm"
    # The member sees the roll as a list, without the form.
    client.cookies.clear()
    csrf = web_login(client, session, org.accounts["mem_a"])
    page = client.get(f"/meetings/{meeting.id}")
    assert "attendance/all" not in page.text and "checkin-code" not in page.text
    denied = client.post(
        f"/meetings/{meeting.id}/attendance/all",
        headers=csrf,
        data={f"state-{first.member_id}": "unexcused"},
    )
    assert denied.status_code == 403
