"""Personal calendar items: the owner adds, edits and deletes them; nobody else ever sees them."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calendar import service as calendar
from app.calendar import service_items as calendar_items
from app.calendar.models import CalendarItem
from app.calendar.schemas import CalendarItemIn, CalendarItemPatch
from app.core.audit import AuditContext, AuditLog
from app.core.db import utcnow
from app.core.errors import Forbidden, Invalid, NotFound
from tests.factories.accounts import bearer
from tests.factories.meetings import make_meeting
from tests.factories.org import Org
from tests.factories.transfers import web_login
from tests.meetings.test_service import actor

CTX = AuditContext()


def add(session: Session, org: Org, who: str = "mem_a", **fields: object) -> CalendarItem:
    data = CalendarItemIn.model_validate(
        {"title": "Khám sức khỏe", "starts_at": utcnow() + timedelta(days=1), **fields}
    )
    return calendar_items.create_item(session, CTX, actor=actor(session, org, who), data=data)


def test_owner_adds_edits_and_deletes(session: Session, org: Org) -> None:
    mem = actor(session, org, "mem_a")
    item = add(session, org, title=unicodedata.normalize("NFD", "Thăm gia đình chính sách"))
    assert item.title == "Thăm gia đình chính sách"  # NFC
    assert [i.id for i in calendar_items.list_items(session, actor=mem)] == [item.id]
    calendar_items.update_item(
        session, CTX, actor=mem, item_id=item.id, data=CalendarItemPatch(place="Tổ dân phố 3")
    )
    assert item.place == "Tổ dân phố 3" and item.title == "Thăm gia đình chính sách"
    with pytest.raises(Invalid):
        calendar_items.update_item(
            session,
            CTX,
            actor=mem,
            item_id=item.id,
            data=CalendarItemPatch(ends_at=item.starts_at - timedelta(hours=1)),
        )
    calendar_items.delete_item(session, CTX, actor=mem, item_id=item.id)
    assert calendar_items.list_items(session, actor=mem) == []
    actions = session.scalars(
        select(AuditLog.action).where(AuditLog.object_type == "calendar_item")
    ).all()
    assert actions == ["calendar_item.create", "calendar_item.update", "calendar_item.delete"]
    # The audit log says that an item changed, never what it says.
    details = session.scalars(
        select(AuditLog.detail).where(AuditLog.object_type == "calendar_item")
    ).all()
    assert "Thăm gia đình" not in str(details)


def test_private_even_from_the_secretary_and_proxies(session: Session, org: Org) -> None:
    item = add(session, org)
    for who in ("sec_a", "admin", "mem_b"):
        other = actor(session, org, who)
        assert calendar_items.list_items(session, actor=other) == []
        with pytest.raises(NotFound):
            calendar_items.get_item(session, actor=other, item_id=item.id)
        with pytest.raises(NotFound):
            calendar_items.delete_item(session, CTX, actor=other, item_id=item.id)
    from dataclasses import replace

    proxy = replace(actor(session, org, "sec_a"), on_behalf_of_member_id=org.members["mem_a"].id)
    with pytest.raises(Forbidden):
        calendar_items.list_items(session, actor=proxy)
    assert calendar.entries(session, actor=proxy)["items"] == []


def test_page_and_feed_show_items_beside_meetings(session: Session, org: Org) -> None:
    meeting = make_meeting(session, org.units["A"], starts_at=datetime(2030, 5, 2, 1, tzinfo=UTC))
    item = add(
        session,
        org,
        title="Họp tổ dân phố; mang sổ",
        starts_at=datetime(2030, 5, 1, 1, tzinfo=UTC),
        place="Nhà bác Tư",
        note="Nhớ mang sổ",
    )
    mem = actor(session, org, "mem_a")
    entries = calendar.entries(session, actor=mem, now=datetime(2030, 4, 1, tzinfo=UTC))
    assert [(k, e.id) for k, e in entries["entries"]] == [
        ("item", item.id),
        ("meeting", meeting.id),
    ]
    text = calendar.to_ics([meeting], base_url="https://sotay.example/", items=[item])
    unfolded = text.replace("\r\n ", "")
    assert f"UID:item-{item.id}@sotay" in unfolded and "CLASS:PRIVATE" in unfolded
    assert "SUMMARY:Họp tổ dân phố\\; mang sổ" in unfolded and "DTEND:20300501T020000Z" in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_api(client: TestClient, session: Session, org: Org) -> None:
    owner = bearer(session, org.accounts["mem_a"])
    r = client.post(
        "/api/v1/calendar/items",
        json={"title": "Trực phòng chống bão", "starts_at": "2030-06-01T07:00:00+07:00"},
        headers=owner,
    )
    assert r.status_code == 201, r.text
    item_id = r.json()["id"]
    bad = client.post(
        "/api/v1/calendar/items",
        json={"title": "X", "starts_at": "2030-06-01T07:00:00+07:00", "ends_at": "2030-06-01"},
        headers=owner,
    )
    assert bad.status_code == 422
    r = client.patch(
        f"/api/v1/calendar/items/{item_id}", json={"note": "Mang áo mưa"}, headers=owner
    )
    assert r.status_code == 200 and r.json()["note"] == "Mang áo mưa"
    assert [i["id"] for i in client.get("/api/v1/calendar/items", headers=owner).json()] == [
        item_id
    ]
    secretary = bearer(session, org.accounts["sec_a"])
    assert client.get(f"/api/v1/calendar/items/{item_id}", headers=secretary).status_code == 404
    assert client.get("/api/v1/calendar/items", headers=secretary).json() == []
    assert client.delete(f"/api/v1/calendar/items/{item_id}", headers=secretary).status_code == 404
    assert client.delete(f"/api/v1/calendar/items/{item_id}", headers=owner).status_code == 204
    assert client.get(f"/api/v1/calendar/items/{item_id}", headers=owner).status_code == 404


def test_web_forms_and_private_feed(client: TestClient, session: Session, org: Org) -> None:
    csrf = web_login(client, session, org.accounts["mem_a"])
    assert 'href="/calendar/items/new"' in client.get("/calendar").text
    assert client.get("/calendar/items/new").status_code == 200
    bad = client.post(
        "/calendar/items",
        headers=csrf,
        data={"title": "Thăm hỏi", "starts_at": "2030-06-02T09:00", "ends_at": "2030-06-02T08:00"},
    )
    assert bad.status_code == 422 and "Giờ kết thúc phải sau giờ bắt đầu" in bad.text
    assert 'value="Thăm hỏi"' in bad.text
    resp = client.post(
        "/calendar/items",
        headers=csrf,
        data={"title": "Thăm hỏi đảng viên cao tuổi", "starts_at": "2030-06-02T09:00"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    item = session.scalars(select(CalendarItem)).one()
    assert item.starts_at.hour == 2  # 09:00 in Vietnam
    page = client.get(resp.headers["location"])
    assert "Đã lưu lịch riêng" in page.text and "Thăm hỏi đảng viên cao tuổi" in page.text
    assert client.get(f"/calendar/items/{item.id}/edit").status_code == 200
    client.post(
        f"/calendar/items/{item.id}/edit",
        headers=csrf,
        data={"title": "Thăm hỏi (đổi giờ)", "starts_at": "2030-06-02T15:00", "place": "Tổ 5"},
    )
    session.refresh(item)
    assert (item.title, item.place, item.starts_at.hour) == ("Thăm hỏi (đổi giờ)", "Tổ 5", 8)
    rotated = client.post("/calendar/token", headers=csrf)
    url = rotated.text.split('id="feed-url" readonly value="')[1].split('"')[0]

    client.cookies.clear()
    csrf_sec = web_login(client, session, org.accounts["sec_a"])
    assert "Thăm hỏi (đổi giờ)" not in client.get("/calendar").text
    assert client.get(f"/calendar/items/{item.id}/edit").status_code == 404
    assert client.post(f"/calendar/items/{item.id}/delete", headers=csrf_sec).status_code == 404

    client.cookies.clear()
    feed = client.get(url.replace("http://testserver", "")).text.replace("\r\n ", "")
    assert f"UID:item-{item.id}@sotay" in feed and "Thăm hỏi (đổi giờ)" in feed

    csrf = web_login(client, session, org.accounts["mem_a"])
    resp = client.post(f"/calendar/items/{item.id}/delete", headers=csrf, follow_redirects=False)
    assert resp.status_code == 303 and session.scalars(select(CalendarItem)).all() == []
