"""Meetings JSON API: create, notice, check in, roll, comments and cell isolation."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.notifications.models import Notification
from tests.factories.accounts import bearer
from tests.factories.meetings import CODE, make_meeting
from tests.factories.org import Org


def body(org: Org) -> dict[str, object]:
    return {
        "unit_id": org.units["A"].id,
        "kind": "thematic",
        "title": "Sinh hoạt chuyên đề quý IV",
        "starts_at": (utcnow() + timedelta(days=2)).isoformat(),
        "place": "Nhà văn hóa khu phố 1",
        "chair_member_id": org.members["sec_a"].id,
        "agenda": [{"title": "Học tập chuyên đề"}, {"title": "Thảo luận"}],
    }


def test_secretary_creates_and_notices_member_checks_in(
    client: TestClient, session: Session, org: Org
) -> None:
    sec = bearer(session, org.accounts["sec_a"])
    mem = bearer(session, org.accounts["mem_a"])
    resp = client.post("/api/v1/meetings", json=body(org), headers=sec)
    assert resp.status_code == 201, resp.text
    meeting = resp.json()
    mid, code = meeting["id"], meeting["checkin_code"]
    assert meeting["status"] == "draft" and [a["position"] for a in meeting["agenda"]] == [1, 2]
    assert client.get(f"/api/v1/meetings/{mid}", headers=mem).status_code == 404
    resp = client.post(f"/api/v1/meetings/{mid}/status", json={"status": "noticed"}, headers=sec)
    assert resp.status_code == 200, resp.text
    assert (
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.member_id == org.members["mem_a"].id,
                Notification.link == f"/meetings/{mid}",
            )
        )
        == 1
    )
    seen = client.get(f"/api/v1/meetings/{mid}", headers=mem).json()
    assert seen["checkin_code"] is None and seen["can_manage"] is False
    wrong = client.post(f"/api/v1/meetings/{mid}/check-in", json={"code": "x"}, headers=mem)
    assert wrong.status_code == 422
    ok = client.post(f"/api/v1/meetings/{mid}/check-in", json={"code": code}, headers=mem)
    assert ok.status_code == 200 and ok.json()["present"] == 1
    roll = client.get(f"/api/v1/meetings/{mid}/attendance", headers=sec).json()
    assert {r["state"] for r in roll["must_attend"]} == {"present", None}
    q = client.post(f"/api/v1/meetings/{mid}/attendance/all-present", headers=sec).json()
    assert (q["present"], q["reached"]) == (2, True)


def test_bad_input_is_refused(client: TestClient, session: Session, org: Org) -> None:
    sec = bearer(session, org.accounts["sec_a"])
    for change in (
        {"place": "", "online_link": None},
        {"starts_at": "2026-12-01T08:00:00"},  # naive
        {"quorum": {"numerator": 3, "denominator": 2}},
        {"online_link": "javascript:alert(1)"},
        {"document_ids": [987654]},
    ):
        resp = client.post("/api/v1/meetings", json={**body(org), **change}, headers=sec)
        assert resp.status_code == 422, (change, resp.text)


def test_member_of_b_gets_404_everywhere_on_a(
    client: TestClient, session: Session, org: Org
) -> None:
    m = make_meeting(session, org.units["A"])
    other = bearer(session, org.accounts["mem_b"])
    for method, path, payload in (
        ("GET", f"/api/v1/meetings/{m.id}", None),
        ("GET", f"/api/v1/meetings/{m.id}/attendance", None),
        ("GET", f"/api/v1/meetings/{m.id}/comments", None),
        ("POST", f"/api/v1/meetings/{m.id}/check-in", {"code": CODE}),
        ("POST", f"/api/v1/meetings/{m.id}/comments", {"body": "Góp ý"}),
    ):
        resp = client.request(method, path, json=payload, headers=other)
        assert resp.status_code == 404, (path, resp.text)
    staff = bearer(session, org.accounts["staff_w1"])
    assert client.get(f"/api/v1/meetings/{m.id}", headers=staff).status_code == 200


def test_comments_api_groups(client: TestClient, session: Session, org: Org) -> None:
    m = make_meeting(session, org.units["A"])
    mem = bearer(session, org.accounts["mem_a"])
    detail = client.get(f"/api/v1/meetings/{m.id}", headers=mem).json()
    first = detail["agenda"][0]["id"]
    resp = client.post(
        f"/api/v1/meetings/{m.id}/comments",
        json={"body": "Đề nghị bổ sung nội dung", "kind": "proposal", "agenda_item_id": first},
        headers=mem,
    )
    assert resp.status_code == 201, resp.text
    groups = client.get(
        f"/api/v1/meetings/{m.id}/comments", headers=bearer(session, org.accounts["sec_a"])
    ).json()
    assert groups[0]["key"] == f"agenda:{first}" and groups[0]["comments"][0]["kind"] == "proposal"
