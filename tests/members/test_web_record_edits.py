"""Editing and ending member sub-records from the profile page (issue 17), through TestClient."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from app.core.localtime import local_today
from app.members.models import Discipline, Rating, Training, WorkHistory
from tests.factories.org import Org
from tests.factories.transfers import web_login


def _work(session: Session, member_id: int, **extra: object) -> WorkHistory:
    row = WorkHistory(
        member_id=member_id,
        organisation="UBND phường",
        position="Cán bộ",
        start_date=date(2010, 1, 1),
        **extra,
    )
    session.add(row)
    session.flush()
    return row


def test_edit_form_is_filled_in_and_saves_only_what_changed(
    client: TestClient, session: Session, org: Org
) -> None:
    headers = web_login(client, session, org.accounts["sec_a"])
    member = org.members["mem_a"]
    row = _work(session, member.id)
    profile = client.get(f"/members/{member.id}")
    url = f"/members/{member.id}/records/work-history/{row.id}"
    assert f'href="{url}/edit"' in profile.text and f'href="{url}/end"' in profile.text
    page = client.get(f"{url}/edit")
    assert page.status_code == 200
    assert 'value="UBND phường"' in page.text and 'value="2010-01-01"' in page.text
    form = {"start_date": "2010-01-01", "end_date": "", "organisation": "UBND phường"}
    saved = client.post(
        f"{url}/edit",
        data={**form, "position": "Pho\u0301 chủ tịch"},
        headers=headers,
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("#work-history")
    session.refresh(row)
    assert row.position == "Phó chủ tịch" and row.organisation == "UBND phường"
    (entry,) = session.scalars(
        select(AuditLog).where(AuditLog.action == "member.work_history.update")
    ).all()
    assert entry.detail["fields"] == ["position"]


def test_a_refused_edit_redraws_the_form_and_loses_nothing(
    client: TestClient, session: Session, org: Org
) -> None:
    headers = web_login(client, session, org.accounts["sec_a"])
    member = org.members["mem_a"]
    row = _work(session, member.id)
    url = f"/members/{member.id}/records/work-history/{row.id}/edit"
    backwards = {"start_date": "2010-01-01", "end_date": "2009-05-01", "organisation": "Sở Y tế"}
    bad = client.post(url, data=backwards, headers=headers)
    assert bad.status_code == 422
    assert "Ngày kết thúc không được trước ngày bắt đầu" in bad.text
    assert 'value="Sở Y tế"' in bad.text  # what was typed stays on the page
    assert 'aria-invalid="true"' in bad.text
    empty = client.post(url, data={"organisation": ""}, headers=headers)
    assert empty.status_code == 422 and "Chưa nhập" in empty.text
    garbled = client.post(url, data={"start_date": "x"}, headers=headers)
    assert garbled.status_code == 422 and "Ngày không hợp lệ" in garbled.text
    session.refresh(row)
    assert (row.organisation, row.end_date) == ("UBND phường", None)


def test_ending_an_open_period_asks_for_the_day(
    client: TestClient, session: Session, org: Org
) -> None:
    headers = web_login(client, session, org.accounts["sec_a"])
    member = org.members["mem_a"]
    training = Training(member_id=member.id, course="Sơ cấp", start_date=date(2015, 3, 1))
    session.add(training)
    session.flush()
    url = f"/members/{member.id}/records/trainings/{training.id}/end"
    page = client.get(url)
    assert page.status_code == 200
    assert "Sơ cấp" in page.text and f'value="{local_today().isoformat()}"' in page.text
    early = client.post(url, data={"end_date": "2014-12-31"}, headers=headers)
    assert early.status_code == 422 and "không được trước ngày bắt đầu" in early.text
    blank = client.post(url, data={"end_date": ""}, headers=headers)
    assert blank.status_code == 422
    done = client.post(
        url, data={"end_date": "2015-06-30"}, headers=headers, follow_redirects=False
    )
    assert done.status_code == 303
    session.refresh(training)
    assert training.end_date == date(2015, 6, 30)
    # Closed: no second "Kết thúc"; the page sends to the edit form, a post is refused.
    assert f'href="{url}"' not in client.get(f"/members/{member.id}").text
    assert client.get(url, follow_redirects=False).headers["location"].endswith("/edit")
    again = client.post(url, data={"end_date": "2016-01-01"}, headers=headers)
    assert again.status_code == 409 and "đã có ngày kết thúc" in again.text
    award_end = f"/members/{member.id}/records/awards/{training.id}/end"
    assert (
        client.post(award_end, data={"end_date": "2016-01-01"}, headers=headers).status_code == 404
    )


def test_rating_year_clash_is_explained(client: TestClient, session: Session, org: Org) -> None:
    headers = web_login(client, session, org.accounts["sec_a"])
    member = org.members["mem_a"]
    first = Rating(member_id=member.id, year=2021, grade="HTNV")
    second = Rating(member_id=member.id, year=2022, grade="HTNV")
    session.add_all([first, second])
    session.flush()
    url = f"/members/{member.id}/records/ratings/{second.id}/edit"
    page = client.get(url)
    assert page.status_code == 200 and 'value="2022"' in page.text
    clash = client.post(url, data={"year": "2021", "grade": "HTNV", "note": ""}, headers=headers)
    assert clash.status_code == 409 and "Năm 2021 đã có xếp loại" in clash.text
    ok = client.post(
        url,
        data={"year": "2022", "grade": "HTXSNV", "note": "Theo biên bản"},
        headers=headers,
        follow_redirects=False,
    )
    assert ok.status_code == 303
    session.refresh(second)
    assert (second.grade, second.note) == ("HTXSNV", "Theo biên bản")


def test_discipline_edit_is_sensitive_and_scoped(
    client: TestClient, session: Session, org: Org
) -> None:
    member = org.members["mem_a"]
    row = Discipline(
        member_id=member.id, decided_on=date(2021, 6, 1), form="khien_trach", reason="Vắng họp"
    )
    session.add(row)
    session.flush()
    url = f"/members/{member.id}/records/disciplines/{row.id}/edit"
    web_login(client, session, org.accounts["staff_w1"])
    assert client.get(url).status_code == 403
    headers = web_login(client, session, org.accounts["sec_a"])
    fragment = client.get(f"/members/{member.id}/sensitive", headers={"HX-Request": "true"})
    assert f'href="{url}"' in fragment.text
    page = client.get(url)
    assert page.status_code == 200 and "Vắng họp" in page.text
    assert page.headers["cache-control"] == "no-store"
    reads = session.scalars(
        select(AuditLog.detail).where(AuditLog.action == "member.sensitive_read")
    ).all()
    assert {"fields": ["disciplines"], "record_id": row.id} in reads
    saved = client.post(
        url,
        data={"decided_on": "2021-06-01", "form": "canh_cao", "reason": "Vi phạm bí mật"},
        headers=headers,
        follow_redirects=False,
    )
    assert saved.status_code == 303
    session.refresh(row)
    assert (row.form, row.reason) == ("canh_cao", "Vi phạm bí mật")
    logged = session.scalars(
        select(AuditLog).where(AuditLog.action == "member.discipline.update")
    ).one()
    assert "bí mật" not in str(logged.detail)
    # Another member's record, or a member of another cell: the 404 of a missing one.
    other = org.members["sec_a"].id
    wrong = f"/members/{other}/records/disciplines/{row.id}/edit"
    assert client.get(wrong).status_code == 404
    assert client.post(wrong, data={"reason": "X"}, headers=headers).status_code == 404
    hidden = org.members["mem_b"].id
    assert client.get(f"/members/{hidden}/records/disciplines/{row.id}/edit").status_code == 404
    assert client.get(f"/members/{member.id}/records/nonsense/{row.id}/edit").status_code == 404
