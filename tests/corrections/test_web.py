"""Web pages for corrections: a member's form and history, the secretary's queue."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.members.models import Correction, Member
from tests.factories.org import Org
from tests.factories.transfers import web_login


def test_member_proposes_and_secretary_approves(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["mem_a"])
    page = client.get("/me/corrections")
    assert page.status_code == 200 and "Mục cần sửa" in page.text
    resp = client.post(
        "/me/corrections",
        headers=csrf,
        data={
            "field": "address",
            "new_value": "12 Lê Lợi, phường Bến Nghé",
            "reason": "Chuyển nhà",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303
    page = client.get(resp.headers["location"])
    assert "12 Lê Lợi, phường Bến Nghé" in page.text and "Đang chờ duyệt" in page.text

    client.cookies.clear()
    csrf = web_login(client, session, org.accounts["sec_a"])
    assert "1 đề nghị đang chờ duyệt" in client.get("/").text
    queue = client.get("/corrections")
    assert "Nguyễn Văn An" in queue.text and "Địa chỉ" in queue.text
    correction = session.query(Correction).one()
    resp = client.post(
        f"/corrections/{correction.id}/approve", headers=csrf, follow_redirects=False
    )
    assert resp.status_code == 303
    member = session.get(Member, org.members["mem_a"].id)
    assert member is not None and member.address == "12 Lê Lợi, phường Bến Nghé"


def test_bad_value_is_shown_on_the_form(client: TestClient, session: Session, org: Org) -> None:
    csrf = web_login(client, session, org.accounts["mem_a"])
    resp = client.post(
        "/me/corrections",
        headers=csrf,
        data={"field": "cccd", "new_value": "123", "reason": "Sai"},
    )
    assert resp.status_code == 422
    assert "Số CCCD phải gồm đúng 12 chữ số" in resp.text
    assert 'value="123"' in resp.text  # the form keeps what was typed


def test_cccd_masked_in_the_queue_for_a_deputy(
    client: TestClient, session: Session, org: Org
) -> None:
    from app.accounts.models import Role
    from tests.factories.accounts import make_account
    from tests.factories.transfers import make_correction

    make_correction(
        session,
        org.members["mem_a"],
        org.accounts["mem_a"],
        field="cccd",
        new_value="079123456789",
    )
    deputy = make_account(session, "deputy_a", role=Role.cell_deputy, unit=org.units["A"])
    web_login(client, session, deputy)
    queue = client.get("/corrections")
    assert queue.status_code == 200
    assert "079123456789" not in queue.text and "(đã ẩn)" in queue.text


def test_reject_from_the_queue(client: TestClient, session: Session, org: Org) -> None:
    from tests.factories.transfers import make_correction

    correction = make_correction(session, org.members["mem_a"], org.accounts["mem_a"])
    csrf = web_login(client, session, org.accounts["sec_a"])
    resp = client.post(
        f"/corrections/{correction.id}/reject",
        headers=csrf,
        data={"note": "Thiếu giấy tờ"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert session.get(Correction, correction.id).status == "rejected"  # type: ignore[union-attr]
    history = client.get("/corrections", params={"status": "rejected"})
    assert "Thiếu giấy tờ" in history.text
