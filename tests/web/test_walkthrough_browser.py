"""Chromium (issue 17, acceptance): from an empty database where only `sotay create-admin` has
run, the office builds its units, members, accounts and a cell secretary in the web, and the
secretary holds a first meeting. Nothing here touches the API or the database; README.md's
"Từ cơ sở dữ liệu trống đến cuộc họp đầu tiên" lists the same clicks.

Its own server over its own empty data directory: the session's `live_server` is seeded.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, ViewportSize, expect

from tests.web.conftest import ROOT, login, no_horizontal_scroll, serious_violations, serve

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "mat-khau-van-phong-2026"
PASSWORDS = {"Nguyễn Thị Mai": "mat-khau-bi-thu-2026", "Trần Văn Bình": "mat-khau-dang-vien-26"}
SECRETARY, MEMBER = "Nguyễn Thị Mai", "Trần Văn Bình"
WARD, CELL = "Đảng ủy phường Bến Thành", "Chi bộ Khu phố 3"
TITLE = "Sinh hoạt chi bộ lần đầu"
AGENDA = ("Kiện toàn chi ủy", "Phân công nhiệm vụ")
PHONE: ViewportSize = {"width": 360, "height": 740}


@pytest.fixture
def empty_site(tmp_path: Path) -> Iterator[str]:
    """A migrated, empty data directory where the operator ran only `sotay create-admin`."""
    env = {
        **os.environ,
        "SOTAY_ENV": "test",
        "SOTAY_DATA_DIR": str(tmp_path),
        "SOTAY_DB__URL": "",
        "SOTAY_JOBS__EMBEDDED_WORKER": "false",
    }
    # The installed `sotay` script, as the operator runs it; it migrates the empty database.
    sotay = Path(sys.executable).with_name("sotay")
    subprocess.run(
        [str(sotay), "create-admin", "vanphong", "--password", ADMIN_PASSWORD]
        + ["--unit-code", "TU", "--unit-name", "Thành ủy Thành phố"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    with serve(tmp_path) as url:
        yield url


def accessible(page: Page) -> None:
    assert serious_violations(page) == [], page.url


def fits_phone(page: Page) -> None:
    width, viewport = no_horizontal_scroll(page)
    assert width <= viewport, f"{page.url}: {width}px wide at {viewport}px"


def nav(page: Page, name: str) -> None:
    """Follow a main-menu link, opening the "Menu" fold when the link sits inside it."""
    menu = page.get_by_role("navigation", name="Điều hướng chính")
    # Not `\b`: the pattern runs in the browser, where `\b` after "vị" never matches.
    links = menu.get_by_role("link", name=re.compile(rf"^{re.escape(name)}(\s|$)"))
    links.first.wait_for(state="attached")
    shown = [link for link in links.all() if link.is_visible()]
    if not shown:
        menu.locator("summary", has_text="Menu").click()
        shown = [link for link in links.all() if link.is_visible()]
    shown[0].click()


def add_child_unit(page: Page, code: str, name: str, kind: str) -> None:
    """On a unit's page, the "Thêm đơn vị trực thuộc" form; it lands on the new unit."""
    page.get_by_label("Mã đơn vị").fill(code)
    page.get_by_label("Tên đơn vị").fill(name)
    page.get_by_label("Loại", exact=True).select_option(label=kind)
    page.get_by_role("button", name="Thêm đơn vị").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def add_member(page: Page, name: str, born: str) -> None:
    """From the cell's page: its member list, "Thêm đảng viên", the lý lịch form."""
    page.get_by_role("link", name="Danh sách đảng viên").click()
    page.get_by_role("link", name="Thêm đảng viên").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm đảng viên")
    # Opened from the cell's list, the form has the cell already chosen.
    expect(page.locator("#f-unit_id option:checked")).to_have_text(re.compile(CELL))
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Ngày sinh").fill(born)
    page.get_by_label("Ngày vào Đảng").fill("2005-05-19")
    page.get_by_role("button", name="Thêm đảng viên").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def create_account(page: Page, name: str) -> tuple[str, str]:
    """ "Quản lý tài khoản": find the member, "Tạo tài khoản"; the slip's username and code."""
    nav(page, "Quản lý tài khoản")
    page.get_by_label("Tìm đảng viên chưa có tài khoản theo tên").fill(name)
    page.get_by_role("button", name="Tìm", exact=True).first.click()
    page.get_by_role("button", name="Tạo tài khoản").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phiếu kích hoạt tài khoản")
    expect(page.locator(".slip")).to_contain_text(name)
    expect(page.get_by_role("button", name="In phiếu")).to_be_visible()
    username = page.locator(".slip-value").first.inner_text().strip()
    code = page.locator(".slip-code").inner_text().strip()
    assert username and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), (username, code)
    return username, code


def activate_and_login(page: Page, username: str, code: str, password: str) -> None:
    """The login page's "Kích hoạt tài khoản" link, the slip's code, a password of one's own."""
    page.goto("/login")
    page.get_by_role("link", name=re.compile("Kích hoạt tài khoản")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kích hoạt tài khoản")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mã kích hoạt").fill(code)
    page.get_by_label("Mật khẩu mới (ít nhất 8 ký tự)").fill(password)
    page.get_by_label("Nhập lại mật khẩu mới").fill(password)
    page.get_by_role("button", name="Kích hoạt").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đặt mật khẩu")
    login(page, username, password)


class People:
    """One browser context per person; every answer of 500 or more is kept to fail on."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.browser, self.url = browser, url
        self.contexts: list[BrowserContext] = []
        self.failures: list[str] = []

    def __call__(self, viewport: ViewportSize | None = None) -> Page:
        context = self.browser.new_context(base_url=self.url, viewport=viewport)
        context.on("response", self._keep_failure)
        self.contexts.append(context)
        return context.new_page()

    def _keep_failure(self, response: Response) -> None:
        if response.status >= 500:
            self.failures.append(f"{response.status} {response.url}")


@pytest.fixture
def person(browser: Browser, empty_site: str) -> Iterator[People]:
    people = People(browser, empty_site)
    try:
        yield people
    finally:
        for context in people.contexts:
            context.close()


def test_from_create_admin_to_a_first_meeting(person: People) -> None:
    office = person()
    login(office, "vanphong", ADMIN_PASSWORD)
    accessible(office)

    # 1. Units: the root that create-admin made, a ward committee under it, a cell under that.
    nav(office, "Các đơn vị")
    expect(office.get_by_role("heading", level=1)).to_have_text("Cây đơn vị")
    accessible(office)
    office.get_by_role("link", name="Thành ủy Thành phố").click()
    accessible(office)
    add_child_unit(office, "P-BT", WARD, "Đảng ủy phường")
    add_child_unit(office, "P-BT-KP3", CELL, "Chi bộ")
    expect(office.locator("dl.profile")).to_contain_text(WARD)
    accessible(office)

    # 2. Two members of the cell, each added from the cell's page.
    add_member(office, SECRETARY, "1972-03-08")
    accessible(office)
    office.get_by_role("link", name=CELL).first.click()
    add_member(office, MEMBER, "1980-09-02")

    # 3. Their accounts; each slip shows the one-time code once.
    secretary_login, secretary_code = create_account(office, SECRETARY)
    accessible(office)
    member_login, member_code = create_account(office, MEMBER)

    # 4. The member activates on a 360 px phone and signs in.
    phone = person(PHONE)
    phone.goto("/activate")
    fits_phone(phone)
    accessible(phone)
    activate_and_login(phone, member_login, member_code, PASSWORDS[MEMBER])
    fits_phone(phone)
    accessible(phone)
    # A plain member has the meetings list but not the secretary's "Tạo cuộc họp".
    nav(phone, "Sinh hoạt")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sinh hoạt chi bộ")
    expect(phone.get_by_role("link", name="Tạo cuộc họp")).to_have_count(0)

    # 5. The office grants the cell secretary role to the other member, on the cell.
    nav(office, "Quản lý tài khoản")
    office.get_by_role("link", name=secretary_login).first.click()
    expect(office.get_by_role("heading", level=1)).to_contain_text(secretary_login)
    accessible(office)
    office.locator("#role").select_option("cell_secretary")
    office.locator("#grant_unit").select_option(label=CELL)
    office.get_by_label("Lý do (ví dụ: số quyết định)").fill("Quyết định số 1-QĐ/ĐU")
    office.get_by_role("button", name="Cấp vai trò").click()
    expect(office.get_by_role("status")).to_have_text("Đã cấp vai trò")
    accessible(office)

    # 6. The secretary activates too and sees the secretary's pages: the cell's meetings.
    secretary = person()
    activate_and_login(secretary, secretary_login, secretary_code, PASSWORDS[SECRETARY])
    nav(secretary, "Sinh hoạt")
    expect(secretary.get_by_role("heading", level=1)).to_have_text("Sinh hoạt chi bộ")
    # The role reaches the cell's member list too, which a plain member does not have.
    expect(
        secretary.get_by_role("navigation", name="Điều hướng chính").get_by_role(
            "link", name="Đảng viên"
        )
    ).not_to_have_count(0)
    accessible(secretary)
    secretary.get_by_role("link", name="Tạo cuộc họp").click()
    accessible(secretary)
    secretary.get_by_label("Đơn vị").select_option(label=CELL)
    secretary.get_by_label("Tiêu đề").fill(TITLE)
    starts = datetime.now() + timedelta(days=1)
    secretary.get_by_label("Bắt đầu").fill(starts.strftime("%Y-%m-%dT19:30"))
    secretary.get_by_label("Địa điểm").fill("Nhà văn hóa khu phố 3")
    secretary.get_by_label("Chương trình họp (mỗi dòng một nội dung)").fill("\n".join(AGENDA))
    secretary.get_by_role("button", name="Lưu bản nháp").click()
    expect(secretary.get_by_role("status")).to_contain_text("Đã tạo cuộc họp")
    meeting_url = secretary.url.split("?")[0]
    accessible(secretary)

    # 7. Holding it: the notice, the member checks in with the code read out, the secretary
    # records herself on the roll, opens the meeting and closes it.
    secretary.get_by_role("button", name="Gửi thông báo họp").click()
    expect(secretary.locator("dl.profile")).to_contain_text("Đã thông báo")
    code = secretary.locator("code.checkin-code").inner_text().strip()
    accessible(secretary)

    phone.goto(meeting_url)
    agenda = phone.locator("section", has=phone.locator("#h-agenda"))
    for item in AGENDA:
        expect(agenda.get_by_role("listitem").filter(has_text=item)).to_have_count(1)
    phone.get_by_label("Mã điểm danh (do chủ trì đọc tại cuộc họp)").fill(code)
    phone.get_by_role("button", name="Tôi có mặt").click()
    expect(phone.get_by_role("status")).to_contain_text("Bạn đã điểm danh có mặt")
    fits_phone(phone)
    accessible(phone)

    secretary.reload()
    secretary.get_by_label(SECRETARY, exact=True).select_option(label="Có mặt")
    secretary.locator("form.roll-form").get_by_role("button", name="Lưu").click()
    expect(secretary.locator("#quorum")).to_contain_text("Có mặt: 2/2")
    secretary.get_by_role("button", name="Bắt đầu cuộc họp").click()
    expect(secretary.locator("dl.profile")).to_contain_text("Đang họp")
    accessible(secretary)
    secretary.get_by_role("button", name="Kết thúc cuộc họp").click()
    expect(secretary.locator("dl.profile")).to_contain_text("Đã kết thúc")
    accessible(secretary)
    assert person.failures == []
