"""The pages: the member's home puts their name and the latest bulletin's play button first,
the player has the speeds, ±15 s and the transcript by chapter, the printable text, the MP3
and the feed controls; a member outside the audience gets 404."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.config import Settings
from tests.factories.bulletins import make_bulletin
from tests.factories.org import Org
from tests.factories.transfers import web_login


def test_home_shows_name_and_plays_latest_bulletin_in_one_tap(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    b = make_bulletin(session, settings, by=org.accounts["sec_a"], unit=org.units["A"])
    web_login(client, session, org.accounts["mem_a"])
    page = client.get("/")
    assert page.status_code == 200
    assert org.members["mem_a"].full_name in page.text
    assert f'href="/bulletins/{b.id}?play=1"' in page.text
    player = client.get(f"/bulletins/{b.id}?play=1")
    assert player.status_code == 200
    for needle in (
        'data-rate="0.75"',
        'data-rate="1.25"',
        'id="back15"',
        'id="fwd15"',
        'data-chapter="1"',
        'data-chapter="2"',
        "/audio.mp3?download=1",
    ):
        assert needle in player.text
    assert client.get(f"/bulletins/{b.id}/audio.mp3").status_code == 200
    printed = client.get(f"/bulletins/{b.id}/print")
    assert printed.status_code == 200 and "Nộp đảng phí" in printed.text


def test_pages_refuse_outside_the_audience(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    b = make_bulletin(session, settings, by=org.accounts["sec_a"], unit=org.units["A"])
    web_login(client, session, org.accounts["mem_b"])
    for path in (f"/bulletins/{b.id}", f"/bulletins/{b.id}/print", f"/bulletins/{b.id}/audio.mp3"):
        assert client.get(path).status_code == 404
    assert f"/bulletins/{b.id}" not in client.get("/").text


def test_officer_writes_and_publishes_from_the_pages(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    resp = client.post(
        "/bulletins/new",
        data={"unit_id": str(org.units["A"].id), "title": "Bản tin", "body": "# Tin\nHọp ngày 5."},
        headers=csrf,
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    bid = int(resp.headers["location"].split("/")[2].split("?")[0])
    assert client.get(f"/bulletins/{bid}/edit").status_code == 200
    pub = client.post(f"/bulletins/{bid}/publish", headers=csrf, follow_redirects=False)
    assert pub.status_code == 303
    page = client.get(f"/bulletins/{bid}")
    assert "Đang chờ tạo âm thanh" in page.text
    feed = client.post("/bulletins/feed", headers=csrf)
    assert feed.status_code == 200 and "/podcast/" in feed.text


def test_member_answers_the_next_meeting_from_home(
    client: TestClient, session: Session, org: Org
) -> None:
    from app.meetings.models import AttendanceIntent
    from tests.factories.meetings import make_meeting

    meeting = make_meeting(session, org.units["A"])
    csrf = web_login(client, session, org.accounts["mem_a"])
    home = client.get("/")
    assert "Tôi sẽ dự" in home.text and f"/meetings/{meeting.id}/intent" in home.text
    url = f"/meetings/{meeting.id}/intent"
    assert client.post(url, data={"will_attend": "no"}, headers=csrf).status_code == 422
    resp = client.post(
        url,
        data={"will_attend": "no", "reason": "Đi khám bệnh"},
        headers=csrf,
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert "Bạn đã báo: không dự được." in client.get("/").text
    row = session.query(AttendanceIntent).one()
    assert row.will_attend is False and row.reason == "Đi khám bệnh"
    client.post(url, data={"will_attend": "yes"}, headers=csrf)
    assert "Bạn đã báo: sẽ dự." in client.get("/").text
    other = web_login(client, session, org.accounts["mem_b"])
    assert client.post(url, data={"will_attend": "yes"}, headers=other).status_code == 404
