"""Editing and ending member sub-records through the API: PATCH, /end, 404s, 403s and 422s."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from tests.factories.accounts import bearer
from tests.factories.org import Org


def _post(
    client: TestClient, h: dict[str, str], mid: int, kind: str, body: Mapping[str, object]
) -> int:
    resp = client.post(f"/api/v1/members/{mid}/{kind}", json=body, headers=h)
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def test_patch_changes_only_what_is_sent(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    mid = org.members["mem_a"].id
    rid = _post(
        client,
        h,
        mid,
        "work-history",
        {"organisation": "UBND phường", "position": "Cán bộ", "start_date": "2010-01-01"},
    )
    url = f"/api/v1/members/{mid}/work-history/{rid}"
    resp = client.patch(url, json={"position": "Phó chủ tịch"}, headers=h)
    assert resp.status_code == 200 and resp.json() == {"id": rid, "kind": "work-history"}
    (row,) = client.get(f"/api/v1/members/{mid}", headers=h).json()["work_history"]
    assert (row["organisation"], row["position"], row["start_date"]) == (
        "UBND phường",
        "Phó chủ tịch",
        "2010-01-01",
    )
    # Bad input: 422 naming the field, and nothing lost.
    for body in (
        {"end_date": "2009-01-01"},  # before the stored start
        {"organisation": ""},  # a required field cleared
        {"organisation": None},
        {"organisation": "x" * 256},
        {"start_date": "not a date"},
        {"colour": "red"},
    ):
        bad = client.patch(url, json=body, headers=h)
        assert bad.status_code == 422, (body, bad.text)
        assert bad.json()["details"][0]["field"] in (*body.keys(), "organisation")
    (row,) = client.get(f"/api/v1/members/{mid}", headers=h).json()["work_history"]
    assert row["organisation"] == "UBND phường" and row["end_date"] is None
    assert client.patch(url, json=[], headers=h).status_code == 422


def test_ending_a_period_and_ratings(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    mid = org.members["mem_a"].id
    rid = _post(client, h, mid, "trainings", {"course": "Sơ cấp", "start_date": "2015-03-01"})
    end = f"/api/v1/members/{mid}/trainings/{rid}/end"
    assert client.post(end, json={"end_date": "2015-01-01"}, headers=h).status_code == 422
    assert client.post(end, json={}, headers=h).status_code == 422
    assert client.post(end, json={"end_date": "2015-06-30"}, headers=h).status_code == 200
    again = client.post(end, json={"end_date": "2016-06-30"}, headers=h)
    assert again.status_code == 409 and again.json()["details"][0]["field"] == "end_date"
    (row,) = client.get(f"/api/v1/members/{mid}", headers=h).json()["trainings"]
    assert row["end_date"] == "2015-06-30"

    first = _post(client, h, mid, "ratings", {"year": 2021, "grade": "HTNV"})
    second = _post(client, h, mid, "ratings", {"year": 2022, "grade": "HTNV"})
    taken = client.patch(f"/api/v1/members/{mid}/ratings/{second}", json={"year": 2021}, headers=h)
    assert taken.status_code == 409 and taken.json()["details"][0]["field"] == "year"
    grade = client.patch(f"/api/v1/members/{mid}/ratings/{first}", json={"grade": "A"}, headers=h)
    assert grade.status_code == 422
    ok = client.patch(f"/api/v1/members/{mid}/ratings/{first}", json={"grade": "HTXSNV"}, headers=h)
    assert ok.status_code == 200
    actions = set(session.scalars(select(AuditLog.action)))
    assert {"member.training.end", "member.rating.update"} <= actions


def test_another_members_record_or_a_hidden_member_is_404(
    client: TestClient, session: Session, org: Org
) -> None:
    h = bearer(session, org.accounts["sec_a"])
    mid = org.members["mem_a"].id
    rid = _post(client, h, mid, "awards", {"awarded_on": "2020-05-19", "title": "Giấy khen"})
    body = {"title": "Bằng khen"}
    other = org.members["sec_a"].id  # visible, but the award is not theirs
    missing = client.patch(f"/api/v1/members/{mid}/awards/999999", json=body, headers=h)
    wrong = client.patch(f"/api/v1/members/{other}/awards/{rid}", json=body, headers=h)
    assert missing.status_code == wrong.status_code == 404
    assert missing.json() == wrong.json()
    # Another cell's secretary does not see this member at all.
    hidden = client.patch(
        f"/api/v1/members/{mid}/awards/{rid}",
        json=body,
        headers=bearer(session, org.accounts["sec_b"]),
    )
    assert hidden.status_code == 404
    # A plain member may read their profile but not edit it; an award has no end.
    own = client.patch(
        f"/api/v1/members/{mid}/awards/{rid}",
        json=body,
        headers=bearer(session, org.accounts["mem_a"]),
    )
    assert own.status_code == 403
    no_end = client.post(
        f"/api/v1/members/{mid}/awards/{rid}/end", json={"end_date": "2021-01-01"}, headers=h
    )
    assert no_end.status_code in (404, 405)


def test_discipline_edit_is_for_those_who_may_read_it(
    client: TestClient, session: Session, org: Org
) -> None:
    sec = bearer(session, org.accounts["sec_a"])
    mid = org.members["mem_a"].id
    body = {"decided_on": "2021-06-01", "form": "khien_trach", "reason": "Vắng họp"}
    rid = _post(client, sec, mid, "disciplines", body)
    url = f"/api/v1/members/{mid}/disciplines/{rid}"
    staff = bearer(session, org.accounts["staff_w1"])
    assert client.patch(url, json={"reason": "Khác"}, headers=staff).status_code == 403
    assert client.patch(url, json={"form": "phat_tien"}, headers=sec).status_code == 422
    resp = client.patch(url, json={"reason": "Vi phạm bí mật", "form": "canh_cao"}, headers=sec)
    assert resp.status_code == 200
    (d,) = client.get(f"/api/v1/members/{mid}/sensitive", headers=sec).json()["disciplines"]
    assert (d["form"], d["reason"]) == ("canh_cao", "Vi phạm bí mật")
    (entry,) = session.scalars(
        select(AuditLog).where(AuditLog.action == "member.discipline.update")
    ).all()
    assert entry.detail == {"member_id": mid, "fields": ["form", "reason"]}
