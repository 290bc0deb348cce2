"""Authentication: token issue, CSRF, password change and reset, proxy (throttles: test_throttle)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service
from app.core.audit import AuditLog
from app.core.config import AuthSettings
from app.core.deps import SESSION_COOKIE
from tests.factories.accounts import PASSWORD, bearer
from tests.factories.org import Org


def _token(client: TestClient, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def test_token_endpoint_issues_a_bearer_token(client: TestClient, org: Org) -> None:
    resp = _token(client, "mem_a")
    assert resp.status_code == 200
    body = resp.json()
    assert body["token_type"] == "bearer"
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "mem_a"
    # Membership follows the member's unit: an implicit member grant on cell A.
    assert {"unit_id": org.units["A"].id, "role": "member"} in me.json()["grants"]


def test_login_by_phone_number(client: TestClient, session: Session, org: Org) -> None:
    account = org.accounts["mem_b"]
    account.phone = "0912345678"
    session.flush()
    assert _token(client, "+84 912 345 678").status_code == 200


def test_wrong_password_is_401_and_unknown_user_looks_the_same(
    client: TestClient, org: Org
) -> None:
    bad = _token(client, "mem_a", "sai-mat-khau")
    unknown = _token(client, "khong-ton-tai", "sai-mat-khau")
    assert bad.status_code == unknown.status_code == 401
    assert bad.json()["message"] == unknown.json()["message"]


def test_password_change_revokes_other_tokens(
    client: TestClient, session: Session, org: Org
) -> None:
    headers = bearer(session, org.accounts["mem_a"])
    other = bearer(session, org.accounts["mem_a"])
    resp = client.post(
        "/api/v1/auth/password",
        json={"old_password": PASSWORD, "new_password": "mat-khau-moi-2026"},
        headers=headers,
    )
    assert resp.status_code == 204
    assert client.get("/api/v1/auth/me", headers=other).status_code == 401
    assert _token(client, "mem_a", "mat-khau-moi-2026").status_code == 200


def test_weak_or_wrong_old_password_is_422(client: TestClient, session: Session, org: Org) -> None:
    headers = bearer(session, org.accounts["mem_a"])
    weak = client.post(
        "/api/v1/auth/password",
        json={"old_password": PASSWORD, "new_password": "123"},
        headers=headers,
    )
    assert weak.status_code == 422 and "8" in weak.json()["message"]
    wrong = client.post(
        "/api/v1/auth/password",
        json={"old_password": "khong-dung", "new_password": "mat-khau-moi-2026"},
        headers=headers,
    )
    assert wrong.status_code == 422


def test_cookie_session_requires_csrf_on_post(
    client: TestClient, session: Session, org: Org
) -> None:
    secret, row = service.issue_token(
        session, AuthSettings(), account=org.accounts["mem_a"], kind="session", ip=None
    )
    client.cookies.set(SESSION_COOKIE, secret)
    form = {
        "old_password": PASSWORD,
        "new_password": "mat-khau-moi-2026",
        "confirm_password": "mat-khau-moi-2026",
    }
    assert client.post("/account/password", data=form, follow_redirects=False).status_code == 403
    ok = client.post(
        "/account/password", data={**form, "csrf_token": row.csrf_token}, follow_redirects=False
    )
    assert ok.status_code == 303


def test_web_login_flow_sets_a_session_cookie(client: TestClient, org: Org) -> None:
    page = client.get("/login")
    csrf = client.cookies.get("sotay_csrf")
    assert page.status_code == 200 and csrf
    bad = client.post("/login", data={"username": "mem_a", "password": "sai", "csrf_token": csrf})
    assert bad.status_code == 401 and "không đúng" in bad.text
    ok = client.post(
        "/login",
        data={
            "username": "mem_a",
            "password": PASSWORD,
            "csrf_token": csrf,
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    assert client.get("/").status_code == 200


def test_proxy_header_is_checked_and_recorded(
    client: TestClient, session: Session, org: Org
) -> None:
    sec = bearer(session, org.accounts["sec_a"])
    mine = org.members["mem_a"].id
    other_cell = org.members["mem_b"].id
    assert (
        client.get(
            "/api/v1/auth/me", headers={**sec, "X-On-Behalf-Of": str(other_cell)}
        ).status_code
        == 403
    )
    member = bearer(session, org.accounts["mem_a"])
    assert (
        client.get("/api/v1/auth/me", headers={**member, "X-On-Behalf-Of": str(mine)}).status_code
        == 403
    )
    before = session.scalar(select(func.count(AuditLog.id)))
    resp = client.post(
        "/api/v1/auth/password",
        json={"old_password": PASSWORD, "new_password": "mat-khau-moi-2026"},
        headers={**sec, "X-On-Behalf-Of": str(mine)},
    )
    assert resp.status_code == 204
    row = session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert row is not None and row.on_behalf_of_member_id == mine
    assert session.scalar(select(func.count(AuditLog.id))) == (before or 0) + 1
