"""Creating votes from the web: from a meeting (a motion on an agenda item) or standalone."""

from __future__ import annotations

import unicodedata

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.meetings.models import MeetingStatus
from app.votes.models import Vote, VoteItem
from tests.factories.meetings import make_meeting
from tests.factories.org import Org
from tests.factories.transfers import web_login


def _votes(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Vote)) or 0


def test_secretary_creates_a_secret_motion_from_the_meeting_page(
    client: TestClient, session: Session, org: Org
) -> None:
    meeting = make_meeting(session, org.units["A"], status=MeetingStatus.in_progress)
    csrf = web_login(client, session, org.accounts["sec_a"])
    page = client.get(f"/meetings/{meeting.id}")
    assert f'href="/votes/new?meeting_id={meeting.id}"' in page.text
    assert f'href="/meetings/{meeting.id}/outcomes"' in page.text
    form_page = client.get(f"/votes/new?meeting_id={meeting.id}")
    assert form_page.status_code == 200 and "Đánh giá công tác tháng" in form_page.text
    agenda_id = form_page.text.split('<option value="', 2)[2].split('"')[0]
    # Decomposed input (as some phone keyboards send it) is stored composed (NFC).
    title = unicodedata.normalize("NFD", "Bầu bí thư chi bộ")
    resp = client.post(
        "/votes",
        headers=csrf,
        data={
            "meeting_id": str(meeting.id),
            "unit_id": str(org.units["A"].id),
            "agenda_item_id": agenda_id,
            "title": title,
            "kind": "secret",
            "form": "candidates",
            "threshold": "2/3",
            "threshold_base": "all",
            "items": "Trần Thị Bình\n\nNguyễn Văn An\n",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    vote = session.scalars(select(Vote)).one()
    assert resp.headers["location"] == f"/votes/{vote.id}?done=created"
    assert vote.title == "Bầu bí thư chi bộ" and vote.meeting_id == meeting.id
    assert (vote.kind, vote.form, vote.status) == ("secret", "candidates", "draft")
    assert (vote.threshold_num, vote.threshold_den, vote.threshold_base) == (2, 3, "all")
    assert vote.description.startswith("Về nội dung chương trình: 1. Đánh giá công tác tháng")
    items = session.scalars(select(VoteItem.text).order_by(VoteItem.position)).all()
    assert items == ["Trần Thị Bình", "Nguyễn Văn An"]
    shown = client.get(resp.headers["location"])
    assert "Đã tạo biểu quyết" in shown.text and "Mở biểu quyết" in shown.text
    # The meeting page lists the vote.
    assert f'href="/votes/{vote.id}"' in client.get(f"/meetings/{meeting.id}").text


def test_standalone_vote_with_a_window(client: TestClient, session: Session, org: Org) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    assert 'href="/votes/new"' in client.get("/votes").text
    page = client.get("/votes/new")
    assert page.status_code == 200 and org.units["A"].name in page.text
    resp = client.post(
        "/votes",
        headers=csrf,
        data={
            "unit_id": str(org.units["A"].id),
            "title": "Lấy ý kiến về kế hoạch năm",
            "kind": "open",
            "items": "Thông qua kế hoạch",
            "opens_at": "2030-01-05T08:00",
            "closes_at": "2030-01-07T20:00",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    vote = session.scalars(select(Vote)).one()
    assert vote.meeting_id is None and vote.kind == "open"
    assert vote.opens_at is not None and vote.closes_at is not None
    # 20:00 in Vietnam is 13:00 UTC.
    assert vote.closes_at.hour == 13


def test_errors_rerender_the_form_with_the_input_kept(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    data = {
        "unit_id": str(org.units["A"].id),
        "title": "Thông qua nghị quyết",
        "kind": "secret",
        "items": "Đồng ý\nđồng ý",
        "opens_at": "2030-01-07T08:00",
        "closes_at": "2030-01-05T08:00",
    }
    resp = client.post("/votes", headers=csrf, data=data)
    assert resp.status_code == 422
    assert "Chưa tạo được biểu quyết" in resp.text
    assert "Thời điểm đóng phải sau thời điểm mở" in resp.text
    assert 'value="Thông qua nghị quyết"' in resp.text and "Đồng ý\nđồng ý</textarea>" in resp.text
    missing = client.post(
        "/votes", headers=csrf, data={**data, "title": "", "items": "", "closes_at": ""}
    )
    assert missing.status_code == 422
    assert "Tiêu đề" in missing.text and "Cần ít nhất một mục" in missing.text
    past = client.post(
        "/votes",
        headers=csrf,
        data={**data, "items": "Đồng ý", "opens_at": "", "closes_at": "2020-01-01T08:00"},
    )
    assert past.status_code == 422 and "Thời điểm đóng phải ở sau hiện tại" in past.text
    assert _votes(session) == 0
    # English readers get English messages.
    english = client.post("/votes?lang=en", headers=csrf, data={**data, "title": ""})
    assert "Title" in english.text and "Must not be empty" in english.text


def test_who_may_open_the_form(client: TestClient, session: Session, org: Org) -> None:
    meeting_b = make_meeting(session, org.units["B"])
    web_login(client, session, org.accounts["sec_a"])
    assert client.get(f"/votes/new?meeting_id={meeting_b.id}").status_code == 404
    assert client.get(f"/votes/new?unit_id={org.units['B'].id}").status_code == 404
    client.cookies.clear()
    csrf = web_login(client, session, org.accounts["mem_a"])
    assert client.get("/votes/new").status_code == 403
    assert 'href="/votes/new"' not in client.get("/votes").text
    meeting_a = make_meeting(session, org.units["A"])
    assert client.get(f"/votes/new?meeting_id={meeting_a.id}").status_code == 403
    resp = client.post(
        "/votes",
        headers=csrf,
        data={"unit_id": str(org.units["A"].id), "title": "X", "kind": "open", "items": "Y"},
    )
    assert resp.status_code == 403 and _votes(session) == 0
