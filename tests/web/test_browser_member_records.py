"""Chromium (issue 17): the office adds a member in the web, creates their account and prints
the activation code; the member activates it and, granted cell secretary, sees the secretary's
pages. axe finds nothing serious or critical on the new pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.web.conftest import LiveServer, login, no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-bi-thu-2026"
NAME = "Đỗ Thị Thanh Hương"


def test_office_adds_a_member_who_becomes_secretary(
    browser: Browser, live_server: LiveServer
) -> None:
    office = browser.new_page(base_url=live_server.url)
    login(office, "admin")
    office.goto("/members")
    office.get_by_role("link", name="Thêm đảng viên").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Thêm đảng viên")
    assert serious_violations(office) == []
    office.locator("#f-unit_id").select_option(label="Chi bộ Khu phố 1")
    office.get_by_label("Họ và tên").fill(NAME)
    office.get_by_label("Ngày sinh").fill("1975-04-12")
    office.get_by_label("Ngày vào Đảng").fill("2001-05-19")
    office.get_by_role("button", name="Thêm đảng viên").click()
    expect(office.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(office.get_by_role("status")).to_have_text("Đã lưu.")
    office.get_by_text("Thêm quá trình công tác").click()
    office.locator("#work-history-organisation").fill("UBND phường Bến Nghé")
    office.locator("#work-history-start_date").fill("1998-01-01")
    office.locator("#work-history").get_by_role("button", name="Ghi lại").click()
    expect(office.locator("#work-history")).to_contain_text("UBND phường Bến Nghé")
    assert serious_violations(office) == []
    office.set_viewport_size({"width": 360, "height": 740})
    width, viewport = no_horizontal_scroll(office)
    assert width <= viewport, "the profile with its forms fits a phone"
    office.set_viewport_size({"width": 1280, "height": 800})

    # Her account, from the member search; the slip carries the one-time code.
    office.get_by_role("link", name="Quản lý tài khoản").first.click()
    office.get_by_label("Tìm đảng viên chưa có tài khoản theo tên").fill("Thanh Hương")
    office.get_by_role("button", name="Tìm", exact=True).first.click()
    office.get_by_role("button", name="Tạo tài khoản").first.click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Phiếu kích hoạt tài khoản")
    code = office.locator(".slip-code").inner_text().strip()
    username = office.locator(".slip-value").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code) and username

    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto("/activate")
    phone.get_by_label("Tên đăng nhập").fill(username)
    phone.get_by_label("Mã kích hoạt").fill(code)
    phone.get_by_label("Mật khẩu mới (ít nhất 8 ký tự)").fill(PASSWORD)
    phone.get_by_label("Nhập lại mật khẩu mới").fill(PASSWORD)
    phone.get_by_role("button", name="Kích hoạt").click()
    expect(phone.get_by_role("status")).to_contain_text("Đã đặt mật khẩu")
    login(phone, username, PASSWORD)
    phone.goto("/meetings/new")
    assert phone.locator("h1").inner_text() != "Tạo cuộc họp"  # a member may not yet

    # The office grants cell secretary on her cell; she then has the secretary's pages.
    office.get_by_role("link", name="Xem tài khoản").click()
    office.locator("#role").select_option("cell_secretary")
    office.locator("#grant_unit").select_option(label="Chi bộ Khu phố 1")
    office.get_by_label("Lý do (ví dụ: số quyết định)").fill("Quyết định số 12-QĐ/ĐU")
    office.get_by_role("button", name="Cấp vai trò").click()
    expect(office.get_by_role("status")).to_have_text("Đã cấp vai trò")
    phone.goto("/members/new")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thêm đảng viên")
    phone.goto("/meetings/new")
    assert "/login" not in phone.url
    expect(phone.locator("form[action='/meetings']")).to_be_visible()
    office.close()
    context.close()
