"""The minutes pages (issue 14): the notes form, the draft job and its progress fragment, the
draft with each sentence's source, a section edit caught by the check, submission blocked
until fixed or overridden, the chair's approval and return, the lock with its verification,
corrections, versions, the downloads; members read approved minutes only, outsiders get the
missing meeting's 404; bad input answers in Vietnamese, never a 500."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.jobs.models import JobStatus
from app.minutes import service, service_draft
from app.web.minutes_labels import mismatch_sentence
from pipelines import minutes as pm
from tests.factories.minutes import Held, held_meeting
from tests.factories.org import Org
from tests.factories.transfers import web_login
from tests.jobs.fakes import RecordingDispatcher, recording_jobs

NUMBER = re.compile(r"\d+")


@pytest.fixture
def dispatcher() -> Iterator[RecordingDispatcher]:
    with recording_jobs() as recorder:
        yield recorder


@pytest.fixture(autouse=True)
def no_follow(client: TestClient) -> None:
    client.follow_redirects = False  # the forms answer 303; the tests read where to


@pytest.fixture
def held(session: Session, org: Org) -> Held:
    # sec_a writes and chairs; mem_a is an ordinary member of the cell.
    return held_meeting(session, org, chair="sec_a")


def run_draft(session: Session, meeting_id: int) -> None:
    """What the `minutes.draft` job stores, in the test's transaction."""
    minutes = service.find(session, meeting_id)
    assert minutes is not None
    draft = pm.draft_minutes(service.minutes_input(session, minutes))
    service_draft.store_draft(
        session, AuditContext(), minutes=minutes, draft=draft, replace=False, author_account_id=None
    )
    job = service_draft.current_job(session, minutes)
    if job is not None:
        job.status, job.progress = JobStatus.succeeded, 100
    session.flush()


def drafted(client: TestClient, session: Session, org: Org, held: Held) -> dict[str, str]:
    csrf = web_login(client, session, org.accounts["sec_a"])
    url = f"/meetings/{held.meeting.id}/minutes"
    assert client.post(f"{url}/draft", headers=csrf, data={}).status_code == 303
    run_draft(session, held.meeting.id)
    return csrf


def test_a_mismatch_reads_as_a_vietnamese_sentence() -> None:
    line = mismatch_sentence({"field": "vote[2].agree", "found": "9", "expected": "3"})
    assert line == "Ghi số tán thành của lần biểu quyết thứ 2 là 9, nhưng hồ sơ cuộc họp ghi 3."
    missing = mismatch_sentence({"field": "attendance.present", "found": "", "expected": "3"})
    assert missing == "Thiếu số đảng viên có mặt: theo hồ sơ cuộc họp là 3."
    assert "một số liệu" in mismatch_sentence({"field": "??", "found": "1", "expected": "2"})


def test_the_meeting_page_links_the_minutes_for_officers(
    client: TestClient, session: Session, org: Org, held: Held
) -> None:
    web_login(client, session, org.accounts["sec_a"])
    page = client.get(f"/meetings/{held.meeting.id}")
    assert f'href="/meetings/{held.meeting.id}/minutes"' in page.text
    web_login(client, session, org.accounts["mem_a"])
    page = client.get(f"/meetings/{held.meeting.id}")
    assert page.status_code == 200
    assert f'href="/meetings/{held.meeting.id}/minutes"' not in page.text


def test_notes_draft_job_and_provenance(
    client: TestClient,
    session: Session,
    org: Org,
    held: Held,
    dispatcher: RecordingDispatcher,
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    url = f"/meetings/{held.meeting.id}/minutes"
    page = client.get(url)
    assert page.status_code == 200
    assert "Ghi chép của thư ký" in page.text and "Soạn dự thảo" in page.text
    item_ids = re.findall(r'name="item_id" value="(\d+)"', page.text)
    assert len(item_ids) == 3
    saved = client.post(
        f"{url}/notes",
        headers=csrf,
        data={
            "notes": "[1] Chi bộ thống nhất đánh giá công tác tháng 11.",
            "item_id": item_ids,
            "presenter": ["Nguyễn Văn A", "", ""],
            "conclusion": ["Chi bộ thống nhất.", "", ""],
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303 and "done=notes" in saved.headers["location"]
    page = client.get(saved.headers["location"])
    assert "Đã lưu ghi chép" in page.text and 'value="Nguyễn Văn A"' in page.text

    sent = client.post(f"{url}/draft", headers=csrf, data={"mode": "offline"})
    assert sent.status_code == 303
    waiting = client.get(f"{url}/progress")
    assert waiting.status_code == 200 and "Đang chờ soạn dự thảo" in waiting.text
    page = client.get(url)
    assert 'hx-get="/meetings/' in page.text and 'id="min-progress"' in page.text

    run_draft(session, held.meeting.id)
    done = client.get(f"{url}/progress")
    assert done.status_code == 286 and done.headers["HX-Refresh"] == "true"
    page = client.get(url)
    assert "BIÊN BẢN" in page.text
    assert page.text.count('<details class="prov">') > 5
    assert "Ghi chép của thư ký, dòng 1" in page.text
    assert "Hồ sơ cuộc họp: Biểu quyết" in page.text
    assert "Sửa mục này" in page.text


def test_edit_check_submit_approve_verify(
    client: TestClient, session: Session, org: Org, held: Held, dispatcher: RecordingDispatcher
) -> None:
    csrf = drafted(client, session, org, held)
    url = f"/meetings/{held.meeting.id}/minutes"
    minutes = service.find(session, held.meeting.id)
    assert minutes is not None
    text = str(minutes.sections["attendance"])
    wrong = NUMBER.sub(lambda m: str(int(m.group(0)) + 40), text, count=1)
    saved = client.post(
        f"{url}/sections/attendance", headers=csrf, data={"text": wrong, "reason": "thử"}
    )
    assert saved.status_code == 303
    page = client.get(url)
    assert 'id="warn-attendance"' in page.text
    assert "nhưng hồ sơ cuộc họp ghi" in page.text
    refused = client.post(f"{url}/submit", headers=csrf, data={})
    assert refused.status_code == 422
    assert "không khớp với hồ sơ" in refused.text and 'role="alert"' in refused.text
    assert 'aria-invalid="true"' in refused.text

    client.post(f"{url}/sections/attendance", headers=csrf, data={"text": text})
    page = client.get(url)
    assert 'id="warn-attendance"' not in page.text
    assert client.post(f"{url}/submit", headers=csrf, data={}).status_code == 303
    page = client.get(url)
    assert "Chủ trì duyệt biên bản" in page.text and "Sửa mục này" not in page.text

    # The chair (sec_a chairs) returns it with a comment, then approves the resubmission.
    empty = client.post(f"{url}/return", headers=csrf, data={"comment": "  "})
    assert empty.status_code == 422 and "Chưa nhập" in empty.text
    back = client.post(f"{url}/return", headers=csrf, data={"comment": "Ghi rõ giờ kết thúc."})
    assert back.status_code == 303
    page = client.get(url)
    assert "Ghi rõ giờ kết thúc." in page.text and "Sửa mục này" in page.text
    assert client.post(f"{url}/submit", headers=csrf, data={}).status_code == 303
    assert client.post(f"{url}/approve", headers=csrf, data={}).status_code == 303
    page = client.get(url)
    assert "Đã duyệt và khóa" in page.text and "Kiểm tra toàn vẹn" in page.text
    assert re.search(r"<code>[0-9a-f]{64}</code>", page.text)
    assert "Sửa mục này" not in page.text
    verified = client.post(f"{url}/verify", headers=csrf)
    assert verified.status_code == 200 and "Toàn vẹn" in verified.text

    # A correction needs its reason; with one it goes back to the chair.
    minutes = service.find(session, held.meeting.id)
    assert minutes is not None
    keys = list(minutes.layout["order"])
    texts = [str(minutes.sections.get(k, "")) for k in keys]
    texts[-1] = texts[-1] + "\nBiên bản được lập thành hai bản."
    no_reason = client.post(f"{url}/corrections", headers=csrf, data={"key": keys, "text": texts})
    assert no_reason.status_code == 422 and "Chưa nhập" in no_reason.text
    fixed = client.post(
        f"{url}/corrections",
        headers=csrf,
        data={
            "key": keys,
            "text": texts,
            "reason": "Bổ sung số bản",
            "override_reason": "Đã đối chiếu",
        },
    )
    assert fixed.status_code == 303
    versions = client.get(f"{url}/versions")
    assert versions.status_code == 200
    assert "Đính chính sau khi khóa" in versions.text and 'class="add"' in versions.text


def test_members_read_approved_minutes_only_and_outsiders_get_404(
    client: TestClient, session: Session, org: Org, held: Held, dispatcher: RecordingDispatcher
) -> None:
    drafted(client, session, org, held)
    url = f"/meetings/{held.meeting.id}/minutes"
    web_login(client, session, org.accounts["mem_a"])
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/docx").status_code == 404
    csrf = web_login(client, session, org.accounts["sec_a"])
    client.post(f"{url}/submit", headers=csrf, data={"override_reason": "Đã đối chiếu"})
    assert client.post(f"{url}/approve", headers=csrf, data={}).status_code == 303

    member_csrf = web_login(client, session, org.accounts["mem_a"])
    page = client.get(url)
    assert page.status_code == 200 and "BIÊN BẢN" in page.text
    assert "Sửa mục này" not in page.text and "Ghi chép của thư ký" not in page.text
    docx = client.get(f"{url}/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert client.post(f"{url}/verify", headers=member_csrf).status_code == 200
    assert client.post(f"{url}/approve", headers=member_csrf, data={}).status_code == 403
    assert client.get(f"{url}/versions").status_code == 403

    web_login(client, session, org.accounts["mem_d"])
    outsider = client.get(url)
    missing = client.get("/meetings/999999/minutes")
    assert outsider.status_code == missing.status_code == 404
    assert "Không tìm thấy cuộc họp" in outsider.text and "Không tìm thấy cuộc họp" in missing.text


def test_pdf_and_pack_download(
    client: TestClient, session: Session, org: Org, held: Held, dispatcher: RecordingDispatcher
) -> None:
    drafted(client, session, org, held)
    url = f"/meetings/{held.meeting.id}/minutes"
    pdf = client.get(f"{url}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    pack = client.get(f"{url}/pack")
    assert pack.status_code == 200 and pack.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("draft", {"mode": "xyz"}),
        ("sections/attendance", {"text": "x" * 20_001}),
        ("sections/không-có", {"text": "x"}),
        ("sections/nosuch", {"text": "Câu mới."}),
        ("notes", {"notes": "ghi", "item_id": ["abc", "999999"], "presenter": ["x" * 300]}),
        ("submit", {"override_reason": "ab"}),
        ("approve", {"comment": "x" * 6000}),
        ("corrections", {"key": ["attendance"], "text": ["x"], "reason": "Sửa"}),
    ],
)
def test_bad_input_answers_in_vietnamese_never_500(
    client: TestClient,
    session: Session,
    org: Org,
    held: Held,
    dispatcher: RecordingDispatcher,
    path: str,
    data: dict[str, object],
) -> None:
    csrf = drafted(client, session, org, held)
    resp = client.post(f"/meetings/{held.meeting.id}/minutes/{path}", headers=csrf, data=data)
    assert 400 <= resp.status_code < 500, resp.text[:500]
    assert "Input should" not in resp.text and "Field required" not in resp.text
