"""A unit's self-assessment criteria and grade bands (issue 17): service rules and the API."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.errors import Conflict, Invalid, NotFound
from app.core.permissions import Actor, load_actor
from app.meetings.models import MeetingStatus
from app.outcomes import service_criteria
from app.outcomes.models import AssessmentCriterion
from app.outcomes.schemas import BandsIn, CriteriaOrder, CriterionEdit, CriterionIn
from tests.factories.accounts import bearer
from tests.factories.meetings import make_meeting
from tests.factories.org import Org

HELD = datetime(2026, 3, 5, 12, tzinfo=UTC)
BANDS = [
    {"grade": "dat", "label": "Đạt", "min_percent": 50},
    {"grade": "chua_dat", "label": "Chưa đạt", "min_percent": 0},
]


def actor(session: Session, org: Org, name: str = "admin") -> Actor:
    a = load_actor(session, org.accounts[name].id)
    assert a is not None
    return a


def ctx(org: Org) -> AuditContext:
    return AuditContext(actor_account_id=org.accounts["admin"].id, ip="127.0.0.1")


def test_a_unit_starts_from_the_inherited_set_and_copies_it_on_first_change(
    session: Session, org: Org
) -> None:
    a, b = org.units["A"], org.units["B"]
    before = service_criteria.assessment_config(session, actor=actor(session, org), unit_id=a.id)
    assert not before.own_criteria and before.max_total == 100
    inherited = before.criteria[0]
    out = service_criteria.edit_criterion(
        session, ctx(org), actor=actor(session, org), unit_id=a.id,
        criterion_id=inherited.id, data=CriterionEdit(max_score=inherited.max_score + 5),
    )  # fmt: skip
    assert out.own_criteria and out.max_total == 105
    assert all(c.unit_id == a.id for c in out.criteria)
    assert [c.code for c in out.criteria] == [c.code for c in before.criteria]
    # The product's set and a sibling cell are untouched.
    assert session.get(AssessmentCriterion, inherited.id).max_score == inherited.max_score  # type: ignore[union-attr]
    sibling = service_criteria.assessment_config(session, actor=actor(session, org), unit_id=b.id)
    assert sibling.max_total == 100 and not sibling.own_criteria

    out = service_criteria.add_criterion(
        session, ctx(org), actor=actor(session, org), unit_id=a.id,
        data=CriterionIn(code="X1", text="Có chuyên đề", max_score=5),
    )  # fmt: skip
    assert out.criteria[-1].code == "X1" and out.max_total == 110
    with pytest.raises(Conflict):
        service_criteria.add_criterion(
            session, ctx(org), actor=actor(session, org), unit_id=a.id,
            data=CriterionIn(code="X1", text="Lặp mã", max_score=5),
        )  # fmt: skip
    actions = session.scalars(
        select(AuditLog.action)
        .where(AuditLog.action.startswith("assessment."))
        .order_by(AuditLog.id)
    ).all()
    assert actions == ["assessment.criterion_edit", "assessment.criterion_add"]


def test_deactivate_reorder_and_the_last_active_one(session: Session, org: Org) -> None:
    uid = org.units["A"].id
    admin = actor(session, org)
    ids = [
        c.id for c in service_criteria.assessment_config(session, actor=admin, unit_id=uid).criteria
    ]
    out = service_criteria.reorder_criteria(
        session, ctx(org), actor=admin, unit_id=uid, data=CriteriaOrder(ids=list(reversed(ids)))
    )
    codes = [c.code for c in out.criteria]
    own_ids = [c.id for c in out.criteria]
    with pytest.raises(Invalid):  # not every criterion named
        service_criteria.reorder_criteria(
            session, ctx(org), actor=admin, unit_id=uid, data=CriteriaOrder(ids=own_ids[:2])
        )
    with pytest.raises(NotFound):  # the product's rows are no longer this unit's list
        service_criteria.edit_criterion(
            session, ctx(org), actor=admin, unit_id=uid, criterion_id=ids[0],
            data=CriterionEdit(active=False),
        )  # fmt: skip
    for cid in own_ids[:-1]:
        service_criteria.edit_criterion(
            session, ctx(org), actor=admin, unit_id=uid, criterion_id=cid,
            data=CriterionEdit(active=False),
        )  # fmt: skip
    with pytest.raises(Invalid):
        service_criteria.edit_criterion(
            session, ctx(org), actor=admin, unit_id=uid, criterion_id=own_ids[-1],
            data=CriterionEdit(active=False),
        )  # fmt: skip
    out = service_criteria.assessment_config(session, actor=admin, unit_id=uid)
    assert [c.code for c in out.criteria] == codes  # inactive ones stay listed, in order
    assert [c.active for c in out.criteria].count(True) == 1


def test_bands_replace_the_scale(session: Session, org: Org) -> None:
    uid = org.units["A"].id
    out = service_criteria.set_bands(
        session, ctx(org), actor=actor(session, org), unit_id=uid,
        data=BandsIn.model_validate({"bands": BANDS}),
    )  # fmt: skip
    assert out.own_bands and [b.grade for b in out.bands] == ["dat", "chua_dat"]


def test_edited_criteria_keep_old_scores_and_score_new_meetings(
    client: TestClient, session: Session, org: Org
) -> None:
    unit = org.units["A"]
    sec, admin = bearer(session, org.accounts["sec_a"]), bearer(session, org.accounts["admin"])
    first = make_meeting(session, unit, status=MeetingStatus.closed, starts_at=HELD)
    criteria = client.get(f"/api/v1/units/{unit.id}/assessment-criteria", headers=sec).json()
    full = [{"criterion_id": c["id"], "score": c["max_score"]} for c in criteria["criteria"]]
    url = f"/api/v1/meetings/{first.id}/assessment"
    assert client.post(url, json={"scores": full}, headers=sec).status_code == 201

    base = f"/api/v1/units/{unit.id}/assessment"
    cid = criteria["criteria"][0]["id"]
    resp = client.patch(
        f"{base}/criteria/{cid}", json={"text": "Đúng giờ, đủ người"}, headers=admin
    )
    assert resp.status_code == 200, resp.text
    assert client.put(f"{base}/bands", json={"bands": BANDS}, headers=admin).status_code == 200

    old = client.get(url, headers=sec).json()
    assert old["total"] == 100 and old["grade"] != "dat"  # scored before: unchanged

    second = make_meeting(session, unit, status=MeetingStatus.closed, starts_at=HELD)
    now = client.get(f"/api/v1/units/{unit.id}/assessment-criteria", headers=sec).json()
    assert now["criteria"][0]["text"] == "Đúng giờ, đủ người"
    half = [{"criterion_id": c["id"], "score": c["max_score"] // 2 + 1} for c in now["criteria"]]
    resp = client.post(
        f"/api/v1/meetings/{second.id}/assessment", json={"scores": half}, headers=sec
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["grade"] == "dat"
    assert resp.json()["scores"][0]["text"] == "Đúng giờ, đủ người"


@pytest.mark.parametrize(
    "bands",
    [
        [{"grade": "dat", "label": "Đạt", "min_percent": 50}],  # nothing from 0%
        [*BANDS, {"grade": "tot", "label": "Tốt", "min_percent": 50}],  # two at 50%
        [*BANDS, {"grade": "dat", "label": "Lặp", "min_percent": 80}],  # grade twice
        [{"grade": "dat", "label": "x" * 101, "min_percent": 0}],
        [{"grade": "dat", "label": "Đạt", "min_percent": 101}],
        [],
    ],
)
def test_bad_bands_are_422_and_keep_the_scale(
    client: TestClient, session: Session, org: Org, bands: list[dict[str, Any]]
) -> None:
    admin = bearer(session, org.accounts["admin"])
    url = f"/api/v1/units/{org.units['A'].id}/assessment"
    assert client.put(f"{url}/bands", json={"bands": BANDS}, headers=admin).status_code == 200
    resp = client.put(f"{url}/bands", json={"bands": bands}, headers=admin)
    assert resp.status_code == 422
    got = client.get(f"{url}/criteria", headers=admin).json()["bands"]
    assert [b["grade"] for b in got] == ["dat", "chua_dat"]


@pytest.mark.parametrize(
    "body",
    [
        {"code": "có dấu", "text": "Tiêu chí", "max_score": 5},
        {"code": "X2", "text": "T", "max_score": 5},
        {"code": "X2", "text": "Tiêu chí", "max_score": 0},
        {"code": "X2", "text": "x" * 501, "max_score": 5},
        {"code": "X2", "text": "Tiêu chí", "max_score": 5, "active": False},
    ],
)
def test_bad_criteria_are_422(
    client: TestClient, session: Session, org: Org, body: dict[str, Any]
) -> None:
    admin = bearer(session, org.accounts["admin"])
    url = f"/api/v1/units/{org.units['A'].id}/assessment/criteria"
    assert client.post(url, json=body, headers=admin).status_code == 422
    assert not client.get(url, headers=admin).json()["own_criteria"]


def test_api_nfc_scope_and_permission(client: TestClient, session: Session, org: Org) -> None:
    admin = bearer(session, org.accounts["admin"])
    url = f"/api/v1/units/{org.units['A'].id}/assessment/criteria"
    text = unicodedata.normalize("NFD", "Đảng viên phát biểu  ý kiến")
    resp = client.post(url, json={"code": "Y1", "text": text, "max_score": 3}, headers=admin)
    assert resp.status_code == 201, resp.text
    assert resp.json()["criteria"][-1]["text"] == "Đảng viên phát biểu ý kiến"
    assert unicodedata.is_normalized("NFC", resp.json()["criteria"][-1]["text"])

    sec = bearer(session, org.accounts["sec_a"])
    assert client.get(url, headers=sec).status_code == 200
    hidden = client.get(f"/api/v1/units/{org.units['B'].id}/assessment/criteria", headers=sec)
    missing = client.get("/api/v1/units/999999/assessment/criteria", headers=sec)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    body = {"code": "Y2", "text": "Tiêu chí", "max_score": 3}
    assert client.post(url, json=body, headers=sec).status_code == 403
    own = client.get(url, headers=admin).json()["criteria"]
    other = client.patch(
        f"/api/v1/units/{org.units['B'].id}/assessment/criteria/{own[0]['id']}",
        json={"max_score": 4},
        headers=admin,
    )
    assert other.status_code == 404  # A's criterion is not one of B's
