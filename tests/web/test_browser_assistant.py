"""Hỏi đáp in Chromium: a member asks, reads the quoted answer, and follows its citation to the
document, opened at the cited passage. The document is indexed by a job run in this process,
as a worker would, and the server (another process) answers from that index. A server whose
handle was already open when the index changed is covered by tests/knowledge/test_cross_process.py."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import Account
from app.core.config import JobsSettings, Settings
from app.core.db import Database
from app.jobs.service_engine import execute_job
from app.knowledge import service_index
from app.units.models import Unit
from tests.factories.documents import make_document
from tests.jobs.fakes import recording_jobs
from tests.web.conftest import LiveServer, login, no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser

TITLE = "Quy chế sinh hoạt chi bộ Khu phố 1"
RULES = (
    "Điều 1. Phạm vi\nQuy chế này áp dụng cho đảng viên chi bộ.\n"
    "Điều 4. Sinh hoạt thường kỳ\n1. Chi bộ sinh hoạt thường kỳ vào tối ngày 5 hằng tháng.\n"
    "2. Đảng viên vắng mặt phải báo cáo bí thư chi bộ trước buổi sinh hoạt.\n"
)
QUESTION = "Chi bộ sinh hoạt thường kỳ vào ngày nào?"


@pytest.fixture(scope="module")
def indexed_document(live_server: LiveServer) -> int:
    """A published document of cell A, indexed by running its job here, not in the server."""
    settings = Settings(
        env="test", data_dir=live_server.data_dir, jobs=JobsSettings(embedded_worker=False)
    )
    db = Database(settings)
    try:
        with recording_jobs() as sent:
            with db.session() as session:
                sec_a = session.get(Account, live_server.accounts["sec_a"])
                cell = session.get(Unit, live_server.units["A"])
                assert sec_a is not None and cell is not None
                doc = make_document(
                    session,
                    settings,
                    by=sec_a,
                    unit=cell,
                    audience=[cell],
                    publish=True,
                    title=TITLE,
                    content=RULES.encode(),
                )
                doc_id = doc.id
            # Only the index job: the summary job it queues is not what this page shows.
            index_job = sent.sent[0]
            assert execute_job(db, settings.jobs, index_job, worker="browser-test") == "succeeded"
    finally:
        service_index.close_all()
        db.dispose()
    return doc_id


def accessible(page: Page) -> None:
    assert serious_violations(page) == [], page.url


def fits_360(page: Page) -> None:
    """At a 360 px phone width the page scrolls only vertically. No reload: the answer page is
    the response to a POST."""
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        scroll, viewport = no_horizontal_scroll(page)
        assert scroll <= viewport, f"{page.url}: {scroll}px wide at {viewport}px"
    finally:
        if size:
            page.set_viewport_size(size)


def test_member_asks_and_opens_the_cited_passage(page: Page, indexed_document: int) -> None:
    login(page, "mem_a")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Hỏi đáp"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hỏi đáp")
    accessible(page)
    fits_360(page)

    page.get_by_label("Câu hỏi của bạn").fill(QUESTION)
    page.get_by_role("button", name="Hỏi", exact=True).click()
    answer = page.locator("#answer")
    # The first question loads the embedding model in the server: allow it the time.
    expect(answer).to_contain_text("tối ngày 5 hằng tháng", timeout=60_000)
    expect(answer.locator(".answer-text")).to_contain_text("Theo các văn bản bạn được xem")
    history = page.locator("section", has=page.locator("#h-history"))
    expect(history).to_contain_text(QUESTION)
    accessible(page)
    fits_360(page)

    answer.get_by_role("link", name=re.compile(re.escape(TITLE))).first.click()
    expect(page).to_have_url(re.compile(rf"/documents/{indexed_document}\?passage=\d+#passage$"))
    passage = page.locator("#passage")
    expect(passage.locator("mark")).to_contain_text("tối ngày 5 hằng tháng")
    expect(passage).to_be_in_viewport()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    accessible(page)
    fits_360(page)


def test_a_question_outside_the_documents_is_not_guessed(page: Page, indexed_document: int) -> None:
    login(page, "mem_a")
    page.goto("/assistant")
    page.get_by_label("Câu hỏi của bạn").fill("Mức phụ cấp của tổ trưởng dân phố là bao nhiêu?")
    page.get_by_role("button", name="Hỏi", exact=True).click()
    answer = page.locator("#answer")
    expect(answer).to_contain_text("Không tìm thấy", timeout=60_000)
    expect(answer.get_by_role("link")).to_have_count(0)
