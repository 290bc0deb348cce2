"""Chromium (issue 17): the office creates a member's account and sees the printable slip; the
member activates it on a 360 px phone and signs in; the office grants the member a role, and
the member then sees the officers' pages. axe finds nothing serious or critical."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.web.conftest import LiveServer, login, no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-rieng-2026"


def test_office_creates_an_account_and_the_member_activates_it_on_a_phone(
    browser: Browser, live_server: LiveServer
) -> None:
    office = browser.new_page(base_url=live_server.url)
    login(office, "admin")
    office.get_by_role("link", name="Quản lý tài khoản").first.click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Quản lý tài khoản")
    assert serious_violations(office) == []
    office.get_by_label("Tìm đảng viên chưa có tài khoản theo tên").fill("Lê Văn Tổ")
    office.get_by_role("button", name="Tìm", exact=True).first.click()
    office.get_by_role("button", name="Tạo tài khoản").first.click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Phiếu kích hoạt tài khoản")
    assert serious_violations(office) == []
    code = office.locator(".slip-code").inner_text().strip()
    office.set_viewport_size({"width": 360, "height": 740})
    width, viewport = no_horizontal_scroll(office)
    assert width <= viewport, "the slip fits a phone"
    office.set_viewport_size({"width": 1280, "height": 800})
    username = office.locator(".slip-value").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code) and username

    # An older member's phone: 360 px wide, large text on.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": "sotay_text", "value": "large", "url": live_server.url}])
    phone = context.new_page()
    phone.goto("/login")
    phone.get_by_role("link", name=re.compile("Kích hoạt tài khoản")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Kích hoạt tài khoản")
    expect(phone.locator("body")).to_have_class(re.compile(r"\blarge-text\b"))
    width, viewport = no_horizontal_scroll(phone)
    assert width <= viewport
    assert serious_violations(phone) == []
    phone.get_by_label("Tên đăng nhập").fill(username)
    phone.get_by_label("Mã kích hoạt").fill(code.lower().replace("-", ""))
    phone.get_by_label("Mật khẩu mới (ít nhất 8 ký tự)").fill(PASSWORD)
    phone.get_by_label("Nhập lại mật khẩu mới").fill(PASSWORD)
    phone.get_by_role("button", name="Kích hoạt").click()
    expect(phone.get_by_role("status")).to_contain_text("Đã đặt mật khẩu")
    login(phone, username, PASSWORD)
    expect(phone).to_have_url(re.compile(r"/$"))

    # The office grants the cell deputy role on the member's group; the member sees members.
    office.get_by_role("link", name="Xem tài khoản").click()
    expect(office.get_by_role("heading", level=1)).to_contain_text(username)
    office.locator("#role").select_option("cell_deputy")
    office.locator("#grant_unit").select_option(label="Tổ đảng số 1")
    office.get_by_label("Lý do (ví dụ: số quyết định)").fill("Quyết định số 5-QĐ/CB")
    office.get_by_role("button", name="Cấp vai trò").click()
    expect(office.get_by_role("status")).to_have_text("Đã cấp vai trò")
    assert serious_violations(office) == []
    phone.goto("/members")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert "/login" not in phone.url
    office.close()
    context.close()
