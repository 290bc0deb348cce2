"""Member sub-records through the API: work history, awards, training, ratings and discipline."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from tests.factories.accounts import bearer
from tests.factories.members import make_member
from tests.factories.org import Org


def test_add_and_remove_records(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    mid = org.members["mem_a"].id
    posts = {
        "work-history": {
            "organisation": "UBND phường Bến Nghé",
            "position": "Chuyên viên",
            "start_date": "2001-01-01",
            "end_date": "2010-01-01",
        },
        "awards": {
            "awarded_on": "2020-05-19",
            "title": "Huy hiệu 30 năm tuổi Đảng",
            "badge_years": 30,
        },
        "trainings": {"course": "Trung cấp lý luận chính trị", "institution": "Trường Chính trị"},
        "ratings": {"year": 2021, "grade": "HTXSNV"},
    }
    ids = {}
    for kind, body in posts.items():
        resp = client.post(f"/api/v1/members/{mid}/{kind}", json=body, headers=h)
        assert resp.status_code == 201, (kind, resp.text)
        assert resp.json()["kind"] == kind
        ids[kind] = resp.json()["id"]

    profile = client.get(f"/api/v1/members/{mid}", headers=h).json()
    assert profile["work_history"][0]["organisation"] == "UBND phường Bến Nghé"
    assert profile["awards"][0]["badge_years"] == 30
    assert profile["trainings"][0]["course"] == "Trung cấp lý luận chính trị"
    rating = next(r for r in profile["ratings"] if r["year"] == 2021)
    assert rating["label"] == "Hoàn thành xuất sắc nhiệm vụ" and rating["grade"] == "HTXSNV"

    for kind, rid in ids.items():
        assert client.delete(f"/api/v1/members/{mid}/{kind}/{rid}", headers=h).status_code == 204
        assert client.delete(f"/api/v1/members/{mid}/{kind}/{rid}", headers=h).status_code == 404
    profile = client.get(f"/api/v1/members/{mid}", headers=h).json()
    assert profile["work_history"] == [] and profile["awards"] == [] and profile["trainings"] == []
    actions = set(session.scalars(select(AuditLog.action).where(AuditLog.action.like("member.%"))))
    assert {"member.award.add", "member.award.delete", "member.rating.add"} <= actions


def test_record_of_another_member_is_404(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    resp = client.post(
        f"/api/v1/members/{org.members['mem_a'].id}/trainings",
        json={"course": "Bồi dưỡng"},
        headers=h,
    )
    rid = resp.json()["id"]
    other = org.members["sec_a"].id
    assert client.delete(f"/api/v1/members/{other}/trainings/{rid}", headers=h).status_code == 404


def test_record_validation(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    mid = org.members["mem_a"].id
    resp = client.post(
        f"/api/v1/members/{mid}/work-history",
        json={"organisation": "X", "start_date": "2010-01-01", "end_date": "2009-01-01"},
        headers=h,
    )
    assert resp.status_code == 422 and resp.json()["details"][0]["field"] == "end_date"
    resp = client.post(f"/api/v1/members/{mid}/awards", json={"title": "Giấy khen"}, headers=h)
    assert resp.status_code == 422 and resp.json()["details"][0]["field"] == "awarded_on"
    resp = client.post(
        f"/api/v1/members/{mid}/ratings", json={"year": 2020, "grade": "A+"}, headers=h
    )
    assert resp.status_code == 422 and resp.json()["details"][0]["field"] == "grade"


def test_rating_rules_through_the_api(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    today = date.today()
    # Joined on 15/8/2023: less than 6 months before 31/12/2023, so 2023 is not rated.
    newcomer = make_member(
        session, org.units["A"], "Phan Văn Mới", admission_date=date(2023, 8, 15)
    )
    resp = client.post(
        f"/api/v1/members/{newcomer.id}/ratings", json={"year": 2023, "grade": "HTNV"}, headers=h
    )
    assert resp.status_code == 422
    assert resp.json()["details"][0]["field"] == "grade"
    assert "chưa đủ 6 tháng" in resp.json()["message"]
    resp = client.post(
        f"/api/v1/members/{newcomer.id}/ratings", json={"year": 2024, "grade": "HTNV"}, headers=h
    )
    assert resp.status_code == 201

    mid = org.members["mem_a"].id
    first = client.post(
        f"/api/v1/members/{mid}/ratings", json={"year": 2022, "grade": "HTTNV"}, headers=h
    )
    assert first.status_code == 201
    again = client.post(
        f"/api/v1/members/{mid}/ratings", json={"year": 2022, "grade": "HTNV"}, headers=h
    )
    assert again.status_code == 409 and again.json()["details"][0]["field"] == "year"
    future = client.post(
        f"/api/v1/members/{mid}/ratings", json={"year": today.year + 1, "grade": "HTNV"}, headers=h
    )
    assert future.status_code == 422

    exempt = make_member(session, org.units["A"], "Cao Văn Miễn", status="exempted")
    resp = client.post(
        f"/api/v1/members/{exempt.id}/ratings",
        json={"year": today.year, "grade": "HTNV"},
        headers=h,
    )
    assert resp.status_code == 422
    rows = client.get(f"/api/v1/members/{exempt.id}", headers=h).json()["ratings"]
    assert rows[0]["grade"] == "MIEN" and "miễn sinh hoạt" in rows[0]["label"]
    resp = client.post(
        f"/api/v1/members/{exempt.id}/ratings",
        json={"year": today.year, "grade": "MIEN"},
        headers=h,
    )
    assert resp.status_code == 201


def test_discipline_is_sensitive(client: TestClient, session: Session, org: Org) -> None:
    mid = org.members["mem_a"].id
    body = {
        "decided_on": "2021-06-01",
        "form": "canh_cao",
        "reason": "Vi phạm quy định về lời nói bí mật",
        "decision_number": "12-QĐ/ĐU",
    }
    staff = bearer(session, org.accounts["staff_w1"])
    assert (
        client.post(f"/api/v1/members/{mid}/disciplines", json=body, headers=staff).status_code
        == 403
    )

    sec = bearer(session, org.accounts["sec_a"])
    resp = client.post(f"/api/v1/members/{mid}/disciplines", json=body, headers=sec)
    assert resp.status_code == 201
    rid = resp.json()["id"]

    # The profile only says yes; the details come from the audited sensitive endpoint.
    for who in ("staff_w1", "sec_a", "auditor"):
        prof = client.get(f"/api/v1/members/{mid}", headers=bearer(session, org.accounts[who]))
        assert prof.json()["has_discipline"] is True
        assert "bí mật" not in prof.text and "canh_cao" not in prof.text
    sens = client.get(f"/api/v1/members/{mid}/sensitive", headers=sec).json()
    (d,) = sens["disciplines"]
    assert (d["form"], d["form_label"], d["reason"]) == ("canh_cao", "Cảnh cáo", body["reason"])

    logged = session.scalars(select(AuditLog).where(AuditLog.object_type == "discipline")).all()
    assert [r.action for r in logged] == ["member.discipline.add"]
    assert "bí mật" not in str(logged[0].detail)

    assert (
        client.delete(f"/api/v1/members/{mid}/disciplines/{rid}", headers=staff).status_code == 403
    )
    assert client.delete(f"/api/v1/members/{mid}/disciplines/{rid}", headers=sec).status_code == 204
