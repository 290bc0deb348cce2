"""Times are Vietnam's on every page, form and API answer, whatever the server's own zone is."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.localtime import LOCAL_TZ
from app.meetings.models import Meeting
from app.web.templating import templates
from tests.factories.accounts import bearer
from tests.factories.org import Org
from tests.factories.transfers import web_login

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
NAIVE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(?![\d:.Z+-])")


@pytest.fixture(params=["UTC", "America/New_York"])
def server_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The process's own time zone set to something other than Vietnam, then put back."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def test_filters_show_vietnam_time(server_zone: str) -> None:
    at = datetime(2030, 12, 5, 12, 30, tzinfo=UTC)
    f = templates.env.filters
    assert f["vndatetime"](at) == "05/12/2030 19:30"
    # SQLite hands back naive values: they are UTC.
    assert f["vndatetime"](at.replace(tzinfo=None)) == "05/12/2030 19:30"
    assert f["vntime"](at) == "19:30"
    assert f["vndate"](datetime(2030, 12, 5, 20, 0, tzinfo=UTC)) == "06/12/2030"


def test_meeting_at_1930_shows_1930_everywhere(
    server_zone: str, client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    resp = client.post(
        "/meetings",
        headers=csrf,
        data={
            "unit_id": str(org.units["A"].id),
            "kind": "regular",
            "title": "Sinh hoạt chi bộ tháng 12",
            "starts_at": "2030-12-05T19:30",
            "ends_at": "2030-12-05T21:00",
            "place": "Nhà văn hóa khu phố 1",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    meeting = session.scalars(select(Meeting).where(Meeting.title.contains("tháng 12"))).one()
    assert meeting.starts_at == datetime(2030, 12, 5, 12, 30, tzinfo=UTC)

    page = client.get(f"/meetings/{meeting.id}").text
    assert "05/12/2030 19:30" in page and "05/12/2030 21:00" in page
    assert "12:30" not in page
    assert "05/12/2030 19:30" in client.get("/meetings").text
    edit = client.get(f"/meetings/{meeting.id}/edit").text
    assert 'value="2030-12-05T19:30"' in edit and 'value="2030-12-05T21:00"' in edit

    # Saving the edit form unchanged keeps the time.
    client.post(
        f"/meetings/{meeting.id}/edit",
        headers=csrf,
        data={
            "kind": "regular",
            "title": meeting.title,
            "starts_at": "2030-12-05T19:30",
            "ends_at": "2030-12-05T21:00",
            "place": meeting.place,
        },
    )
    session.refresh(meeting)
    assert meeting.starts_at == datetime(2030, 12, 5, 12, 30, tzinfo=UTC)

    client.post(f"/meetings/{meeting.id}/status", headers=csrf, data={"status": "noticed"})
    client.cookies.clear()
    web_login(client, session, org.accounts["mem_a"])
    assert "05/12/2030 19:30" in client.get("/calendar").text
    inbox = client.get("/notifications").text
    assert "19:30 05/12/2030" in inbox
    created = datetime.now(LOCAL_TZ)
    stamps = {(created + timedelta(minutes=d)).strftime("%d/%m/%Y %H:%M") for d in (-1, 0, 1)}
    assert any(s in inbox for s in stamps), "the notification's own time is Vietnam's"

    api = client.get(
        f"/api/v1/meetings/{meeting.id}", headers=bearer(session, org.accounts["mem_a"])
    )
    body = api.json()
    for key, hour in (("starts_at", 19), ("ends_at", 21)):
        value = datetime.fromisoformat(body[key])
        assert value.tzinfo is not None, f"{key} carries no offset: {body[key]}"
        assert value.astimezone(LOCAL_TZ).hour == hour
    # No answer carries a time without its offset.
    member = bearer(session, org.accounts["mem_a"])
    admin = bearer(session, org.accounts["admin"])
    for path, headers in (
        ("/api/v1/meetings", member),
        ("/api/v1/notifications", member),
        ("/api/v1/audit", admin),
    ):
        text = client.get(path, headers=headers).text
        assert ISO_TIME.search(text), path
        assert not NAIVE_TIME.search(text), f"{path}: {NAIVE_TIME.search(text)}"
