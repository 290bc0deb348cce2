"""Member web pages: list with accent-insensitive search (full page and htmx fragment), profile,
the audited sensitive fragment, own profile, and what a secretary of another cell gets."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service as accounts_service
from app.accounts.models import Account
from app.core.audit import AuditLog
from app.core.config import AuthSettings
from app.core.deps import SESSION_COOKIE
from tests.factories.org import Org

HTMX = {"HX-Request": "true", "HX-Target": "results"}


def sign_in(client: TestClient, session: Session, account: Account) -> str:
    secret, row = accounts_service.issue_token(
        session, AuthSettings(), account=account, kind="session", ip="test"
    )
    client.cookies.set(SESSION_COOKIE, secret)
    return row.csrf_token


def sensitive_reads(session: Session) -> int:
    stmt = select(func.count(AuditLog.id)).where(AuditLog.action == "member.sensitive_read")
    return session.scalar(stmt) or 0


def test_list_page_past_the_count_cap_says_more_than_and_still_pages(
    client: TestClient, session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.members import service
    from app.web import routes_members

    monkeypatch.setattr(service, "COUNT_CAP", 3)
    monkeypatch.setattr(routes_members, "PAGE_SIZE", 2)
    sign_in(client, session, org.accounts["admin"])
    page = client.get("/members", headers=HTMX | {"HX-Target": "results"})
    assert "hơn</strong>" not in page.text and "hơn 3</strong>" in page.text
    assert 'rel="next"' in page.text and "Trang 1</p>" in page.text


def test_list_page_searches_without_accents(client: TestClient, session: Session, org: Org) -> None:
    sign_in(client, session, org.accounts["admin"])
    page = client.get("/members", params={"q": "nguyen van a"})
    assert page.status_code == 200
    assert "Tìm theo tên (không cần dấu)" in page.text
    assert 'hx-get="/members"' in page.text and 'id="results"' in page.text
    assert "Nguyễn Văn An" in page.text and "Trần Thị Bình" not in page.text

    frag = client.get("/members", params={"q": "đang"}, headers=HTMX)
    assert frag.status_code == 200
    assert "<html" not in frag.text and "<form" not in frag.text
    assert "Đặng Văn Em" in frag.text and "Nguyễn Văn An" not in frag.text
    assert "HX-Request" in frag.headers["vary"]


def test_list_never_shows_a_full_cccd(client: TestClient, session: Session, org: Org) -> None:
    sign_in(client, session, org.accounts["admin"])
    page = client.get("/members")
    for m in org.members.values():
        assert m.cccd not in page.text
        assert "********" + m.cccd[-4:] in page.text


def test_filters_and_paging(client: TestClient, session: Session, org: Org) -> None:
    sign_in(client, session, org.accounts["staff_w1"])
    page = client.get("/members", params={"unit_id": org.units["B"].id, "status": "active"})
    assert "Hoàng Thị Dung" in page.text and "Nguyễn Văn An" not in page.text
    assert client.get("/members", params={"unit_id": "", "status": ""}).status_code == 200
    assert client.get("/members", params={"unit_id": "abc"}).status_code == 422
    assert client.get("/members", params={"unit_id": org.units["D"].id}).status_code == 404
    # The unit select lists only units in scope.
    page = client.get("/members")
    assert "Chi bộ Khu phố 2" in page.text and "Chi bộ Ấp 3" not in page.text


def test_member_and_anonymous_cannot_list(client: TestClient, session: Session, org: Org) -> None:
    resp = client.get("/members?q=an", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login?next=%2Fmembers")
    sign_in(client, session, org.accounts["mem_a"])
    assert client.get("/members").status_code == 403


def test_profile_page_masks_cccd_and_offers_sensitive_button(
    client: TestClient, session: Session, org: Org
) -> None:
    m = org.members["mem_a"]
    sign_in(client, session, org.accounts["sec_a"])
    page = client.get(f"/members/{m.id}")
    assert page.status_code == 200
    assert '<dl class="profile">' in page.text
    assert m.cccd not in page.text and "********" + m.cccd[-4:] in page.text
    assert "Hiện CCCD và kỷ luật" in page.text
    assert f'hx-get="/members/{m.id}/sensitive"' in page.text

    sign_in(client, session, org.accounts["staff_w1"])
    page = client.get(f"/members/{m.id}")
    assert page.status_code == 200 and "Hiện CCCD và kỷ luật" not in page.text


def test_sensitive_fragment_is_audited(client: TestClient, session: Session, org: Org) -> None:
    m = org.members["mem_a"]
    sign_in(client, session, org.accounts["sec_a"])
    before = sensitive_reads(session)
    frag = client.get(f"/members/{m.id}/sensitive", headers={"HX-Request": "true"})
    assert frag.status_code == 200
    assert m.cccd in frag.text and "<html" not in frag.text
    assert frag.headers["cache-control"] == "no-store"
    assert sensitive_reads(session) == before + 1
    page = client.get(f"/members/{m.id}/sensitive")
    assert page.status_code == 200 and "<html" in page.text and m.cccd in page.text
    assert sensitive_reads(session) == before + 2

    sign_in(client, session, org.accounts["staff_w1"])
    assert client.get(f"/members/{m.id}/sensitive").status_code == 403
    assert sensitive_reads(session) == before + 2


def test_secretary_of_another_cell_gets_nothing(
    client: TestClient, session: Session, org: Org
) -> None:
    other = org.members["mem_b"]
    sign_in(client, session, org.accounts["sec_a"])
    assert client.get(f"/members/{other.id}").status_code == 404
    assert client.get(f"/members/{other.id}/sensitive").status_code == 404
    assert client.get("/members", params={"unit_id": org.units["B"].id}).status_code == 404
    page = client.get("/members", params={"q": "dung"})
    assert "Hoàng Thị Dung" not in page.text
    assert other.cccd not in page.text


def test_own_profile_links_to_corrections(client: TestClient, session: Session, org: Org) -> None:
    m = org.members["mem_a"]
    sign_in(client, session, org.accounts["mem_a"])
    page = client.get("/me")
    assert page.status_code == 200
    assert 'href="/me/corrections"' in page.text and "Đề nghị sửa thông tin" in page.text
    assert "Nguyễn Văn An" in page.text and m.cccd not in page.text
    # Members may see their own sensitive data; the read is still audited.
    before = sensitive_reads(session)
    assert m.cccd in client.get(f"/members/{m.id}/sensitive", headers={"HX-Request": "true"}).text
    assert sensitive_reads(session) == before + 1
    # ...but not a fellow member's profile.
    assert client.get(f"/members/{org.members['sec_a'].id}").status_code == 404

    sign_in(client, session, org.accounts["admin"])
    assert client.get("/me").status_code == 404


def test_english_labels(client: TestClient, session: Session, org: Org) -> None:
    sign_in(client, session, org.accounts["admin"])
    page = client.get("/members", params={"lang": "en"})
    assert "Search by name (accents optional)" in page.text
