"""Browser tests of the records pages: search, profile, sensitive reveal, corrections, jobs."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.core.config import JobsSettings, Settings
from app.jobs.service_embedded import worker_env
from tests.web.conftest import ROOT, LiveServer, login, serious_violations

pytestmark = pytest.mark.browser


def _audit_rows(live: LiveServer, action: str, object_id: int) -> int:
    """Count audit rows straight from the server's SQLite file (read-only)."""
    with sqlite3.connect(f"file:{live.data_dir / 'sotay.db'}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = ? AND object_id = ?",
            (action, str(object_id)),
        ).fetchone()
    return int(row[0])


def test_accent_insensitive_search_within_own_cell(page: Page) -> None:
    login(page, "sec_a")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Đảng viên"
    ).click()
    search = page.get_by_label("Tìm theo tên (không cần dấu)")
    search.fill("nguyen van an")
    search.press("Enter")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Nguyễn Văn An")).to_be_visible()
    expect(results.get_by_role("link", name="Trần Thị Bình")).to_have_count(0)
    # Hoàng Thị Dung is in cell B: outside a cell A secretary's scope, so not found.
    search.fill("hoang thi dung")
    search.press("Enter")
    expect(results.get_by_role("link", name="Hoàng Thị Dung")).to_have_count(0)
    expect(results).to_contain_text("Không có đảng viên nào phù hợp.")
    search.fill("nguyen")
    search.press("Enter")
    expect(results.get_by_role("link", name="Nguyễn Văn An")).to_be_visible()
    assert serious_violations(page) == []


def test_profile_and_audited_sensitive_reveal(page: Page, live_server: LiveServer) -> None:
    member_id = live_server.members["mem_a"]
    before = _audit_rows(live_server, "member.sensitive_read", member_id)
    login(page, "sec_a")
    page.goto("/members?q=nguyen")
    page.locator("#results").get_by_role("link", name="Nguyễn Văn An").click()
    expect(page).to_have_url(re.compile(rf"/members/{member_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Văn An")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Hiện CCCD và kỷ luật").click()
    sensitive = page.locator("#sensitive")
    expect(sensitive).to_contain_text("Lần xem này đã được ghi vào nhật ký.")
    expect(sensitive.locator("dd").first).to_have_text(re.compile(r"^\d{12}$"))
    assert _audit_rows(live_server, "member.sensitive_read", member_id) == before + 1
    assert serious_violations(page) == []


def test_member_cannot_open_another_cells_profile(page: Page, live_server: LiveServer) -> None:
    login(page, "sec_a")
    resp = page.goto(f"/members/{live_server.members['mem_b']}")
    assert resp is not None and resp.status in (403, 404)


def _signed_in(browser: Browser, live: LiveServer, username: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=live.url)
    page = context.new_page()
    login(page, username)
    return context, page


def test_correction_proposed_by_member_and_approved_by_secretary(
    browser: Browser, live_server: LiveServer
) -> None:
    # Cell B's people, so that the change does not touch what other tests look at.
    member, member_page = _signed_in(browser, live_server, "mem_b")
    try:
        member_page.goto("/me")
        member_page.get_by_role("link", name="Đề nghị sửa thông tin").click()
        expect(member_page).to_have_url(re.compile(r"/me/corrections$"))
        assert serious_violations(member_page) == []
        member_page.get_by_label("Mục cần sửa").select_option(label="Số điện thoại")
        member_page.get_by_label("Thông tin đúng").fill("0912 345 678")
        member_page.get_by_label("Lý do").fill("Tôi đã đổi số điện thoại")
        member_page.get_by_role("button", name="Gửi đề nghị").click()
        expect(member_page.get_by_role("status")).to_contain_text("Đã gửi đề nghị")
        expect(member_page.locator("table")).to_contain_text("Đang chờ duyệt")
    finally:
        member.close()

    secretary, sec_page = _signed_in(browser, live_server, "sec_b")
    try:
        sec_page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
            "link", name="Duyệt đề nghị"
        ).click()
        row = sec_page.locator("tbody tr", has_text="Hoàng Thị Dung").filter(has_text="0912345678")
        expect(row).to_have_count(1)
        assert serious_violations(sec_page) == []
        row.get_by_role("button", name="Duyệt").click()
        expect(sec_page.get_by_role("status")).to_contain_text("Đã duyệt và cập nhật hồ sơ")
        sec_page.goto(f"/members/{live_server.members['mem_b']}")
        expect(sec_page.locator("dl.profile").first).to_contain_text("0912345678")
    finally:
        secretary.close()


@pytest.fixture
def job_worker(live_server: LiveServer) -> Iterator[subprocess.Popen[bytes]]:
    """A real `sotay worker` on the live server's local broker, for this test only."""
    settings = Settings(
        env="test", data_dir=live_server.data_dir, jobs=JobsSettings(embedded_worker=False)
    )
    log = (live_server.data_dir / "worker.log").open("ab")
    child = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker", "--pool", "solo"],
        cwd=ROOT,
        env={**os.environ, **worker_env(settings)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield child
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        log.close()


def test_job_progress_page_follows_a_report_to_the_end(
    page: Page, job_worker: subprocess.Popen[bytes]
) -> None:
    login(page, "sec_a")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tiến trình xử lý"
    ).click()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Lập báo cáo thống kê").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    status = page.locator("#job-status")
    expect(status.locator(".job-status")).to_be_visible()
    assert serious_violations(page) == []
    # The page polls with htmx; the worker needs a few seconds to start.
    expect(status.locator(".job-status")).to_have_text("Hoàn thành", timeout=90_000)
    expect(status.locator("progress")).to_have_attribute("value", "100")
    assert serious_violations(page) == []
