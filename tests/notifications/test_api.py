"""Notifications inbox API: list with unread count, mark some or all read, own inbox only."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.notifications.service import notify
from tests.factories.accounts import bearer
from tests.factories.org import Org


def test_inbox_and_mark_read(client: TestClient, session: Session, org: Org) -> None:
    mem_a, mem_b = org.members["mem_a"].id, org.members["mem_b"].id
    notify(session, member_ids=[mem_a, mem_b], kind="meeting.notice", title="Thông báo họp")
    notify(session, member_ids=[mem_a], kind="document.published", title="Văn bản mới")
    h = bearer(session, org.accounts["mem_a"])
    inbox = client.get("/api/v1/notifications", headers=h).json()
    assert inbox["unread"] == 2 and [i["title"] for i in inbox["items"]] == [
        "Văn bản mới",
        "Thông báo họp",
    ]
    first = inbox["items"][0]["id"]
    resp = client.post("/api/v1/notifications/read", json={"ids": [first]}, headers=h)
    assert resp.json() == {"marked": 1}
    assert client.get("/api/v1/notifications", headers=h).json()["unread"] == 1
    # Someone else's notification ids change nothing.
    hb = bearer(session, org.accounts["mem_b"])
    b_ids = [i["id"] for i in client.get("/api/v1/notifications", headers=hb).json()["items"]]
    assert client.post("/api/v1/notifications/read", json={"ids": b_ids}, headers=h).json() == {
        "marked": 0
    }
    assert client.post("/api/v1/notifications/read", json={}, headers=h).json() == {"marked": 1}
    unread = client.get("/api/v1/notifications", params={"unread_only": True}, headers=h).json()
    assert unread == {"unread": 0, "items": []}
    staff = bearer(session, org.accounts["staff_w1"])
    assert client.get("/api/v1/notifications", headers=staff).json() == {"unread": 0, "items": []}
    assert client.get("/api/v1/notifications").status_code == 401
