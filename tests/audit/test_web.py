"""Audit viewer page: filters, paging links, access, and the chain check page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts import service as accounts_service
from app.accounts.models import Account
from app.core import audit
from app.core.audit import AuditContext
from app.core.config import AuthSettings
from app.core.deps import SESSION_COOKIE
from tests.factories.org import Org


def sign_in(client: TestClient, session: Session, account: Account) -> None:
    secret, _ = accounts_service.issue_token(
        session, AuthSettings(), account=account, kind="session", ip="test"
    )
    client.cookies.set(SESSION_COOKIE, secret)


def test_page_lists_and_filters(client: TestClient, session: Session, org: Org) -> None:
    ctx = AuditContext(actor_account_id=org.accounts["sec_a"].id, ip="10.1.2.3")
    audit.record(
        session,
        ctx,
        "member.view_sensitive",
        object_type="member",
        object_id=7,
        unit_id=org.units["A"].id,
    )
    audit.record(session, ctx, "member.update", unit_id=org.units["B"].id)
    sign_in(client, session, org.accounts["auditor"])
    resp = client.get("/audit")
    assert resp.status_code == 200
    assert "member.view_sensitive" in resp.text
    assert "Chi bộ Khu phố 1" in resp.text  # unit names, not ids
    assert '<option value="member.update"' in resp.text
    resp = client.get("/audit", params={"action": "member.update", "actor": "", "since": ""})
    assert resp.status_code == 200
    assert "<code>member.update</code>" in resp.text
    assert "<code>member.view_sensitive</code>" not in resp.text
    assert "/audit/verify" in resp.text


def test_paging_links_keep_the_filters(client: TestClient, session: Session, org: Org) -> None:
    ctx = AuditContext(actor_account_id=org.accounts["admin"].id)
    for _ in range(3):
        audit.record(session, ctx, "test.page", unit_id=org.units["A"].id)
    sign_in(client, session, org.accounts["admin"])
    resp = client.get("/audit", params={"action": "test.page", "page_size": 20})
    assert 'rel="next"' not in resp.text
    # page_size must be one of the offered sizes in the form, but the API accepts any.
    resp = client.get("/audit", params={"action": "test.page", "page_size": 2})
    assert "action=test.page" in resp.text and "page=2" in resp.text
    resp = client.get("/audit", params={"action": "test.page", "page_size": 2, "page": 2})
    assert 'rel="prev"' in resp.text and 'rel="next"' not in resp.text


def test_bad_filter_shows_the_form_with_an_error(
    client: TestClient, session: Session, org: Org
) -> None:
    sign_in(client, session, org.accounts["admin"])
    resp = client.get("/audit", params={"since": "31/12/2024"})
    assert resp.status_code == 422
    assert "Từ ngày" in resp.text and 'role="alert"' in resp.text


def test_access(client: TestClient, session: Session, org: Org) -> None:
    resp = client.get("/audit", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/login?next=/audit"
    sign_in(client, session, org.accounts["mem_a"])
    resp = client.get("/audit")
    assert resp.status_code == 403
    assert 'href="/audit"' not in resp.text


def test_verify_page(client: TestClient, session: Session, org: Org) -> None:
    sign_in(client, session, org.accounts["auditor"])
    resp = client.get("/audit/verify")
    assert resp.status_code == 200
    assert "Chuỗi nhật ký nguyên vẹn." in resp.text
    sign_in(client, session, org.accounts["staff_w1"])
    assert client.get("/audit/verify").status_code == 403
