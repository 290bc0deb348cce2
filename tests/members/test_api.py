"""Member JSON API: list and search, profile, own profile, sensitive reads, create and update."""

from __future__ import annotations

import unicodedata

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from tests.factories.accounts import bearer
from tests.factories.org import Org


def audit_count(session: Session, action: str) -> int:
    return session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == action)) or 0


def test_list_is_scoped_per_role(client: TestClient, session: Session, org: Org) -> None:
    def names(account: str) -> set[str]:
        resp = client.get("/api/v1/members", headers=bearer(session, org.accounts[account]))
        assert resp.status_code == 200, resp.text
        return {i["full_name"] for i in resp.json()["items"]}

    assert names("sec_a") == {"Trần Thị Bình", "Nguyễn Văn An", "Lê Văn Tổ"}
    staff = names("staff_w1")
    assert {"Nguyễn Văn An", "Hoàng Thị Dung", "Phạm Văn Cường"} <= staff
    assert "Đặng Văn Em" not in staff and "Vũ Thị Xã" not in staff
    resp = client.get("/api/v1/members", headers=bearer(session, org.accounts["mem_a"]))
    assert resp.status_code == 403


def test_list_shape_never_has_the_full_cccd(client: TestClient, session: Session, org: Org) -> None:
    resp = client.get(
        "/api/v1/members",
        params={"unit_id": org.units["A"].id, "subtree": "false"},
        headers=bearer(session, org.accounts["admin"]),
    )
    body = resp.json()
    assert (body["total"], body["page"], body["page_size"]) == (2, 1, 50)
    item = body["items"][0]
    assert set(item) == {
        "id",
        "full_name",
        "unit_id",
        "unit_name",
        "birth_year",
        "status",
        "admission_date",
        "cccd_masked",
    }
    for m in ("sec_a", "mem_a"):
        assert org.members[m].cccd not in resp.text
    assert item["cccd_masked"].startswith("********")
    assert [i["full_name"] for i in body["items"]] == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_accent_insensitive_search(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["admin"])

    def found(q: str) -> list[str]:
        return [
            i["full_name"]
            for i in client.get("/api/v1/members", params={"q": q}, headers=h).json()["items"]
        ]

    assert found("nguyen van a") == ["Nguyễn Văn An"]
    assert found("đang") == ["Đặng Văn Em"]
    assert found("DANG VAN") == ["Đặng Văn Em"]
    assert found("Nguyễn") == ["Nguyễn Văn An"]
    assert found("thi") == ["Bùi Thị Thành", "Hoàng Thị Dung", "Trần Thị Bình", "Vũ Thị Xã"]


def test_list_filters_are_validated(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["admin"])
    resp = client.get("/api/v1/members", params={"status": "sleeping"}, headers=h)
    assert resp.status_code == 422 and resp.json()["details"][0]["field"] == "query.status"
    resp = client.get("/api/v1/members", params={"status": "active", "page_size": 2}, headers=h)
    assert resp.json()["total"] == 9 and len(resp.json()["items"]) == 2


def test_profile_and_me(client: TestClient, session: Session, org: Org) -> None:
    m = org.members["mem_a"]
    resp = client.get(f"/api/v1/members/{m.id}", headers=bearer(session, org.accounts["sec_a"]))
    assert resp.status_code == 200
    body = resp.json()
    assert body["full_name"] == "Nguyễn Văn An" and body["unit_name"] == "Chi bộ Khu phố 1"
    assert body["cccd_masked"] == "********" + m.cccd[-4:]
    assert "cccd" not in body and m.cccd not in resp.text
    assert body["has_discipline"] is False and "disciplines" not in body
    assert body["memberships"][0]["unit_name"] == "Chi bộ Khu phố 1"

    me = client.get("/api/v1/me", headers=bearer(session, org.accounts["mem_a"]))
    assert me.status_code == 200 and me.json()["id"] == m.id
    assert me.json()["can_view_sensitive"] is True and me.json()["can_edit"] is False
    assert (
        client.get("/api/v1/me", headers=bearer(session, org.accounts["admin"])).status_code == 404
    )


def test_secretary_cannot_read_or_change_another_cell(
    client: TestClient, session: Session, org: Org
) -> None:
    h = bearer(session, org.accounts["sec_a"])
    other = org.members["mem_b"]
    assert client.get(f"/api/v1/members/{other.id}", headers=h).status_code == 404
    assert client.get(f"/api/v1/members/{other.id}/sensitive", headers=h).status_code == 404
    resp = client.patch(f"/api/v1/members/{other.id}", json={"phone": "0912345678"}, headers=h)
    assert resp.status_code == 404
    resp = client.post(
        f"/api/v1/members/{other.id}/awards",
        json={"awarded_on": "2020-01-01", "title": "Giấy khen"},
        headers=h,
    )
    assert resp.status_code == 404
    resp = client.post(
        "/api/v1/members", json={"unit_id": org.units["B"].id, "full_name": "Người Lạ"}, headers=h
    )
    assert resp.status_code == 404
    session.refresh(other)
    assert other.phone is None


def test_sensitive_read_is_audited_once(client: TestClient, session: Session, org: Org) -> None:
    m = org.members["mem_a"]
    before = audit_count(session, "member.sensitive_read")
    resp = client.get(
        f"/api/v1/members/{m.id}/sensitive", headers=bearer(session, org.accounts["sec_a"])
    )
    assert resp.status_code == 200
    assert resp.json() == {"cccd": m.cccd, "disciplines": [], "can_edit": True}
    assert audit_count(session, "member.sensitive_read") == before + 1
    row = session.scalars(
        select(AuditLog)
        .where(AuditLog.action == "member.sensitive_read")
        .order_by(AuditLog.id.desc())
    ).first()
    assert row is not None
    assert row.object_id == str(m.id) and row.actor_account_id == org.accounts["sec_a"].id
    assert row.detail == {"fields": ["cccd", "disciplines"]}
    assert m.cccd not in str(row.detail)

    # Committee staff and the auditor see the profile but not the sensitive part; no audit row.
    for who in ("staff_w1", "auditor"):
        resp = client.get(
            f"/api/v1/members/{m.id}/sensitive", headers=bearer(session, org.accounts[who])
        )
        assert resp.status_code == 403
    assert audit_count(session, "member.sensitive_read") == before + 1


def test_own_sensitive_read_and_proxy_is_recorded(
    client: TestClient, session: Session, org: Org
) -> None:
    m = org.members["mem_a"]
    resp = client.get(
        f"/api/v1/members/{m.id}/sensitive", headers=bearer(session, org.accounts["mem_a"])
    )
    assert resp.status_code == 200 and resp.json()["cccd"] == m.cccd

    headers = {**bearer(session, org.accounts["sec_a"]), "X-On-Behalf-Of": str(m.id)}
    resp = client.patch(f"/api/v1/members/{m.id}", json={"address": "Số 5, hẻm 3"}, headers=headers)
    assert resp.status_code == 200
    row = session.scalars(select(AuditLog).where(AuditLog.action == "member.update")).one()
    assert row.on_behalf_of_member_id == m.id


def test_create_validation_gives_422_with_field_names(
    client: TestClient, session: Session, org: Org
) -> None:
    h = bearer(session, org.accounts["sec_a"])
    resp = client.post(
        "/api/v1/members",
        json={
            "unit_id": org.units["A"].id,
            "full_name": "Lê Văn Mới",
            "cccd": "12ab",
            "phone": "12",
            "admission_date": "2999-01-01",
            "status": "sleeping",
        },
        headers=h,
    )
    assert resp.status_code == 422
    fields = {d["field"] for d in resp.json()["details"]}
    assert fields == {"cccd", "phone", "admission_date", "status"}

    resp = client.post(
        "/api/v1/members",
        json={
            "unit_id": org.units["A"].id,
            "full_name": "Lê Văn Mới",
            "birth_date": "1990-01-01",
            "admission_date": "2012-01-01",
            "official_date": "2011-01-01",
        },
        headers=h,
    )
    assert resp.status_code == 422
    assert [d["field"] for d in resp.json()["details"]] == ["official_date"]


def test_create_and_update(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    nfd = unicodedata.normalize("NFD", "Trịnh Thị Ngọc Ánh")
    resp = client.post(
        "/api/v1/members",
        json={
            "unit_id": org.units["A1"].id,
            "full_name": nfd,
            "gender": "female",
            "cccd": "001190012345",
            "admission_date": "2019-09-02",
            "official_date": "2020-09-02",
            "hometown": unicodedata.normalize("NFD", "Hà Nội"),
        },
        headers=h,
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["full_name"] == "Trịnh Thị Ngọc Ánh" and body["hometown"] == "Hà Nội"
    assert body["cccd_masked"] == "********2345" and "001190012345" not in resp.text

    found = client.get("/api/v1/members", params={"q": "ngoc anh"}, headers=h).json()["items"]
    assert [i["id"] for i in found] == [body["id"]]

    resp = client.patch(
        f"/api/v1/members/{body['id']}",
        json={"status": "exempted", "education_level": "12/12"},
        headers=h,
    )
    assert resp.status_code == 200
    assert resp.json()["status"] == "exempted" and resp.json()["education_level"] == "12/12"

    resp = client.patch(
        f"/api/v1/members/{body['id']}", json={"unit_id": org.units["A"].id}, headers=h
    )
    assert resp.status_code == 422 and resp.json()["details"][0]["field"] == "unit_id"

    # The auditor reads but never writes.
    auditor = bearer(session, org.accounts["auditor"])
    resp = client.patch(
        f"/api/v1/members/{body['id']}", json={"phone": "0912345678"}, headers=auditor
    )
    assert resp.status_code == 403


def test_duplicate_cccd_is_409(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["admin"])
    resp = client.patch(
        f"/api/v1/members/{org.members['mem_a'].id}",
        json={"cccd": org.members["mem_d"].cccd},
        headers=h,
    )
    assert resp.status_code == 409
    assert resp.json()["details"][0]["field"] == "cccd"
    assert org.members["mem_d"].cccd not in resp.text
