"""Optional text of members and their records: "" or null clears it, and the length limit holds.

A length limit on `str | None` itself was applied to None and raised TypeError (a 500), so no
such field could be cleared and an empty one could not be sent at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import bearer
from tests.factories.org import Org

OPTIONAL_TEXT = [
    "hometown",
    "ethnicity",
    "religion",
    "address",
    "education_level",
    "political_theory",
    "professional_qualification",
    "card_number",
    "dossier_number",
]


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_patch_clears_optional_text(
    client: TestClient, session: Session, org: Org, blank: str | None
) -> None:
    h = bearer(session, org.accounts["sec_a"])
    mid = org.members["mem_a"].id
    filled = {f: "Kinh" if f == "ethnicity" else "12" for f in OPTIONAL_TEXT}
    assert client.patch(f"/api/v1/members/{mid}", json=filled, headers=h).status_code == 200
    resp = client.patch(
        f"/api/v1/members/{mid}", json=dict.fromkeys(OPTIONAL_TEXT, blank), headers=h
    )
    assert resp.status_code == 200, resp.text
    assert all(resp.json()[f] is None for f in OPTIONAL_TEXT)


def test_patch_still_limits_length(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    mid = org.members["mem_a"].id
    for field, limit in [("hometown", 255), ("religion", 64), ("address", 500)]:
        resp = client.patch(f"/api/v1/members/{mid}", json={field: "x" * (limit + 1)}, headers=h)
        assert resp.status_code == 422, (field, resp.text)
        assert resp.json()["details"][0]["field"] == field


def test_create_with_blank_optional_text(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    body = {
        "unit_id": org.units["A"].id,
        "full_name": "Ngô Thị Mới",
        **dict.fromkeys(OPTIONAL_TEXT, ""),
    }
    resp = client.post("/api/v1/members", json=body, headers=h)
    assert resp.status_code == 201, resp.text


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("work-history", {"organisation": "x", "position": None}),
        ("work-history", {"organisation": "x", "position": ""}),
        ("awards", {"awarded_on": "2020-05-19", "title": "Bằng khen", "issued_by": ""}),
        ("awards", {"awarded_on": "2020-05-19", "title": "Bằng khen", "badge_years": None}),
        ("awards", {"awarded_on": "2020-05-19", "title": "Bằng khen", "decision_number": None}),
        ("trainings", {"course": "Sơ cấp", "institution": None, "certificate": ""}),
        ("ratings", {"year": 2021, "grade": "HTNV", "note": ""}),
        (
            "disciplines",
            {"decided_on": "2020-01-02", "form": "canh_cao", "reason": "x", "issued_by": None},
        ),
    ],
)
def test_records_take_blank_optional_text(
    client: TestClient, session: Session, org: Org, kind: str, body: dict[str, Any]
) -> None:
    h = bearer(session, org.accounts["sec_a"])
    resp = client.post(f"/api/v1/members/{org.members['mem_a'].id}/{kind}", json=body, headers=h)
    assert resp.status_code == 201, resp.text


def test_records_still_limit_optional_text(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    mid = org.members["mem_a"].id
    long = {"organisation": "x", "position": "x" * 256}
    assert (
        client.post(f"/api/v1/members/{mid}/work-history", json=long, headers=h).status_code == 422
    )
    badge = {"awarded_on": "2020-05-19", "title": "Huy hiệu", "badge_years": 29}
    assert client.post(f"/api/v1/members/{mid}/awards", json=badge, headers=h).status_code == 422
