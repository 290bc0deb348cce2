"""Party badges: due in the year of the milestone, overdue later, gone once recorded."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.badges import service as badges
from app.core.audit import AuditLog
from app.core.localtime import local_today
from app.members.models import Award
from tests.factories.accounts import bearer
from tests.factories.members import make_member
from tests.factories.org import Org


def test_milestone_rules() -> None:
    assert badges.milestone(date(1996, 3, 3), 2026, None) == (30, date(2026, 3, 3))
    assert badges.milestone(date(1997, 3, 3), 2026, None) is None
    # Missed at 30, now 40: the 40-year badge is what is due.
    assert badges.milestone(date(1986, 1, 1), 2026, None) == (40, date(2026, 1, 1))
    assert badges.milestone(date(1986, 1, 1), 2026, 40) is None
    assert badges.milestone(date(1990, 1, 1), 2026, 30) is None
    assert badges.anniversary(date(1996, 2, 29), 30) == date(2026, 2, 28)


def test_due_this_year_then_not_after_the_award(
    client: TestClient, session: Session, org: Org
) -> None:
    today = local_today()
    admitted = date(today.year - 30, 1, 15)
    member = make_member(session, org.units["A"], "Trương Văn Lão", admission_date=admitted)
    make_member(session, org.units["A"], "Đã Mất", admission_date=admitted, status="deceased")
    make_member(session, org.units["B"], "Khác Chi Bộ", admission_date=admitted)
    headers = bearer(session, org.accounts["sec_a"])
    url = f"/api/v1/units/{org.units['A'].id}/badges-due"

    due = client.get(url, headers=headers, params={"year": today.year})
    assert due.status_code == 200, due.text
    assert due.json() == [
        {
            "member_id": member.id,
            "full_name": "Trương Văn Lão",
            "unit_id": org.units["A"].id,
            "unit_name": "Chi bộ Khu phố 1",
            "admission_date": admitted.isoformat(),
            "badge_years": 30,
            "due_date": date(today.year, 1, 15).isoformat(),
            "overdue": False,
        }
    ]
    # Not yet recorded a year later: still listed, as overdue.
    later = client.get(url, headers=headers, params={"year": today.year + 1}).json()
    assert [(b["member_id"], b["overdue"]) for b in later] == [(member.id, True)]

    resp = client.post(
        f"/api/v1/members/{member.id}/badges",
        headers=headers,
        json={"badge_years": 30, "awarded_on": today.isoformat()},
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["title"] == "Huy hiệu 30 năm tuổi Đảng"
    assert client.get(url, headers=headers, params={"year": today.year}).json() == []
    assert session.scalar(select(AuditLog.action).where(AuditLog.object_type == "award")) == (
        "member.badge_award"
    )
    again = client.post(
        f"/api/v1/members/{member.id}/badges",
        headers=headers,
        json={"badge_years": 30, "awarded_on": today.isoformat()},
    )
    assert again.status_code == 409


def test_ward_sees_its_subtree(client: TestClient, session: Session, org: Org) -> None:
    year = local_today().year
    make_member(session, org.units["B"], "Ở Chi Bộ B", admission_date=date(year - 45, 6, 1))
    resp = client.get(
        f"/api/v1/units/{org.units['W1'].id}/badges-due",
        headers=bearer(session, org.accounts["staff_w1"]),
        params={"year": year},
    )
    assert [(b["full_name"], b["badge_years"]) for b in resp.json()] == [("Ở Chi Bộ B", 45)]
    # The secretary of A cannot list B: 404, nothing leaks.
    resp = client.get(
        f"/api/v1/units/{org.units['B'].id}/badges-due",
        headers=bearer(session, org.accounts["sec_a"]),
    )
    assert resp.status_code == 404


def test_award_is_validated(client: TestClient, session: Session, org: Org) -> None:
    year = local_today().year
    member = make_member(session, org.units["A"], "Mới Vào", admission_date=date(year - 10, 1, 1))
    headers = bearer(session, org.accounts["sec_a"])
    url = f"/api/v1/members/{member.id}/badges"
    early = client.post(
        url, headers=headers, json={"badge_years": 30, "awarded_on": local_today().isoformat()}
    )
    assert early.status_code == 422
    odd = client.post(
        url, headers=headers, json={"badge_years": 35, "awarded_on": local_today().isoformat()}
    )
    assert odd.status_code == 422
    assert session.scalars(select(Award).where(Award.member_id == member.id)).all() == []
