"""Editing a meeting while draft or noticed: service, API (PATCH) and the web form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import Conflict, Invalid, NotFound
from app.meetings import service
from app.meetings import service_comments as comments
from app.meetings import service_editing as editing
from app.meetings.models import MeetingComment, MeetingStatus
from app.meetings.schemas import CommentIn, MeetingUpdate
from app.notifications.models import Notification
from tests.factories.accounts import bearer
from tests.factories.documents import make_document
from tests.factories.meetings import make_meeting
from tests.factories.org import Org
from tests.factories.transfers import web_login
from tests.meetings.test_service import actor, new_meeting

CTX = AuditContext()


def update(session: Session, org: Org, meeting_id: int, who: str = "sec_a", **fields: object):  # type: ignore[no-untyped-def]
    data = MeetingUpdate.model_validate(fields)
    return editing.update_meeting(
        session, CTX, actor=actor(session, org, who), meeting_id=meeting_id, data=data
    )


def test_fields_agenda_and_documents_change_and_are_audited(
    session: Session, settings: Settings, org: Org
) -> None:
    own = make_document(session, settings, by=org.accounts["sec_a"], unit=org.units["A"])
    m = new_meeting(session, org)
    first, second = service.agenda(session, m.id)
    update(
        session,
        org,
        m.id,
        title="Sinh hoạt chuyên đề tháng 12",
        kind="thematic",
        place="Nhà văn hóa",
        chair_member_id=org.members["sec_a"].id,
        agenda=[
            {"id": second.id, "title": "Học tập nghị quyết (cập nhật)"},
            {"title": "Kết nạp đảng viên"},
        ],
        document_ids=[own.id],
    )
    assert (m.title, m.kind, m.place) == ("Sinh hoạt chuyên đề tháng 12", "thematic", "Nhà văn hóa")
    assert m.chair_member_id == org.members["sec_a"].id
    items = service.agenda(session, m.id)
    assert [(a.id, a.position, a.title) for a in items[:1]] == [
        (second.id, 1, "Học tập nghị quyết (cập nhật)")
    ]
    assert [a.title for a in items] == ["Học tập nghị quyết (cập nhật)", "Kết nạp đảng viên"]
    assert first.id not in {a.id for a in items}
    assert [d.document_id for d in service.documents(session, m.id)] == [own.id]
    log = session.scalars(select(AuditLog).where(AuditLog.action == "meeting.update")).one()
    assert set(log.detail["fields"]) >= {"title", "kind", "place", "agenda", "documents"}
    # Nothing sent, nothing changed: no audit row.
    update(session, org, m.id)
    assert (
        len(session.scalars(select(AuditLog).where(AuditLog.action == "meeting.update")).all()) == 1
    )


def test_only_draft_or_noticed_and_only_managers(session: Session, org: Org) -> None:
    m = make_meeting(session, org.units["A"], status=MeetingStatus.in_progress)
    with pytest.raises(Conflict):
        update(session, org, m.id, title="Muộn rồi")
    noticed = make_meeting(session, org.units["A"])
    with pytest.raises(NotFound):
        update(session, org, noticed.id, who="sec_b", title="Không phải chi bộ mình")
    with pytest.raises(Invalid):
        update(session, org, noticed.id, place="", online_link=None)
    with pytest.raises(Invalid):
        update(session, org, noticed.id, ends_at=noticed.starts_at - timedelta(hours=1))
    with pytest.raises(Invalid):
        update(session, org, noticed.id, chair_member_id=org.members["mem_b"].id)


def test_prereading_added_on_edit_must_be_visible_to_the_secretary(
    session: Session, settings: Settings, org: Org
) -> None:
    other = make_document(
        session, settings, by=org.accounts["sec_b"], unit=org.units["B"], title="Kế hoạch chi bộ B"
    )
    m = new_meeting(session, org)
    with pytest.raises(Invalid) as err:
        update(session, org, m.id, document_ids=[other.id])
    assert "Kế hoạch chi bộ B" not in err.value.render()
    assert service.documents(session, m.id) == []


def test_commented_agenda_item_cannot_be_dropped(session: Session, org: Org) -> None:
    m = make_meeting(session, org.units["A"])
    first, second = service.agenda(session, m.id)
    comments.add_comment(
        session,
        CTX,
        actor=actor(session, org, "mem_a"),
        meeting_id=m.id,
        data=CommentIn(body="Đề nghị bổ sung số liệu", agenda_item_id=first.id),
    )
    with pytest.raises(Conflict) as err:
        update(session, org, m.id, agenda=[{"id": second.id, "title": second.title}])
    assert first.title in err.value.render()
    # Renaming it keeps the item, and the comment with it.
    update(session, org, m.id, agenda=[{"id": first.id, "title": "Đánh giá tháng 11"}])
    assert session.scalars(select(MeetingComment.agenda_item_id)).one() == first.id


def test_members_hear_of_a_new_time_once_noticed(session: Session, org: Org) -> None:
    m = make_meeting(session, org.units["A"], reminded_at=utcnow())
    update(session, org, m.id, starts_at=(m.starts_at + timedelta(days=1)).isoformat())
    assert m.reminded_at is None  # the reminder goes out again for the new time
    sent = session.scalars(
        select(Notification.member_id).where(Notification.kind == "meeting.changed")
    ).all()
    assert set(sent) == {org.members["sec_a"].id, org.members["mem_a"].id}


def test_patch_api(client: TestClient, session: Session, org: Org) -> None:
    m = make_meeting(session, org.units["A"], status=MeetingStatus.draft)
    url = f"/api/v1/meetings/{m.id}"
    r = client.patch(
        url, json={"title": "Họp chi bộ (sửa)"}, headers=bearer(session, org.accounts["sec_a"])
    )
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Họp chi bộ (sửa)" and len(r.json()["agenda"]) == 2
    bad = client.patch(url, json={"title": None}, headers=bearer(session, org.accounts["sec_a"]))
    assert bad.status_code == 422
    member = bearer(session, org.accounts["mem_a"])
    assert client.patch(url, json={"title": "X"}, headers=member).status_code == 404


def test_web_edit_form(client: TestClient, session: Session, org: Org) -> None:
    m = make_meeting(session, org.units["A"])
    first, second = service.agenda(session, m.id)
    csrf = web_login(client, session, org.accounts["sec_a"])
    page = client.get(f"/meetings/{m.id}")
    assert f'href="/meetings/{m.id}/edit"' in page.text
    form_page = client.get(f"/meetings/{m.id}/edit")
    assert form_page.status_code == 200 and f'value="{first.title}"' in form_page.text
    form = {
        "kind": "regular",
        "title": "Sinh hoạt chi bộ tháng 12 (dời lịch)",
        "starts_at": "2030-12-06T19:30",
        "place": "Nhà văn hóa khu phố 1",
        f"agenda_{first.id}": "",
        f"agenda_{second.id}": second.title,
        "new_agenda": "Kết nạp đảng viên\n",
    }
    bad = client.post(f"/meetings/{m.id}/edit", headers=csrf, data={**form, "starts_at": "x"})
    assert bad.status_code == 422 and "Ngày giờ không hợp lệ" in bad.text
    assert "(dời lịch)" in bad.text  # the input is kept
    resp = client.post(f"/meetings/{m.id}/edit", headers=csrf, data=form, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].endswith("?done=edited")
    session.refresh(m)
    assert m.title.endswith("(dời lịch)") and m.starts_at.hour == 12
    assert [a.title for a in service.agenda(session, m.id)] == [second.title, "Kết nạp đảng viên"]
    assert "Đã lưu thay đổi cuộc họp" in client.get(resp.headers["location"]).text
    # A refused edit changes nothing: an unknown document leaves the title as it was.
    refused = client.post(
        f"/meetings/{m.id}/edit",
        headers=csrf,
        data={**form, "title": "Không lưu", "document_ids": "999999"},
    )
    assert refused.status_code == 422 and "Không tìm thấy văn bản “999999”" in refused.text
    session.refresh(m)
    assert m.title.endswith("(dời lịch)")
    client.cookies.clear()
    web_login(client, session, org.accounts["mem_a"])
    assert client.get(f"/meetings/{m.id}/edit").status_code == 403
    assert f'href="/meetings/{m.id}/edit"' not in client.get(f"/meetings/{m.id}").text
