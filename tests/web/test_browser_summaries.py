"""A directive's summary in Chromium at a phone's width (issue 16): a member of a cell opens
the ward's directive, reads its summary and the tasks "for our cell", and follows a citation
to its clause, which comes into view with the focus; the cell's secretary turns a task into a
unit task. The document is indexed and summarised by the real jobs, run here as a worker
would; the server (another process) shows what they stored. Cell F and its people are this
module's own, so no other test sees the directive or the task."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from sqlalchemy import select

from app.accounts.models import Account, Role
from app.core.config import JobsSettings, Settings
from app.core.db import Database
from app.jobs.service_engine import execute_job
from app.knowledge import service_index
from app.summaries.models import DocumentSummaryRow
from app.units.models import Unit, UnitKind
from tests.factories.accounts import make_account
from tests.factories.documents import make_document
from tests.factories.members import make_member
from tests.factories.units import make_unit
from tests.jobs.fakes import recording_jobs
from tests.web.conftest import LiveServer, login, no_horizontal_scroll, serious_violations
from tests.web.summary_data import TITLE, directive_text, due_day

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def directive(live_server: LiveServer) -> Iterator[int]:
    """Ward W1's directive for its cell F, published, then indexed and summarised by running
    every job it queues (the index job queues the summary job) in this process."""
    settings = Settings(
        env="test", data_dir=live_server.data_dir, jobs=JobsSettings(embedded_worker=False)
    )
    db = Database(settings)
    try:
        with recording_jobs() as sent:
            with db.session() as session:
                ward = session.get(Unit, live_server.units["W1"])
                staff = session.get(Account, live_server.accounts["staff_w1"])
                assert ward is not None and staff is not None
                cell = make_unit(session, "Chi bộ Khu phố 6", UnitKind.cell, ward, code="F")
                sec = make_member(session, cell, "Đinh Thị Sáu")
                elder = make_member(session, cell, "Ngô Văn Bảy")
                make_account(session, "sec_f", member=sec, role=Role.cell_secretary, unit=cell)
                make_account(session, "bac_bay", member=elder)
                session.flush()
                doc = make_document(
                    session,
                    settings,
                    by=staff,
                    unit=ward,
                    audience=[cell],
                    publish=True,
                    title=TITLE,
                    content=directive_text().encode(),
                )
                doc_id = doc.id
            outcomes = []
            while sent.sent:
                job_id = sent.sent.pop(0)
                outcomes.append(execute_job(db, settings.jobs, job_id, worker="browser-test"))
            assert outcomes == ["succeeded", "succeeded"]  # the index, then the summary
        with db.session(readonly=True) as session:
            status = session.scalar(
                select(DocumentSummaryRow.status).where(DocumentSummaryRow.document_id == doc_id)
            )
        assert status == "ready"
    finally:
        service_index.close_all()
        db.dispose()
    yield doc_id


def checked(page: Page) -> None:
    """No serious or critical axe finding, and nothing wider than the phone."""
    assert serious_violations(page) == [], page.url
    width, viewport = no_horizontal_scroll(page)
    assert width <= viewport, f"{page.url}: {width}px wide at {viewport}px"


def test_member_reads_the_summary_and_opens_a_cited_clause(page: Page, directive: int) -> None:
    page.set_viewport_size(PHONE)
    login(page, "bac_bay")
    page.goto("/documents")
    page.get_by_role("link", name=re.compile(TITLE)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)

    summary = page.locator("#tom-tat")
    expect(summary.get_by_role("heading", name="Tóm tắt")).to_be_visible()
    expect(summary.locator(".summary-points li").first).to_be_visible()
    ours = summary.locator("#h-for-us + ul")
    expect(ours).to_contain_text("Tổ chức sinh hoạt thường kỳ vào ngày 5 hằng tháng")
    expect(ours).to_contain_text(f"trước ngày {due_day():%d/%m/%Y}")
    expect(summary.locator("#h-other-tasks + ul")).to_contain_text("Văn phòng Đảng ủy")
    expect(summary.locator(".summary-short")).to_be_visible()
    # A member gives no tasks.
    expect(summary.get_by_role("link", name=re.compile("Giao cho chi bộ"))).to_have_count(0)
    checked(page)

    cite = ours.get_by_role("link", name="(Điều 2, khoản 1)").first
    href = cite.get_attribute("href")
    assert href is not None and href.startswith("#c-")
    cite.click()
    expect(page).to_have_url(re.compile(rf"/documents/{directive}#{re.escape(href[1:])}$"))
    clause = page.locator(href)
    expect(clause).to_contain_text("Các chi bộ tổ chức sinh hoạt thường kỳ")
    expect(clause).to_be_in_viewport()
    expect(clause).to_be_focused()
    checked(page)


def test_secretary_turns_a_task_into_a_unit_task(page: Page, directive: int) -> None:
    page.set_viewport_size(PHONE)
    login(page, "sec_f")
    page.goto(f"/documents/{directive}")
    ours = page.locator("#h-for-us + ul")
    task = ours.locator("li", has_text="Gửi báo cáo kết quả thực hiện Chỉ thị")
    task.get_by_role("link", name=re.compile("Giao cho chi bộ")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Giao cho chi bộ")
    due = page.get_by_label("Hạn hoàn thành")
    expect(due).to_have_value(due_day().isoformat())  # from the directive's deadline
    checked(page)
    page.get_by_label("Người được giao").select_option(label="Ngô Văn Bảy")
    page.get_by_role("button", name="Giao nhiệm vụ").click()

    created = page.locator(".summary-created")
    expect(created).to_contain_text("Đã giao nhiệm vụ")
    expect(created).to_contain_text("Gửi báo cáo kết quả thực hiện Chỉ thị")
    expect(created).to_contain_text(f"{due_day():%d/%m/%Y}")
    checked(page)
    # The task keeps its clause: the link opens it in the directive.
    created.get_by_role("link", name="(Điều 2, khoản 2)").click()
    clause = page.locator(".doc-text .chunk:focus")
    expect(clause).to_contain_text("Các chi bộ gửi báo cáo kết quả")
    expect(clause).to_be_in_viewport()
