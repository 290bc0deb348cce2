"""Browser tests of the shell and the audit viewer: sign-in, language, text size, access, axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import LiveServer, login, no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser


def test_wrong_password_shows_an_error(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill("mem_b")
    page.get_by_label("Mật khẩu", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng")
    expect(page).to_have_url(re.compile(r"/login$"))
    assert serious_violations(page) == []


def test_sign_in_lands_on_home_and_sign_out_returns_to_login(page: Page) -> None:
    login(page, "mem_a")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_language_switch_to_english_and_back(page: Page) -> None:
    page.goto("/login")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Username or phone number")).to_be_visible()
    page.goto("/login")  # the choice is remembered in a cookie
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_large_text_toggle(page: Page) -> None:
    login(page, "mem_a")
    body = page.locator("body")
    before = float(body.evaluate("b => parseFloat(getComputedStyle(b).fontSize)"))
    page.get_by_role("button", name="Chữ to").click()
    expect(body).to_have_class(re.compile(r"\blarge-text\b"))
    after = float(body.evaluate("b => parseFloat(getComputedStyle(b).fontSize)"))
    assert after > before * 1.2
    expect(page).to_have_url(re.compile(r"/$"))  # stays on the same page
    page.get_by_role("button", name="Chữ thường").click()
    expect(body).not_to_have_class(re.compile(r"\blarge-text\b"))


def test_audit_viewer_filters_by_action(page: Page) -> None:
    login(page, "admin")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Nhật ký"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhật ký hoạt động")
    page.get_by_label("Thao tác").select_option("auth.login")
    page.get_by_label("Người thực hiện (tên đăng nhập)").fill("admin")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page).to_have_url(re.compile(r"action=auth\.login"))
    # Each row reads as a sentence; the action code stays in the raw record behind <details>.
    rows = page.locator("table.audit-table tbody tr")
    expect(rows.first).to_be_visible()
    codes = page.locator("table.audit-table tbody details.audit-raw dd code").filter(
        has_text=re.compile(r"^[a-z_]+\.[a-z_.]+$")
    )
    assert codes.count() == rows.count()
    assert set(codes.all_text_contents()) == {"auth.login"}
    users = page.locator("table.audit-table tbody td.audit-sentence strong")
    assert users.count() == rows.count()
    assert all(t.strip().startswith("admin") for t in users.all_inner_texts())
    assert serious_violations(page) == []


def test_member_is_refused_the_audit_viewer(page: Page) -> None:
    login(page, "mem_a")
    expect(
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Nhật ký")
    ).to_have_count(0)
    resp = page.goto("/audit")
    assert resp is not None and resp.status == 403
    expect(page.get_by_role("alert")).to_have_text("Bạn không có quyền xem nhật ký")
    assert serious_violations(page) == []


def test_anonymous_is_sent_to_login_from_the_audit_viewer(page: Page) -> None:
    page.goto("/audit")
    expect(page).to_have_url(re.compile(r"/login\?next=/audit$"))


@pytest.mark.parametrize("width", [360, 180], ids=["360px", "360px-at-200pct-zoom"])
@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large-text"])
def test_no_horizontal_scrolling_on_narrow_screens(
    browser: Browser, live_server: LiveServer, width: int, large_text: bool
) -> None:
    # Browser zoom divides the CSS viewport: 360 px at 200 % is a 180 CSS px layout viewport.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 740}
    )
    try:
        page = context.new_page()
        page.goto("/login")
        width_px, viewport = no_horizontal_scroll(page)
        assert width_px <= viewport, f"/login is {width_px}px wide in {viewport}px"
        login(page, "admin")
        if large_text:
            page.get_by_role("button", name="Chữ to").click()
        for path in ("/", "/audit", "/audit?action=auth.login"):
            page.goto(path)
            width_px, viewport = no_horizontal_scroll(page)
            assert width_px <= viewport, f"{path} is {width_px}px wide in {viewport}px"
    finally:
        context.close()
