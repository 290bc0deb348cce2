"""Issue 14 in Chromium: a secretary drafts the minutes of a held meeting (the job run here,
as the recordings test does, while the page polls), edits a section, sees a consistency warning
after typing a wrong number, fixes it and submits; the chair approves; the DOCX downloads; axe
finds nothing serious; the page fits a 360 px phone."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.accounts.models import Role
from app.core.config import JobsSettings, Settings
from app.core.db import Database
from app.jobs.service_engine import execute_job
from app.minutes.models import Minutes
from app.units.models import Unit, UnitKind
from tests.factories.accounts import make_account
from tests.factories.members import make_member
from tests.factories.minutes import held_meeting
from tests.factories.org import Org
from tests.factories.units import make_unit
from tests.web.conftest import LiveServer, login, no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def live_db(live_server: LiveServer) -> Iterator[Database]:
    settings = Settings(
        env="test", data_dir=live_server.data_dir, jobs=JobsSettings(embedded_worker=False)
    )
    db = Database(settings)
    try:
        yield db
    finally:
        db.dispose()


def seed_cell(db: Database) -> int:
    """Cell M of its own: secretary sec_m, chair chair_m, and a held meeting with everything
    the minutes are made of."""
    with db.session() as session:
        ward = session.scalar(select(Unit).where(Unit.code == "W1"))
        assert ward is not None
        cell = make_unit(session, "Chi bộ Khu phố 8", UnitKind.cell, ward, code="M")
        sec = make_member(session, cell, "Hà Thị Thu")
        chair = make_member(session, cell, "Lương Văn Chính")
        make_account(session, "sec_m", member=sec, role=Role.cell_secretary, unit=cell)
        make_account(session, "chair_m", member=chair)
        session.flush()
        org = Org(units={"A": cell}, members={"sec_a": sec, "mem_a": chair})
        return held_meeting(session, org).meeting.id


def test_secretary_drafts_fixes_submits_and_chair_approves(
    page: Page, live_server: LiveServer, live_db: Database
) -> None:
    meeting_id = seed_cell(live_db)
    login(page, "sec_m")
    page.goto(f"/meetings/{meeting_id}")
    page.get_by_role("link", name="Biên bản", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Biên bản")
    page.get_by_label("Cách soạn").select_option("offline")
    page.get_by_role("button", name="Soạn dự thảo").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi yêu cầu soạn dự thảo")
    expect(page.locator("#min-progress")).to_contain_text("Đang chờ soạn dự thảo")

    # The worker's part, while the page polls the progress.
    with live_db.session() as session:
        minutes = session.scalar(select(Minutes).where(Minutes.meeting_id == meeting_id))
        assert minutes is not None and minutes.job_id is not None
        job_id = minutes.job_id
    outcome: list[str] = []
    worker = threading.Thread(
        target=lambda: outcome.append(
            execute_job(live_db, live_db.settings.jobs, job_id, worker="browser-test")
        )
    )
    worker.start()
    try:
        expect(page.locator("#sec-attendance")).to_be_visible(timeout=120_000)
    finally:
        worker.join(timeout=180)
    assert outcome == ["succeeded"]
    expect(page.locator("#min-progress")).to_contain_text("Đã soạn xong dự thảo")

    # A sentence shows its source on tap.
    first = page.locator("#sec-attendance details.prov").first
    first.locator("summary").click()
    expect(first.locator(".prov-src")).to_contain_text("Hồ sơ cuộc họp")

    # A wrong number in the attendance: the check names it next to the section.
    section = page.locator("#sec-attendance")
    section.get_by_text("Sửa mục này").click()
    box = section.locator("textarea")
    right = box.input_value()
    wrong = re.sub(r"\d+", lambda m: str(int(m.group(0)) + 40), right, count=1)
    box.fill(wrong)
    section.get_by_role("button", name="Lưu mục này").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu mục")
    expect(page.locator("#warn-attendance")).to_contain_text("nhưng hồ sơ cuộc họp ghi")
    expect(page.get_by_label("Lý do vẫn trình dù chưa khớp")).to_be_visible()

    section = page.locator("#sec-attendance")
    section.get_by_text("Sửa mục này").click()
    section.locator("textarea").fill(right)
    section.get_by_role("button", name="Lưu mục này").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu mục")
    expect(page.locator("#warn-attendance")).to_have_count(0)
    assert serious_violations(page) == [], page.url
    page.get_by_role("button", name="Trình duyệt").click()
    expect(page.locator("#min-state")).to_have_text("Đã trình, chờ chủ trì duyệt")

    # The chair approves; the minutes lock and the DOCX downloads.
    page.context.clear_cookies()
    login(page, "chair_m")
    page.goto(f"/meetings/{meeting_id}/minutes")
    page.get_by_role("button", name="Duyệt và khóa biên bản").click()
    expect(page.locator("#min-state")).to_have_text("Đã duyệt và khóa")
    expect(page.get_by_role("button", name="Kiểm tra toàn vẹn")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Biên bản (Word, DOCX)").click()
    download = info.value
    assert download.suggested_filename == f"bien-ban-{meeting_id}.docx"
    with open(download.path(), "rb") as fh:
        assert fh.read(2) == b"PK"

    assert serious_violations(page) == [], page.url
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    scroll, viewport = no_horizontal_scroll(page)
    assert scroll <= viewport, f"{scroll}px wide at {viewport}px"
