"""Unit web pages: the tree with member counts, a unit's page and the management forms."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts import service as accounts_service
from app.accounts.models import Account
from app.core.config import AuthSettings
from app.core.deps import SESSION_COOKIE
from app.units.models import Unit
from tests.factories.org import Org


def sign_in(client: TestClient, session: Session, account: Account) -> str:
    secret, row = accounts_service.issue_token(
        session, AuthSettings(), account=account, kind="session", ip="test"
    )
    client.cookies.set(SESSION_COOKIE, secret)
    return row.csrf_token


def test_tree_shows_visible_units_with_counts(
    client: TestClient, session: Session, org: Org
) -> None:
    sign_in(client, session, org.accounts["staff_w1"])
    resp = client.get("/units")
    assert resp.status_code == 200
    html = resp.text
    assert "Đảng ủy phường Bến Nghé" in html and "Chi bộ Khu phố 2" in html
    assert "Chi bộ Ấp 3" not in html  # W2's cell is outside W1
    # W1: one member of its own, plus A (2), A1 (1) and B (2).
    assert "(tổng 6)" in html


def test_anonymous_is_sent_to_login(client: TestClient) -> None:
    resp = client.get("/units/1", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/login?next=/units/1"


def test_unit_page_and_forms(client: TestClient, session: Session, org: Org) -> None:
    csrf = sign_in(client, session, org.accounts["admin"])
    a = org.units["A"]
    page = client.get(f"/units/{a.id}")
    assert page.status_code == 200
    assert "Tổ đảng số 1" in page.text  # child
    assert f'href="/members?unit_id={a.id}"' in page.text
    assert f'action="/units/{a.id}/rename"' in page.text

    resp = client.post(
        f"/units/{a.id}/rename",
        data={"name": "Chi bộ Khu phố Một", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"] == f"/units/{a.id}"
    session.refresh(a)
    assert a.name == "Chi bộ Khu phố Một"

    resp = client.post(
        "/units",
        data={
            "code": "A2",
            "name": "Tổ đảng số 2",
            "kind": "other",
            "parent_id": a.id,
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303
    new_id = int(resp.headers["location"].rsplit("/", 1)[1])
    assert session.get(Unit, new_id) is not None

    # A refused action shows the reason on the page and writes nothing.
    resp = client.post(f"/units/{a.id}/dissolve", data={"csrf_token": csrf})
    assert resp.status_code == 409
    assert "đảng viên đang sinh hoạt" in resp.text
    session.refresh(a)
    assert a.dissolved_at is None
    resp = client.post(
        "/units",
        data={"code": "A", "name": "Trùng", "kind": "cell", "parent_id": a.id, "csrf_token": csrf},
    )
    assert resp.status_code == 409 and "A" in resp.text


def test_history_is_shown(client: TestClient, session: Session, org: Org) -> None:
    csrf = sign_in(client, session, org.accounts["admin"])
    b = org.units["B"]
    client.post(f"/units/{b.id}/move", data={"parent_id": org.units["W2"].id, "csrf_token": csrf})
    page = client.get(f"/units/{b.id}")
    assert "Chuyển sang đơn vị cấp trên khác" in page.text
    assert "Đảng ủy xã Tân Phú" in page.text


def test_secretary_sees_no_management_and_cannot_post(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = sign_in(client, session, org.accounts["sec_a"])
    page = client.get(f"/units/{org.units['A'].id}")
    assert page.status_code == 200 and "/rename" not in page.text
    assert client.get(f"/units/{org.units['B'].id}").status_code == 404
    resp = client.post(
        f"/units/{org.units['A'].id}/rename", data={"name": "X Y", "csrf_token": csrf}
    )
    assert resp.status_code == 403
