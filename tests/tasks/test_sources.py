"""Task sources on the web: the picker (through the permission helper), links, the outcomes page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.permissions import load_actor
from app.meetings.models import MeetingStatus
from app.tasks import service
from app.tasks import service_sources as sources
from app.tasks.models import Task, TaskSource
from tests.factories.documents import make_document
from tests.factories.meetings import make_meeting
from tests.factories.org import Org
from tests.factories.tasks import make_task
from tests.factories.transfers import web_login


def test_picker_offers_only_the_units_visible_sources(
    session: Session, settings: Settings, org: Org
) -> None:
    mine = make_meeting(session, org.units["A"], title="Họp chi bộ A")
    make_meeting(session, org.units["A"], title="Bản nháp", status=MeetingStatus.draft)
    make_meeting(session, org.units["B"], title="Họp chi bộ B")
    ward = make_meeting(session, org.units["W1"], title="Hội nghị đảng ủy phường")
    doc_a = make_document(session, settings, by=org.accounts["sec_a"], unit=org.units["A"])
    make_document(session, settings, by=org.accounts["sec_b"], unit=org.units["B"])
    sec = load_actor(session, org.accounts["sec_a"].id)
    assert sec is not None
    got = sources.choices(session, actor=sec, unit=org.units["A"])
    # The ward meeting is above A but out of the secretary's sight (unit.view on A only).
    assert [m.id for m in got["meetings"]] == [mine.id]
    assert [d.id for d in got["documents"]] == [doc_a.id]
    staff = load_actor(session, org.accounts["staff_w1"].id)
    assert staff is not None
    seen = {m.id for m in sources.choices(session, actor=staff, unit=org.units["A"])["meetings"]}
    assert seen == {mine.id, ward.id}
    assert sources.parse_choice("meeting:7") == (TaskSource.meeting, 7)
    assert sources.parse_choice("bogus:7") == (TaskSource.other, None)
    assert sources.parse_choice("") == (TaskSource.other, None)


def test_task_from_the_meeting_shows_its_source_everywhere(
    client: TestClient, session: Session, org: Org
) -> None:
    meeting = make_meeting(session, org.units["A"], status=MeetingStatus.closed)
    unit = org.units["A"]
    csrf = web_login(client, session, org.accounts["sec_a"])
    outcomes = client.get(f"/meetings/{meeting.id}/outcomes")
    link = f"/units/{unit.id}/tasks?source=meeting:{meeting.id}"
    assert link in outcomes.text and "Chưa có nhiệm vụ nào được giao" in outcomes.text
    board = client.get(link)
    assert f'<option value="meeting:{meeting.id}" selected>' in board.text
    form = {
        "assignee_member_id": str(org.members["mem_a"].id),
        "description": "Hoàn thiện biên bản",
        "start_date": "2026-03-01",
        "due_date": "2026-03-10",
        "source": f"meeting:{meeting.id}",
    }
    other = make_meeting(session, org.units["B"])
    refused = client.post(
        f"/units/{unit.id}/tasks", headers=csrf, data={**form, "source": f"meeting:{other.id}"}
    )
    assert refused.status_code == 422 and "Không tìm thấy cuộc họp hoặc văn bản" in refused.text
    assert f'<option value="meeting:{other.id}" selected>' not in refused.text
    resp = client.post(f"/units/{unit.id}/tasks", headers=csrf, data=form)
    assert resp.status_code == 200
    task = session.scalars(select(Task)).one()
    assert (task.source_type, task.source_id) == ("meeting", meeting.id)
    href = f'href="/meetings/{meeting.id}">{meeting.title}</a>'
    assert href in client.get(f"/units/{unit.id}/tasks").text
    assert "Hoàn thiện biên bản" in client.get(f"/meetings/{meeting.id}/outcomes").text

    client.cookies.clear()
    web_login(client, session, org.accounts["mem_a"])
    assert href in client.get("/tasks/mine").text
    page = client.get(f"/meetings/{meeting.id}/outcomes")
    assert "Hoàn thiện biên bản" in page.text and "Giao nhiệm vụ từ cuộc họp này" not in page.text


def test_members_see_their_own_tasks_of_a_meeting_and_no_hidden_titles(
    session: Session, org: Org
) -> None:
    meeting = make_meeting(session, org.units["A"])
    ward = make_meeting(session, org.units["W1"], title="Hội nghị bí mật của phường")
    own = make_task(session, org.units["A"], org.members["mem_a"], description="Việc của tôi")
    theirs = make_task(session, org.units["A"], org.members["sec_a"], description="Việc khác")
    for t in (own, theirs):
        t.source_type, t.source_id = "meeting", meeting.id
    session.flush()
    mem = load_actor(session, org.accounts["mem_a"].id)
    sec = load_actor(session, org.accounts["sec_a"].id)
    assert mem is not None and sec is not None
    listed = service.list_source_tasks(
        session, actor=mem, source_type=TaskSource.meeting, source_id=meeting.id
    )
    assert [t.id for t in listed] == [own.id]
    listed = service.list_source_tasks(
        session, actor=sec, source_type=TaskSource.meeting, source_id=meeting.id
    )
    assert {t.id for t in listed} == {own.id, theirs.id}
    got = sources.labels(session, actor=mem, refs=[("meeting", meeting.id), ("meeting", ward.id)])
    assert set(got) == {f"meeting:{meeting.id}"}
