"""Unit tree JSON API: list and search, read, history, create, rename, move, dissolve."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import bearer
from tests.factories.org import Org


def test_list_is_scoped_and_searchable(client: TestClient, session: Session, org: Org) -> None:
    resp = client.get("/api/v1/units", headers=bearer(session, org.accounts["sec_a"]))
    assert resp.status_code == 200
    assert {u["code"] for u in resp.json()} == {"A", "A1"}
    first = resp.json()[0]
    assert set(first) == {
        "id",
        "code",
        "name",
        "kind",
        "parent_id",
        "path",
        "depth",
        "dissolved_at",
    }

    admin = bearer(session, org.accounts["admin"])
    resp = client.get("/api/v1/units", params={"q": "chi bo khu pho"}, headers=admin)
    assert {u["code"] for u in resp.json()} == {"A", "B"}


def test_lifecycle_through_the_api(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["admin"])
    resp = client.post(
        "/api/v1/units",
        json={
            "code": "CB-MOI",
            "name": "  Chi bộ   Mới ",
            "kind": "cell",
            "parent_id": org.units["W1"].id,
        },
        headers=h,
    )
    assert resp.status_code == 201, resp.text
    new = resp.json()
    assert new["name"] == "Chi bộ Mới"
    uid = new["id"]

    resp = client.patch(f"/api/v1/units/{uid}", json={"name": "Chi bộ Đổi Tên"}, headers=h)
    assert resp.json()["name"] == "Chi bộ Đổi Tên"
    resp = client.post(
        f"/api/v1/units/{uid}/move", json={"parent_id": org.units["W2"].id}, headers=h
    )
    assert resp.status_code == 200
    assert resp.json()["path"] == f"{org.units['W2'].path}{uid}/"
    resp = client.post(f"/api/v1/units/{uid}/dissolve", headers=h)
    assert resp.json()["dissolved_at"] is not None

    history = client.get(f"/api/v1/units/{uid}/history", headers=h).json()
    assert [e["kind"] for e in history] == ["created", "renamed", "moved", "dissolved"]


def test_move_into_own_subtree_is_422(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["admin"])
    resp = client.post(
        f"/api/v1/units/{org.units['W1'].id}/move",
        json={"parent_id": org.units["A1"].id},
        headers=h,
    )
    assert resp.status_code == 422
    assert resp.json()["details"][0]["field"] == "parent_id"


def test_bad_input_names_the_field(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["admin"])
    resp = client.post(
        "/api/v1/units",
        json={"code": "có dấu", "name": "X", "kind": "planet", "parent_id": org.units["W1"].id},
        headers=h,
    )
    assert resp.status_code == 422
    fields = {d["field"] for d in resp.json()["details"]}
    assert {"code", "name", "kind"} <= fields


def test_dissolving_a_unit_with_members_is_409(
    client: TestClient, session: Session, org: Org
) -> None:
    h = bearer(session, org.accounts["admin"])
    resp = client.post(f"/api/v1/units/{org.units['A'].id}/dissolve", headers=h)
    assert resp.status_code == 409


def test_other_branches_are_invisible(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    assert client.get(f"/api/v1/units/{org.units['B'].id}", headers=h).status_code == 404
    assert client.get(f"/api/v1/units/{org.units['B'].id}/history", headers=h).status_code == 404
    assert client.get(f"/api/v1/units/{org.units['A'].id}", headers=h).status_code == 200
    resp = client.patch(f"/api/v1/units/{org.units['A'].id}", json={"name": "Tên khác"}, headers=h)
    assert resp.status_code == 403
