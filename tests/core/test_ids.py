"""Ids at the boundary: one that cannot fit an id column is a 422 wherever it is sent, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.ids import MAX_ID
from tests.factories.accounts import bearer
from tests.factories.org import Org

HUGE = 99999999999999999999  # more than 2**63: SQLite's driver raised OverflowError (a 500)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/v1/documents/{HUGE}"),
        ("POST", f"/api/v1/documents/{HUGE}/withdraw"),
        ("GET", f"/api/v1/meetings/{HUGE}/quorum"),
        ("GET", f"/api/v1/votes/{HUGE}/tally"),
        ("POST", f"/api/v1/votes/{MAX_ID + 1}/open"),
        ("GET", f"/api/v1/calendar/items/{HUGE}"),
        ("DELETE", f"/api/v1/members/1/awards/{HUGE}"),
        ("GET", f"/api/v1/documents?unit_id={HUGE}"),
        ("GET", f"/api/v1/tasks/stats?unit_id={-HUGE}"),
        ("GET", f"/api/v1/documents/1/file?version={HUGE}"),
        ("GET", f"/api/v1/documents/{HUGE}"),
        ("GET", "/api/v1/documents/0"),
    ],
)
def test_out_of_range_ids_in_paths_and_queries_are_422(
    client: TestClient, session: Session, org: Org, method: str, path: str
) -> None:
    h = bearer(session, org.accounts["admin"])
    resp = client.request(method, path, headers=h)
    assert resp.status_code == 422, resp.text
    assert resp.json()["error"] == "invalid"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/members", {"unit_id": HUGE, "full_name": "Nguyễn Văn Một"}),
        ("/api/v1/tasks/grade", {"items": [{"task_id": HUGE, "grade": "HT"}]}),
        ("/api/v1/notifications/read", {"ids": [1, HUGE]}),
        ("/api/v1/units", {"parent_id": MAX_ID + 1, "name": "Chi bộ mới", "kind": "cell"}),
    ],
)
def test_out_of_range_ids_in_bodies_are_422(
    client: TestClient, session: Session, org: Org, path: str, body: dict[str, Any]
) -> None:
    h = bearer(session, org.accounts["admin"])
    resp = client.post(path, json=body, headers=h)
    assert resp.status_code == 422, resp.text


def test_largest_id_is_a_plain_not_found(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["admin"])
    assert client.get(f"/api/v1/documents/{MAX_ID}", headers=h).status_code == 404


def test_every_id_parameter_is_bounded(app: FastAPI) -> None:
    """A new route that takes `x_id: int` instead of `Id` shows up here, not in production."""
    unbounded = []
    for path, item in app.openapi()["paths"].items():
        for method, op in item.items():
            for param in op.get("parameters", []):
                if not param["name"].endswith("_id"):
                    continue
                options = param["schema"].get("anyOf", [param["schema"]])
                ints = [s for s in options if s.get("type") == "integer"]
                # (The audit log's object_id is text: it names objects of any kind.)
                if any(s.get("maximum") != MAX_ID for s in ints):
                    unbounded.append(f"{method.upper()} {path} {param['name']}")
    assert unbounded == []
