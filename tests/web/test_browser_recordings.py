"""Issue 13 in Chromium: the secretary uploads a meeting recording, watches the transcription
progress to done, plays a segment from its start, corrects a segment's text and its speaker;
axe finds nothing serious on the transcript page, which also fits a 360 px phone.

The live server runs no worker (see conftest), so this test runs the queued job itself, in its
own process, on the server's database, with the configured engine (faster-whisper)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.accounts.models import Role
from app.core.config import JobsSettings, Settings
from app.core.db import Database, utcnow
from app.jobs.service_engine import execute_job
from app.recordings.models import Recording
from app.units.models import Unit, UnitKind
from tests.factories.accounts import make_account
from tests.factories.meetings import make_meeting
from tests.factories.members import make_member
from tests.factories.recordings import TWO_CLIPS, speech_wav
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
    """Cell R of its own (no other browser test sees it): its secretary, two members and a
    meeting held last week."""
    with db.session() as session:
        ward = session.scalar(select(Unit).where(Unit.code == "W1"))
        assert ward is not None
        cell = make_unit(session, "Chi bộ Khu phố 9", UnitKind.cell, ward, code="R")
        sec = make_member(session, cell, "Đinh Thị Ngọc")
        make_account(session, "sec_r", member=sec, role=Role.cell_secretary, unit=cell)
        make_member(session, cell, "Tạ Văn Quang")
        meeting = make_meeting(
            session, cell, title="Sinh hoạt chi bộ tháng 11", starts_at=utcnow() - timedelta(days=7)
        )
        return meeting.id


def test_secretary_uploads_watches_plays_and_corrects(
    page: Page, live_server: LiveServer, live_db: Database, tmp_path: Path
) -> None:
    meeting_id = seed_cell(live_db)
    clip = tmp_path / "hop-chi-bo-thang-11.wav"
    clip.write_bytes(speech_wav(*TWO_CLIPS))
    login(page, "sec_r")

    page.goto(f"/meetings/{meeting_id}")
    page.get_by_role("link", name="Bản ghi âm cuộc họp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản ghi âm cuộc họp")
    page.get_by_label("Tệp ghi âm").set_input_files(str(clip))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("status")).to_contain_text("Đã tải lên bản ghi âm")
    expect(page.locator("#rec-progress")).to_contain_text("Đang chờ chuyển thành văn bản")
    expect(page.locator("#rec-bar")).to_have_attribute("value", "0")

    # The worker's part, while the page polls the progress.
    with live_db.session() as session:
        rec = session.scalars(select(Recording).order_by(Recording.id.desc())).first()
        assert rec is not None and rec.job_id is not None
        job_id, rec_id = rec.job_id, rec.id
    outcome: list[str] = []
    worker = threading.Thread(
        target=lambda: outcome.append(
            execute_job(live_db, live_db.settings.jobs, job_id, worker="browser-test")
        )
    )
    worker.start()
    try:
        # The page reloads by itself once the job is done and shows the segments.
        segments = page.locator(".segment")
        expect(segments).to_have_count(2, timeout=180_000)
    finally:
        worker.join(timeout=300)
    assert outcome == ["succeeded"]
    assert page.url.split("?")[0].endswith(f"/recordings/{rec_id}")
    expect(page.locator("#rec-progress")).to_contain_text("Đã có bản ghi lời")
    expect(page.locator("#rec-bar")).to_have_attribute("value", "100")

    # Play the second segment: the player seeks to its start.
    second = segments.nth(1)
    start = float(second.get_attribute("data-start") or "0")
    assert start > 1.0
    second.locator(".seg-play").click()
    page.wait_for_function(
        "s => { const a = document.getElementById('rec-audio');"
        " return a.readyState >= 1 && Math.abs(a.currentTime - s) < 1.5; }",
        arg=start,
        timeout=20_000,
    )
    now = page.evaluate("document.getElementById('rec-audio').currentTime")
    assert abs(now - start) < 1.5, (now, start)

    # Correct the first segment's text and name its speaker.
    first = segments.nth(0)
    first.get_by_text("Sửa đoạn này").click()
    first.get_by_label("Lời nói").fill("Chi bộ họp thường kỳ vào ngày mười lăm hằng tháng.")
    first.get_by_label("Hoặc ghi tên người nói").fill("Đồng chí Bí thư")
    first.get_by_role("button", name="Lưu đoạn ghi").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu đoạn ghi")
    first = page.locator(".segment").nth(0)
    expect(first.locator(".segment-text")).to_have_text(
        "Chi bộ họp thường kỳ vào ngày mười lăm hằng tháng."
    )
    expect(first.locator(".speaker")).to_have_text("Đồng chí Bí thư")
    first.get_by_text("Xem các bản trước (1)").click()

    assert serious_violations(page) == [], page.url
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    scroll, viewport = no_horizontal_scroll(page)
    assert scroll <= viewport, f"{scroll}px wide at {viewport}px"
