"""Issue 3 end to end in Chromium: a cell meeting from notice to secret ballot and graded task."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.web.conftest import LiveServer, login, no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser

# Cell E (seeded in conftest) belongs to this scenario alone: sec_e chairs, three members vote.
MEMBERS = ("mem_e1", "mem_e2", "mem_e3")
AGENDA = (
    "Đánh giá công tác tháng 11",
    "Thông qua dự thảo nghị quyết tháng 12",
    "Phân công nhiệm vụ",
)
TITLE = "Sinh hoạt chi bộ tháng 12"


class People:
    """One browser context per person, signed in once; closed together at the end."""

    def __init__(self, browser: Browser, live: LiveServer) -> None:
        self.browser, self.live = browser, live
        self.contexts: list[BrowserContext] = []
        self.pages: dict[str, Page] = {}

    def __getitem__(self, who: str) -> Page:
        if who not in self.pages:
            context = self.browser.new_context(base_url=self.live.url)
            self.contexts.append(context)
            self.pages[who] = context.new_page()
            login(self.pages[who], who)
        return self.pages[who]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def people(browser: Browser, live_server: LiveServer) -> Iterator[People]:
    crowd = People(browser, live_server)
    try:
        yield crowd
    finally:
        crowd.close()


def accessible(page: Page) -> None:
    assert serious_violations(page) == [], page.url


def reflows_at_360(page: Page) -> None:
    """The page at a 360 px phone width scrolls only vertically."""
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        page.reload()
        scroll, viewport = no_horizontal_scroll(page)
        assert scroll <= viewport, f"{page.url}: {scroll}px wide at {viewport}px"
    finally:
        if size:
            page.set_viewport_size(size)
            page.reload()


def nav(page: Page, name: str) -> None:
    """Follow a main-menu link; the unread badge may follow the name, hence the pattern."""
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name=re.compile(rf"^{re.escape(name)}\b")
    ).click()


def create_and_notice_meeting(page: Page, live: LiveServer) -> tuple[int, str]:
    """The secretary drafts the meeting with agenda and pre-reading, then sends the notice."""
    nav(page, "Sinh hoạt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sinh hoạt chi bộ")
    accessible(page)
    page.get_by_role("link", name="Tạo cuộc họp").click()
    expect(page).to_have_url(re.compile(r"/meetings/new$"))
    accessible(page)
    page.get_by_label("Đơn vị").select_option(label="Chi bộ Khu phố 5")
    page.get_by_label("Tiêu đề").fill(TITLE)
    starts = datetime.now() + timedelta(days=1)
    page.get_by_label("Bắt đầu").fill(starts.strftime("%Y-%m-%dT19:30"))
    page.get_by_label("Địa điểm").fill("Nhà văn hóa khu phố 5")
    page.get_by_label("Chương trình họp (mỗi dòng một nội dung)").fill("\n".join(AGENDA))
    # Pre-reading is picked by title (or number) from the documents the secretary can see.
    page.get_by_label("Văn bản 1").fill("Dự thảo nghị quyết tháng 12")
    page.get_by_role("button", name="Lưu bản nháp").click()

    expect(page).to_have_url(re.compile(r"/meetings/\d+\?done=created$"))
    expect(page.get_by_role("status")).to_contain_text("Đã tạo cuộc họp")
    meeting_id = int(re.search(r"/meetings/(\d+)", page.url).group(1))  # type: ignore[union-attr]
    agenda = page.locator("section", has=page.locator("#h-agenda"))
    for item in AGENDA:
        expect(agenda.get_by_role("listitem").filter(has_text=item)).to_have_count(1)
    expect(agenda.get_by_role("link", name="Dự thảo nghị quyết tháng 12")).to_be_visible()
    accessible(page)
    edit_meeting(page, meeting_id)

    page.get_by_role("button", name="Gửi thông báo họp").click()
    expect(page.get_by_role("status")).to_contain_text("Đã cập nhật trạng thái cuộc họp")
    expect(page.locator("dl.profile")).to_contain_text("Đã thông báo")
    # Everyone in the cell is on the roll once the notice is out.
    for name in ("Lý Thị Hoa", "Trương Văn Hải", "Mai Thị Lan", "Phan Văn Long"):
        expect(page.locator(".roll li", has_text=name)).to_have_count(1)
    code = page.locator("code.checkin-code").inner_text().strip()
    assert re.fullmatch(r"\d{4,12}", code), code
    accessible(page)
    return meeting_id, code


def member_checks_in_and_comments(
    page: Page, meeting_id: int, code: str, target: str, kind: str, body: str
) -> None:
    """A member follows the notice, checks in with the code and sends a comment."""
    nav(page, "Thông báo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo")
    accessible(page)
    page.get_by_role("link", name=f"Thông báo họp: {TITLE}").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting_id}$"))
    # A member sees no check-in code: it is read out in the room.
    expect(page.locator("code.checkin-code")).to_have_count(0)
    page.get_by_label("Mã điểm danh (do chủ trì đọc tại cuộc họp)").fill(code)
    page.get_by_role("button", name="Tôi có mặt").click()
    expect(page.get_by_role("status")).to_contain_text("Bạn đã điểm danh có mặt")
    expect(page.locator(".badge.ok", has_text="Bạn đã điểm danh có mặt")).to_be_visible()

    page.get_by_role("group", name="Loại").get_by_label(kind).check()
    page.get_by_label("Về nội dung").select_option(label=target)
    page.get_by_label("Nội dung", exact=True).fill(body)
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi ý kiến")
    accessible(page)


def secretary_sees_grouped_comments(page: Page, meeting_id: int) -> None:
    page.goto(f"/meetings/{meeting_id}")
    page.get_by_role("link", name="Xem tất cả ý kiến theo nội dung").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting_id}/comments$"))
    groups = page.get_by_role("heading", level=2)
    expect(groups.filter(has_text=AGENDA[0])).to_have_text(re.compile(r"\(1\)$"))
    expect(groups.filter(has_text="Dự thảo nghị quyết tháng 12")).to_have_text(
        re.compile(r"\(1\)$")
    )
    expect(groups.filter(has_text="Ý kiến chung")).to_have_text(re.compile(r"\(1\)$"))
    general = page.locator("section", has=page.get_by_role("heading", name="Ý kiến chung"))
    expect(general).to_contain_text("Đề nghị họp sớm hơn 30 phút")
    expect(general).to_contain_text("Kiến nghị")
    accessible(page)


def create_secret_ballot(page: Page, meeting_id: int) -> int:
    """The secretary creates the secret ballot on the meeting's agenda item with the web form."""
    page.goto(f"/meetings/{meeting_id}")
    votes = page.locator("section", has=page.locator("#h-votes"))
    expect(votes).to_contain_text("Chưa có biểu quyết nào.")
    votes.get_by_role("link", name="Tạo biểu quyết").click()
    expect(page).to_have_url(re.compile(rf"/votes/new\?meeting_id={meeting_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo biểu quyết")
    accessible(page)
    reflows_at_360(page)
    page.get_by_label("Về nội dung chương trình (không bắt buộc)").select_option(
        label=f"2. {AGENDA[1]}"
    )
    page.get_by_label("Tiêu đề").fill("Thông qua nghị quyết tháng 12")
    page.get_by_role("group", name="Hình thức").get_by_label("Bỏ phiếu kín").check()
    page.get_by_role("group", name="Loại biểu quyết").get_by_label(
        "Các nội dung biểu quyết"
    ).check()
    page.get_by_label("Các mục biểu quyết").fill("Thông qua dự thảo nghị quyết tháng 12")
    page.get_by_label("Ngưỡng thông qua", exact=True).select_option(label="Quá 1/2 (quá bán)")
    page.get_by_role("button", name="Lưu biểu quyết").click()
    expect(page).to_have_url(re.compile(r"/votes/\d+\?done=created$"))
    expect(page.get_by_role("status")).to_contain_text("Đã tạo biểu quyết")
    expect(page.get_by_text("Phiếu kín: không ai biết đồng chí đã chọn gì.")).to_be_visible()
    expect(page.get_by_text(f"Về nội dung chương trình: 2. {AGENDA[1]}")).to_be_visible()
    vote_id = int(re.search(r"/votes/(\d+)", page.url).group(1))  # type: ignore[union-attr]
    return vote_id


def edit_meeting(page: Page, meeting_id: int) -> None:
    """While still a draft, the secretary corrects the place on the edit page."""
    page.get_by_role("link", name="Sửa cuộc họp").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting_id}/edit$"))
    expect(page.get_by_label("Nội dung 1")).to_have_value(AGENDA[0])
    accessible(page)
    reflows_at_360(page)
    page.get_by_label("Địa điểm").fill("Hội trường khu phố 5")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu thay đổi cuộc họp")
    expect(page.locator("dl.profile")).to_contain_text("Hội trường khu phố 5")


def personal_calendar_item(page: Page) -> None:
    """A member writes a private item; it shows on their calendar beside the meeting."""
    page.goto("/calendar")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch sinh hoạt")
    page.get_by_role("link", name="Thêm lịch riêng").click()
    accessible(page)
    page.get_by_label("Tiêu đề").fill("Đưa cháu đi tiêm chủng")
    starts = datetime.now() + timedelta(days=2)
    page.get_by_label("Bắt đầu").fill(starts.strftime("%Y-%m-%dT08:00"))
    page.get_by_label("Địa điểm").fill("Trạm y tế phường")
    page.get_by_role("button", name="Lưu lịch riêng").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu lịch riêng")
    entries = page.locator("ul.calendar-list")
    expect(
        entries.get_by_role("listitem").filter(has_text="Đưa cháu đi tiêm chủng")
    ).to_contain_text("Lịch riêng")
    expect(entries.get_by_role("link", name=TITLE)).to_be_visible()
    accessible(page)
    reflows_at_360(page)


def cast(page: Page, vote_id: int, choice: str, comment: str = "") -> None:
    """A member opens the invitation and casts their secret ballot on the web page."""
    nav(page, "Thông báo")
    page.get_by_role("link", name="Mời biểu quyết: Thông qua nghị quyết tháng 12").click()
    expect(page).to_have_url(re.compile(rf"/votes/{vote_id}$"))
    expect(page.get_by_text("Phiếu kín: không ai biết đồng chí đã chọn gì.")).to_be_visible()
    accessible(page)
    item = page.get_by_role("group", name="1. Thông qua dự thảo nghị quyết tháng 12")
    item.get_by_label(choice, exact=True).check()
    if comment:
        item.get_by_label("Nội dung ý kiến khác").fill(comment)
    page.get_by_role("button", name="Gửi biểu quyết").click()
    expect(page).to_have_url(re.compile(rf"/votes/{vote_id}\?done=1$"))
    expect(page.get_by_role("status")).to_have_text("Đã ghi nhận biểu quyết của đồng chí.")
    expect(page.get_by_role("button", name="Gửi biểu quyết")).to_have_count(0)
    accessible(page)
    page.goto(f"/votes/{vote_id}")
    expect(page.get_by_role("status")).to_have_text("Đồng chí đã biểu quyết.")


def test_cell_meeting_from_notice_to_graded_task(people: People, live_server: LiveServer) -> None:
    live = live_server
    sec = people["sec_e"]

    # 1. The secretary creates the meeting and sends the notice.
    meeting_id, code = create_and_notice_meeting(sec, live)
    reflows_at_360(sec)

    # 2-3. Members follow the notice, check in and comment before the meeting.
    member_checks_in_and_comments(
        people["mem_e1"], meeting_id, code, f"1. {AGENDA[0]}", "Ý kiến", "Cần nêu rõ số liệu."
    )
    member_checks_in_and_comments(
        people["mem_e2"],
        meeting_id,
        code,
        "Tài liệu: Dự thảo nghị quyết tháng 12",
        "Ý kiến",
        "Dự thảo nên bổ sung chỉ tiêu.",
    )
    member_checks_in_and_comments(
        people["mem_e3"],
        meeting_id,
        code,
        "Ý kiến chung",
        "Kiến nghị",
        "Đề nghị họp sớm hơn 30 phút.",
    )
    reflows_at_360(people["mem_e3"])
    personal_calendar_item(people["mem_e3"])
    secretary_sees_grouped_comments(sec, meeting_id)

    sec.goto(f"/meetings/{meeting_id}")
    expect(sec.locator("#quorum")).to_contain_text("Có mặt: 3/4")
    expect(sec.locator("#quorum")).to_contain_text("Đủ túc số")
    sec.get_by_role("button", name="Bắt đầu cuộc họp").click()
    expect(sec.locator("dl.profile")).to_contain_text("Đang họp")

    # 4. A secret ballot on the meeting: opened by the chair, cast on the web ballot page.
    vote_id = create_secret_ballot(sec, meeting_id)
    accessible(sec)
    sec.get_by_role("button", name="Mở biểu quyết").click()
    expect(sec).to_have_url(re.compile(rf"/votes/{vote_id}/tally$"))
    expect(sec.locator("#tally")).to_contain_text("Đang mở")

    cast(people["mem_e1"], vote_id, "Đồng ý")
    cast(people["mem_e2"], vote_id, "Đồng ý")

    # Before the close: participation only, never the results, for chair and member alike.
    for page in (sec, people["mem_e3"]):
        page.goto(f"/votes/{vote_id}/tally")
        tally = page.locator("#tally")
        expect(tally).to_contain_text("Đã biểu quyết: 2 / 3 có mặt (tổng số 4 đảng viên).")
        expect(tally).to_contain_text("chỉ được công bố sau khi kết thúc biểu quyết")
        expect(tally.locator("table")).to_have_count(0)
        expect(tally).not_to_contain_text("Thông qua dự thảo")
    accessible(sec)
    reflows_at_360(sec)

    voter = people["mem_e3"]
    voter.goto(f"/votes/{vote_id}")
    reflows_at_360(voter)
    cast(voter, vote_id, "Ý kiến khác", "Cần thêm thời gian thảo luận")

    sec.goto(f"/votes/{vote_id}/tally")
    expect(sec.locator("#tally")).to_contain_text("Đã biểu quyết: 3 / 3 có mặt")
    sec.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(sec).to_have_url(re.compile(rf"/votes/{vote_id}/tally$"))
    tally = sec.locator("#tally")
    expect(tally).to_contain_text("Đã đóng")
    expect(tally.get_by_role("heading", level=2).first).to_have_text(
        "Thông qua dự thảo nghị quyết tháng 12 — Thông qua"
    )

    def votes_for(choice: str) -> Locator:
        cell = sec.locator("td", has_text=re.compile(rf"^{choice}$"))
        return tally.locator("tbody tr").filter(has=cell).locator("td").nth(1)

    expect(votes_for("Đồng ý")).to_have_text("2")
    expect(votes_for("Không đồng ý")).to_have_text("0")
    expect(votes_for("Ý kiến khác")).to_have_text("1")
    expect(tally).to_contain_text("Cần thêm thời gian thảo luận")
    # A secret ballot never says who chose what.
    expect(tally).not_to_contain_text("Ai đã chọn gì")
    accessible(sec)
    reflows_at_360(sec)

    # 5. A task from the meeting: assigned, reported done by the member, graded.
    sec.goto(f"/meetings/{meeting_id}")
    sec.get_by_role("button", name="Kết thúc cuộc họp").click()
    expect(sec.locator("dl.profile")).to_contain_text("Đã kết thúc")
    meeting_votes = sec.locator("section", has=sec.locator("#h-votes"))
    vote_link = meeting_votes.get_by_role("link", name="Thông qua nghị quyết tháng 12", exact=True)
    expect(vote_link).to_have_attribute("href", f"/votes/{vote_id}")
    sec.get_by_role("link", name="Kết quả cuộc họp: nghị quyết, nhiệm vụ, tự đánh giá").click()
    expect(sec).to_have_url(re.compile(rf"/meetings/{meeting_id}/outcomes$"))
    accessible(sec)
    sec.get_by_role("link", name="Giao nhiệm vụ từ cuộc họp này").click()
    expect(sec).to_have_url(re.compile(rf"/units/{live.units['E']}/tasks\?source=meeting:"))
    accessible(sec)
    # Opened from the meeting, the form is already open with the meeting as the source.
    expect(sec.get_by_label("Nguồn của nhiệm vụ")).to_have_value(f"meeting:{meeting_id}")
    sec.get_by_label("Người được giao").select_option(label="Mai Thị Lan")
    sec.get_by_label("Nội dung nhiệm vụ").fill("Hoàn thiện dự thảo nghị quyết tháng 12")
    sec.get_by_label("Ngày bắt đầu").fill(date.today().isoformat())
    sec.get_by_label("Hạn hoàn thành").fill((date.today() + timedelta(days=7)).isoformat())
    sec.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(sec.get_by_role("status")).to_contain_text("Đã lưu nhiệm vụ")
    row = sec.locator("tbody tr", has_text="Hoàn thiện dự thảo nghị quyết tháng 12")
    expect(row).to_contain_text("Mới giao")
    expect(row.get_by_role("link", name=TITLE)).to_have_attribute("href", f"/meetings/{meeting_id}")

    member = people["mem_e2"]
    nav(member, "Nhiệm vụ của tôi")
    expect(member.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ của tôi")
    accessible(member)
    task = member.locator("li.task", has_text="Hoàn thiện dự thảo nghị quyết tháng 12")
    task.get_by_role("button", name="Báo cáo đã hoàn thành").click()
    expect(member.get_by_role("status")).to_contain_text("Đã cập nhật nhiệm vụ")
    expect(task).to_contain_text("Đã hoàn thành")
    expect(task).to_contain_text("Đúng hạn")

    sec.reload()
    grading = sec.locator(
        "form", has=sec.get_by_role("heading", name="Đánh giá nhiệm vụ đã hoàn thành")
    )
    grading.get_by_label("Xếp loại").select_option("HTT")
    grading.get_by_label("Nhận xét").fill("Dự thảo đầy đủ, đúng hạn")
    accessible(sec)
    grading.get_by_role("button", name="Lưu đánh giá").click()
    expect(sec.get_by_role("status")).to_contain_text("Đã lưu nhiệm vụ")
    expect(row).to_contain_text("Đã đánh giá")
    expect(row).to_contain_text("HTT")

    member.reload()
    expect(task).to_contain_text("Hoàn thành tốt")
    expect(task).to_contain_text("Dự thảo đầy đủ, đúng hạn")

    # The cell's report counts the closed ballot and the task (the meeting is dated tomorrow,
    # past the report's default range).
    sec.goto(f"/units/{live.units['E']}/tasks")
    sec.get_by_role("link", name="Báo cáo của đơn vị").click()
    expect(sec.get_by_role("heading", level=1)).to_contain_text("Báo cáo")
    expect(sec.locator("tbody tr", has_text="Thông qua nghị quyết tháng 12")).to_contain_text(
        "Thông qua dự thảo nghị quyết tháng 12"
    )
    accessible(sec)
