"""Member records in the web (issue 17): add a member, edit the profile, add and remove records."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from app.members.models import Award, Discipline, Member, WorkHistory
from tests.factories.org import Org
from tests.factories.transfers import web_login


def _new(client: TestClient, headers: dict[str, str], unit_id: int, **extra: str) -> object:
    data = {"unit_id": str(unit_id), "full_name": "Trần Thị Bình", "birth_date": "1970-05-02"}
    return client.post(
        "/members/new", data={**data, **extra}, headers=headers, follow_redirects=False
    )


def test_secretary_adds_a_member_and_the_duplicate_is_refused(
    client: TestClient, session: Session, org: Org
) -> None:
    headers = web_login(client, session, org.accounts["sec_a"])
    page = client.get(f"/members/new?unit_id={org.units['A'].id}")
    assert page.status_code == 200 and "Thêm đảng viên" in page.text
    # Decomposed letters (NFD) are stored composed.
    resp = _new(client, headers, org.units["A"].id, full_name="Tra\u0302\u0300n Thị Bình")
    assert resp.status_code == 303
    member = session.scalar(select(Member).where(Member.full_name == "Trần Thị Bình"))
    assert member is not None and member.unit_id == org.units["A"].id
    again = _new(client, headers, org.units["A"].id)
    assert again.status_code == 409
    assert "Đã có đảng viên cùng họ tên và ngày sinh" in again.text
    bad = _new(client, headers, org.units["A"].id, full_name="", cccd="12")
    assert bad.status_code == 422
    assert "Chưa nhập" in bad.text and "12 chữ số" in bad.text
    # Another cell's unit: not this secretary's to fill.
    outside = _new(client, headers, org.units["B"].id, full_name="Lê Văn Cường")
    assert outside.status_code in (403, 404)


def test_profile_edit_keeps_the_cccd_unless_typed(
    client: TestClient, session: Session, org: Org
) -> None:
    headers = web_login(client, session, org.accounts["sec_a"])
    member = org.members["mem_a"]
    member.cccd = "001234567890"
    session.flush()
    form = client.get(f"/members/{member.id}/edit")
    assert form.status_code == 200 and "001234567890" not in form.text
    resp = client.post(
        f"/members/{member.id}/edit",
        data={
            "full_name": member.full_name,
            "hometown": "Nam Định",
            "cccd": "",
            "status": "active",
        },
        headers=headers,
        follow_redirects=False,
    )
    assert resp.status_code == 303
    session.refresh(member)
    assert member.hometown == "Nam Định" and member.cccd == "001234567890"
    wrong = client.post(
        f"/members/{member.id}/edit",
        data={"full_name": member.full_name, "admission_date": "2030-01-01", "status": "active"},
        headers=headers,
    )
    assert wrong.status_code == 422 and "Ngày phải nằm trong quá khứ" in wrong.text


def test_records_added_and_removed_through_the_api_services(
    client: TestClient, session: Session, org: Org
) -> None:
    headers = web_login(client, session, org.accounts["sec_a"])
    member = org.members["mem_a"]
    base = f"/members/{member.id}/records"
    work = {"organisation": "UBND phường", "position": "Cán bộ", "start_date": "2010-01-01"}
    assert (
        client.post(
            f"{base}/work-history", data=work, headers=headers, follow_redirects=False
        ).status_code
        == 303
    )  # noqa: E501
    row = session.scalar(select(WorkHistory).where(WorkHistory.member_id == member.id))
    assert row is not None and row.organisation == "UBND phường"
    backwards = {**work, "end_date": "2009-01-01"}
    bad = client.post(f"{base}/work-history", data=backwards, headers=headers)
    assert bad.status_code == 422 and "Ngày kết thúc không được trước ngày bắt đầu" in bad.text
    award = {"awarded_on": "2020-02-03", "title": "Giấy khen"}
    assert (
        client.post(
            f"{base}/awards", data=award, headers=headers, follow_redirects=False
        ).status_code
        == 303
    )  # noqa: E501
    gone = client.post(
        f"{base}/work-history/{row.id}/delete", headers=headers, follow_redirects=False
    )  # noqa: E501
    assert gone.status_code == 303
    assert session.get(WorkHistory, row.id) is None
    assert session.scalar(select(Award).where(Award.member_id == member.id)) is not None
    discipline = {"decided_on": "2021-03-04", "form": "khien_trach", "reason": "Vắng họp"}
    assert (
        client.post(
            f"{base}/disciplines", data=discipline, headers=headers, follow_redirects=False
        ).status_code
        == 303
    )  # noqa: E501
    assert session.scalar(select(Discipline).where(Discipline.member_id == member.id)) is not None
    actions = set(session.scalars(select(AuditLog.action)))
    assert {
        "member.work_history.add",
        "member.work_history.delete",
        "member.discipline.add",
    } <= actions  # noqa: E501
    assert client.post(f"{base}/nonsense", data={}, headers=headers).status_code == 404


def test_who_may_not_edit_gets_the_api_answer(
    client: TestClient, session: Session, org: Org
) -> None:
    member = org.members["mem_b"]
    headers = web_login(client, session, org.accounts["sec_a"])
    assert client.get(f"/members/{member.id}/edit").status_code == 404
    resp = client.post(
        f"/members/{member.id}/records/awards",
        data={"awarded_on": "2020-02-03", "title": "Giấy khen"},
        headers=headers,
    )
    assert resp.status_code == 404
    headers = web_login(client, session, org.accounts["mem_a"])
    assert client.get("/members/new").status_code == 403


def test_the_list_and_profile_offer_the_forms(
    client: TestClient, session: Session, org: Org
) -> None:
    web_login(client, session, org.accounts["sec_a"])
    assert 'href="/members/new' in client.get("/members").text
    page = client.get(f"/members/{org.members['mem_a'].id}")
    assert f"/members/{org.members['mem_a'].id}/edit" in page.text
    assert "Thêm quá trình công tác" in page.text and "Ghi xếp loại một năm" in page.text
    web_login(client, session, org.accounts["auditor"])
    assert 'href="/members/new' not in client.get("/members").text
