"""A new meeting's quorum starts from its unit's default when the request names none (issue 17)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.meetings.models import Meeting
from tests.factories.accounts import bearer
from tests.factories.org import Org
from tests.factories.transfers import web_login

UNIT_RULE = {"numerator": 1, "denominator": 2, "strict": False, "base": "all_members"}


def _create(client: TestClient, h: dict[str, str], unit_id: int, **extra: object) -> dict[str, Any]:
    body = {
        "unit_id": unit_id,
        "title": "Sinh hoạt chi bộ tháng 12",
        "starts_at": "2026-12-10T19:30:00+07:00",
        "place": "Nhà văn hóa khu phố",
        **extra,
    }
    resp = client.post("/api/v1/meetings", json=body, headers=h)
    assert resp.status_code == 201, resp.text
    rule: dict[str, Any] = resp.json()["quorum"]["rule"]
    return rule


def test_omitted_quorum_takes_the_units_default(
    client: TestClient, session: Session, org: Org
) -> None:
    admin = bearer(session, org.accounts["admin"])
    uid = org.units["A"].id
    h = bearer(session, org.accounts["sec_a"])
    # No default set: the product's rule, as before.
    assert _create(client, h, uid) == {
        "numerator": 2, "denominator": 3, "strict": True, "base": "must_attend",
    }  # fmt: skip
    resp = client.put(f"/api/v1/units/{uid}/settings", json={"quorum": UNIT_RULE}, headers=admin)
    assert resp.status_code == 200, resp.text
    assert _create(client, h, uid) == UNIT_RULE
    assert _create(client, h, uid, quorum=None) == UNIT_RULE
    # An explicit rule is kept as sent, even when it equals the product's default.
    explicit = {"numerator": 2, "denominator": 3, "strict": True, "base": "must_attend"}
    assert _create(client, h, uid, quorum=explicit) == explicit
    # Another cell keeps the product's rule.
    assert _create(client, admin, org.units["B"].id)["numerator"] == 2


def test_the_web_form_takes_the_units_default(
    client: TestClient, session: Session, org: Org
) -> None:
    unit = org.units["A"]
    unit.quorum_numerator, unit.quorum_denominator = 1, 2
    unit.quorum_strict, unit.quorum_base = False, "all_members"
    session.flush()
    csrf = web_login(client, session, org.accounts["sec_a"])
    form = {
        "unit_id": str(unit.id),
        "title": "Sinh hoạt chi bộ tháng 12",
        "starts_at": "2026-12-10T19:30",
        "place": "Nhà văn hóa khu phố",
    }
    resp = client.post("/meetings", data=form, headers=csrf, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    meeting = session.scalars(select(Meeting).order_by(Meeting.id.desc())).first()
    assert meeting is not None
    assert (meeting.quorum_numerator, meeting.quorum_denominator) == (1, 2)
    assert (meeting.quorum_strict, meeting.quorum_base) == (False, "all_members")
