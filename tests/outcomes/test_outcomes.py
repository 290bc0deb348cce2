"""Meeting outcomes: resolutions (with and without a document file) and the self-assessment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.documents.models import Document
from app.meetings.models import MeetingStatus
from app.notifications.models import Notification
from app.outcomes.models import AssessmentBand, AssessmentCriterion
from tests.factories.accounts import bearer
from tests.factories.documents import make_document
from tests.factories.meetings import make_meeting
from tests.factories.org import Org

HELD = datetime(2026, 3, 5, 12, tzinfo=UTC)


def resolution(**over: Any) -> dict[str, Any]:
    return {
        "number": "05-NQ/CB",
        "issued_on": "2026-03-06",
        "title": "Nghị quyết sinh hoạt chi bộ tháng 3",
        "summary": "Tập trung vận động vệ sinh môi trường khu phố.",
        **over,
    }


def kinds(session: Session, org: Org, member: str) -> list[str]:
    return list(
        session.scalars(
            select(Notification.kind).where(Notification.member_id == org.members[member].id)
        )
    )


def test_resolution_is_issued_and_distributed(
    client: TestClient, session: Session, org: Org
) -> None:
    meeting = make_meeting(session, org.units["A"], status=MeetingStatus.closed, starts_at=HELD)
    sec = bearer(session, org.accounts["sec_a"])
    url = f"/api/v1/meetings/{meeting.id}/resolutions"
    resp = client.post(url, json=resolution(), headers=sec)
    assert resp.status_code == 201, resp.text
    assert resp.json()["meeting_id"] == meeting.id
    assert "resolution.issued" in kinds(session, org, "mem_a")
    assert "resolution.issued" in kinds(session, org, "mem_a1")  # the party group below the cell
    assert "resolution.issued" not in kinds(session, org, "mem_b")
    assert client.post(url, json=resolution(), headers=sec).status_code == 409
    listed = client.get(url, headers=bearer(session, org.accounts["mem_a"])).json()
    assert [r["number"] for r in listed] == ["05-NQ/CB"]
    # A member cannot issue; another cell's secretary does not see the meeting.
    mem = bearer(session, org.accounts["mem_a"])
    assert client.post(url, json=resolution(number="06"), headers=mem).status_code == 403
    sec_b = bearer(session, org.accounts["sec_b"])
    assert client.post(url, json=resolution(number="06"), headers=sec_b).status_code == 404
    assert client.get(url, headers=sec_b).status_code == 404


def test_resolution_needs_a_held_meeting(client: TestClient, session: Session, org: Org) -> None:
    meeting = make_meeting(session, org.units["A"], status=MeetingStatus.noticed)
    resp = client.post(
        f"/api/v1/meetings/{meeting.id}/resolutions",
        json=resolution(),
        headers=bearer(session, org.accounts["sec_a"]),
    )
    assert resp.status_code == 409


def test_resolution_with_its_file_is_published_as_a_document(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    meeting = make_meeting(session, org.units["A"], status=MeetingStatus.closed, starts_at=HELD)
    sec = bearer(session, org.accounts["sec_a"])
    plan = make_document(session, settings, by=org.accounts["sec_a"], unit=org.units["A"])
    url = f"/api/v1/meetings/{meeting.id}/resolutions"
    # Only a document of kind nghị quyết can be the resolution's file.
    assert client.post(url, json=resolution(document_id=plan.id), headers=sec).status_code == 422
    doc = make_document(
        session, settings, by=org.accounts["sec_a"], unit=org.units["A"], title="Nghị quyết"
    )
    doc.kind = "nghi_quyet"
    session.flush()
    resp = client.post(url, json=resolution(document_id=doc.id), headers=sec)
    assert resp.status_code == 201, resp.text
    session.expire_all()
    assert session.get(Document, doc.id).status == "published"  # type: ignore[union-attr]
    assert "document.published" in kinds(session, org, "mem_a")


def test_criteria_are_data(client: TestClient, session: Session, org: Org) -> None:
    mem = bearer(session, org.accounts["mem_a"])
    url = f"/api/v1/units/{org.units['A'].id}/assessment-criteria"
    seeded = client.get(url, headers=mem).json()
    assert len(seeded["criteria"]) == 7 and seeded["max_total"] == 100
    assert [b["grade"] for b in seeded["bands"]] == ["tot", "kha", "trung_binh", "kem"]
    # A cell's own criteria replace the default set, for it and the units below it.
    unit = org.units["A"]
    session.add_all(
        [
            AssessmentCriterion(unit_id=unit.id, code="A", text="Đúng giờ", max_score=4),
            AssessmentCriterion(unit_id=unit.id, code="B", text="Sôi nổi", max_score=6),
            AssessmentBand(unit_id=unit.id, grade="dat", label="Đạt", min_percent=50),
            AssessmentBand(unit_id=unit.id, grade="chua_dat", label="Chưa đạt", min_percent=0),
        ]
    )
    session.flush()
    own = client.get(url, headers=mem).json()
    assert [c["code"] for c in own["criteria"]] == ["A", "B"] and own["max_total"] == 10
    a1 = client.get(
        f"/api/v1/units/{org.units['A1'].id}/assessment-criteria",
        headers=bearer(session, org.accounts["sec_a"]),
    ).json()
    assert a1["max_total"] == 10
    b = client.get(
        f"/api/v1/units/{org.units['B'].id}/assessment-criteria",
        headers=bearer(session, org.accounts["sec_b"]),
    ).json()
    assert b["max_total"] == 100
    assert (
        client.get(
            f"/api/v1/units/{org.units['B'].id}/assessment-criteria", headers=mem
        ).status_code
        == 404
    )


def test_assessment_total_and_grade(client: TestClient, session: Session, org: Org) -> None:
    meeting = make_meeting(session, org.units["A"], status=MeetingStatus.closed, starts_at=HELD)
    sec = bearer(session, org.accounts["sec_a"])
    criteria = client.get(
        f"/api/v1/units/{org.units['A'].id}/assessment-criteria", headers=sec
    ).json()["criteria"]
    url = f"/api/v1/meetings/{meeting.id}/assessment"
    # Every criterion at its maximum less 3 points: 100 - 21 = 79, just under "Tốt" (80%).
    scores = [{"criterion_id": c["id"], "score": c["max_score"] - 3} for c in criteria]
    assert client.post(url, json={"scores": scores[:-1]}, headers=sec).status_code == 422
    over = [*scores[:-1], {"criterion_id": criteria[-1]["id"], "score": 99}]
    assert client.post(url, json={"scores": over}, headers=sec).status_code == 422
    mem = bearer(session, org.accounts["mem_a"])
    assert client.post(url, json={"scores": scores}, headers=mem).status_code == 403
    resp = client.post(url, json={"scores": scores, "note": "Cần chuẩn bị kỹ hơn"}, headers=sec)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert (body["total"], body["max_total"], body["grade"], body["grade_label"]) == (
        79,
        100,
        "kha",
        "Khá",
    )
    assert len(body["scores"]) == 7
    assert client.post(url, json={"scores": scores}, headers=sec).status_code == 409
    assert client.get(url, headers=mem).json()["total"] == 79
    assert client.get(url, headers=bearer(session, org.accounts["mem_b"])).status_code == 404


def test_assessment_bands_edge(session: Session) -> None:
    from app.outcomes.service import grade_for

    bands = [
        AssessmentBand(grade="tot", label="Tốt", min_percent=80),
        AssessmentBand(grade="kem", label="Kém", min_percent=0),
    ]
    assert grade_for(80, 100, bands).grade == "tot"
    assert grade_for(79, 100, bands).grade == "kem"
    assert grade_for(8, 10, bands).grade == "tot"
    assert session.scalar(select(func.count(AssessmentBand.id))) == 4


def test_outcomes_page_issue_and_assess(client: TestClient, session: Session, org: Org) -> None:
    from tests.factories.transfers import web_login

    meeting = make_meeting(session, org.units["A"], status=MeetingStatus.closed, starts_at=HELD)
    csrf = web_login(client, session, org.accounts["sec_a"])
    url = f"/meetings/{meeting.id}/outcomes"
    page = client.get(url)
    assert page.status_code == 200 and "Ban hành nghị quyết" in page.text
    form = {"number": "07-NQ/CB", "issued_on": "2026-03-06", "title": "Nghị quyết tháng 3"}
    resp = client.post(f"{url}/resolutions", headers=csrf, data=form)
    assert resp.status_code == 200 and "07-NQ/CB" in resp.text
    again = client.post(f"{url}/resolutions", headers=csrf, data=form)
    assert again.status_code == 409
    criteria = session.scalars(
        select(AssessmentCriterion).where(AssessmentCriterion.unit_id.is_(None))
    ).all()
    scores = {f"score_{c.id}": str(c.max_score) for c in criteria}
    resp = client.post(f"{url}/assessment", headers=csrf, data={**scores, "note": "Tốt"})
    assert resp.status_code == 200 and "100/100" in resp.text
    web_login(client, session, org.accounts["mem_b"])
    assert client.get(url).status_code == 404
