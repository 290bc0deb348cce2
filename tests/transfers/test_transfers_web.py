"""Web pages for transfers and badges: lists, forms, decisions, home card."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.localtime import local_today
from app.members.models import Award, Member
from app.transfers.models import Transfer
from tests.factories.members import make_member
from tests.factories.org import Org
from tests.factories.transfers import make_transfer, web_login


def test_anonymous_is_sent_to_login(client: TestClient, org: Org) -> None:
    resp = client.get("/transfers", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/login?next=/transfers"


def test_member_without_the_right_gets_403(client: TestClient, session: Session, org: Org) -> None:
    web_login(client, session, org.accounts["mem_a"])
    assert client.get("/transfers").status_code == 403


def test_request_from_the_form_then_accept_from_the_list(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    page = client.get("/transfers")
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.text  # member select limited to cell A
    assert "Hoàng Thị Dung" not in page.text  # a member of B is not offered
    assert "Chi bộ Ấp 3" in page.text  # any cell of the tree is a destination
    resp = client.post(
        "/transfers",
        headers=csrf,
        data={
            "kind": "internal",
            "member_id": str(org.members["mem_a"].id),
            "to_unit_id": str(org.units["B"].id),
            "reason": "Chuyển nơi ở",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    outgoing = client.get("/transfers?done=requested")
    assert "Đã gửi yêu cầu chuyển sinh hoạt" in outgoing.text
    assert "Hủy yêu cầu" in outgoing.text

    client.cookies.clear()
    csrf_b = web_login(client, session, org.accounts["sec_b"])
    home = client.get("/")
    assert "1 yêu cầu chuyển đến đang chờ xử lý" in home.text
    page = client.get("/transfers")
    assert "Chấp nhận" in page.text
    transfer_id = session.query(Transfer.id).scalar()
    resp = client.post(f"/transfers/{transfer_id}/accept", headers=csrf_b, follow_redirects=False)
    assert resp.status_code == 303
    member = session.get(Member, org.members["mem_a"].id)
    assert member is not None and member.unit_id == org.units["B"].id


def test_form_errors_are_shown_on_the_page(client: TestClient, session: Session, org: Org) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    make_transfer(session, org.members["mem_a"], org.units["B"])
    resp = client.post(
        "/transfers",
        headers=csrf,
        data={"kind": "out", "member_id": str(org.members["mem_a"].id), "reason": "x"},
    )
    assert resp.status_code == 422 and 'role="alert"' in resp.text
    resp = client.post(
        "/transfers",
        headers=csrf,
        data={
            "kind": "out",
            "member_id": str(org.members["mem_a"].id),
            "external_org": "Đảng bộ tỉnh khác",
            "reason": "x",
        },
    )
    assert resp.status_code == 409
    assert "đã có một yêu cầu chuyển sinh hoạt đang chờ xử lý" in resp.text


def test_arrival_form_creates_an_incoming_transfer(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["staff_w1"])
    resp = client.post(
        "/transfers",
        headers=csrf,
        data={
            "kind": "in",
            "to_unit_id": str(org.units["B"].id),
            "external_org": "Đảng bộ phường 5",
            "full_name": "Mai Văn Đến",
            "admission_date": "1999-09-02",
            "reason": "Về nơi cư trú",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    page = client.get("/transfers")
    assert "Mai Văn Đến" in page.text and "Từ ngoài vào" in page.text


def test_badges_page_lists_and_records(client: TestClient, session: Session, org: Org) -> None:
    year = local_today().year
    member = make_member(session, org.units["A"], "Cụ Ông Ba", admission_date=date(year - 40, 2, 3))
    csrf = web_login(client, session, org.accounts["sec_a"])
    page = client.get(f"/units/{org.units['A'].id}/badges", params={"year": year})
    assert page.status_code == 200
    assert "Cụ Ông Ba" in page.text and "40 năm tuổi Đảng" in page.text
    resp = client.post(
        f"/units/{org.units['A'].id}/badges",
        headers=csrf,
        data={
            "member_id": str(member.id),
            "badge_years": "40",
            "awarded_on": local_today().isoformat(),
            "decision_number": "12-QĐ/TU",
            "year": str(year),
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    assert session.query(Award).filter_by(member_id=member.id, badge_years=40).count() == 1
    page = client.get(resp.headers["location"])
    assert "Cụ Ông Ba" not in page.text and "Đã ghi nhận huy hiệu" in page.text
    # A member of another cell cannot be recorded through A's page.
    resp = client.post(
        f"/units/{org.units['A'].id}/badges",
        headers=csrf,
        data={
            "member_id": str(org.members["mem_b"].id),
            "badge_years": "30",
            "awarded_on": local_today().isoformat(),
        },
    )
    assert resp.status_code == 404


def test_english_page(client: TestClient, session: Session, org: Org) -> None:
    web_login(client, session, org.accounts["sec_a"])
    page = client.get("/transfers", params={"lang": "en"})
    assert "Incoming transfers" in page.text and "Request a transfer for a member" in page.text
