"""Feedback threads and ideas: posting, official replies, status, and isolation between cells."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from app.core.config import Settings
from app.notifications.models import Notification
from tests.factories.accounts import bearer
from tests.factories.documents import make_document
from tests.factories.org import Org


def _post(client: TestClient, session: Session, org: Org, who: str, path: str, body: Any) -> Any:
    return client.post(path, headers=bearer(session, org.accounts[who]), json=body)


def _idea(client: TestClient, session: Session, org: Org, who: str) -> dict[str, Any]:
    resp = _post(
        client,
        session,
        org,
        who,
        "/api/v1/feedback/ideas",
        {"title": "Đề nghị họp tối thứ Sáu", "body": "Nhiều đảng viên đi làm ban ngày."},
    )
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def test_member_submits_idea_and_secretary_answers(
    client: TestClient, session: Session, org: Org
) -> None:
    idea = _idea(client, session, org, "mem_a")
    assert idea["unit_id"] == org.units["A"].id and idea["status"] == "new"
    assert idea["kind"] == "idea" and len(idea["posts"]) == 1

    listed = client.get("/api/v1/feedback", headers=bearer(session, org.accounts["sec_a"])).json()
    assert [t["id"] for t in listed] == [idea["id"]]

    resp = _post(
        client, session, org, "sec_a", f"/api/v1/feedback/{idea['id']}/posts", {"body": "Đồng ý."}
    )
    assert resp.status_code == 201 and resp.json()["is_official"] is True
    detail = client.get(
        f"/api/v1/feedback/{idea['id']}", headers=bearer(session, org.accounts["mem_a"])
    ).json()
    assert detail["status"] == "answered" and len(detail["posts"]) == 2
    assert detail["can_manage"] is False
    note = session.scalar(
        select(Notification).where(
            Notification.member_id == org.members["mem_a"].id, Notification.kind == "feedback.reply"
        )
    )
    assert note is not None and note.link == f"/feedback/{idea['id']}"

    resp = _post(
        client,
        session,
        org,
        "sec_a",
        f"/api/v1/feedback/{idea['id']}/status",
        {"status": "accepted"},
    )
    assert resp.status_code == 200 and resp.json()["status"] == "accepted"
    # The author may add to their thread but not set its status.
    resp = _post(
        client, session, org, "mem_a", f"/api/v1/feedback/{idea['id']}/status", {"status": "closed"}
    )
    assert resp.status_code == 403
    resp = _post(
        client, session, org, "mem_a", f"/api/v1/feedback/{idea['id']}/posts", {"body": "Cảm ơn."}
    )
    assert resp.status_code == 201 and resp.json()["is_official"] is False


def test_threads_are_isolated_between_cells(client: TestClient, session: Session, org: Org) -> None:
    idea_b = _idea(client, session, org, "mem_b")
    for who in ("mem_a", "sec_a", "mem_d"):
        h = bearer(session, org.accounts[who])
        assert client.get(f"/api/v1/feedback/{idea_b['id']}", headers=h).status_code == 404
        assert idea_b["id"] not in {
            t["id"] for t in client.get("/api/v1/feedback", headers=h).json()
        }
        resp = client.post(
            f"/api/v1/feedback/{idea_b['id']}/posts", headers=h, json={"body": "Xen vào"}
        )
        assert resp.status_code == 404
    # Ward staff sees and answers every thread of its cells.
    h = bearer(session, org.accounts["staff_w1"])
    assert client.get(f"/api/v1/feedback/{idea_b['id']}", headers=h).status_code == 200
    # Another member of the same cell does not see a colleague's idea.
    assert (
        client.get(
            f"/api/v1/feedback/{idea_b['id']}", headers=bearer(session, org.accounts["sec_a"])
        ).status_code
        == 404
    )


def test_comment_on_document_needs_to_see_it(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    u = org.units
    to_b = make_document(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=u["W1"],
        audience=[u["B"]],
        publish=True,
    )
    to_a = make_document(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=u["W1"],
        audience=[u["A"]],
        publish=True,
    )
    body = {"target_type": "document", "title": "Góp ý mục 2", "body": "Nên rõ thời hạn."}
    resp = _post(client, session, org, "mem_a", "/api/v1/feedback", {**body, "target_id": to_b.id})
    assert resp.status_code == 404
    resp = _post(client, session, org, "mem_a", "/api/v1/feedback", {**body, "target_id": to_a.id})
    assert resp.status_code == 201, resp.text
    grouped = client.get(
        "/api/v1/feedback",
        headers=bearer(session, org.accounts["sec_a"]),
        params={"target_type": "document", "target_id": to_a.id},
    ).json()
    assert [t["id"] for t in grouped] == [resp.json()["id"]]


def test_accounts_without_member_cannot_post(
    client: TestClient, session: Session, org: Org
) -> None:
    resp = _post(
        client, session, org, "staff_w1", "/api/v1/feedback/ideas", {"title": "Thử", "body": "x"}
    )
    assert resp.status_code == 403
    resp = _post(
        client, session, org, "mem_a", "/api/v1/feedback/ideas", {"title": "  ", "body": "x"}
    )
    assert resp.status_code == 422


def test_idea_filed_on_behalf_is_the_members(
    client: TestClient, session: Session, org: Org
) -> None:
    """X-On-Behalf-Of: the member acted for is the author; the audit row names the secretary."""
    member = org.members["mem_a"]
    headers = {**bearer(session, org.accounts["sec_a"]), "X-On-Behalf-Of": str(member.id)}
    resp = client.post(
        "/api/v1/feedback/ideas",
        headers=headers,
        json={"title": "Đề nghị sửa đường", "body": "Cụ nhờ chi bộ ghi giúp."},
    )
    assert resp.status_code == 201, resp.text
    idea = resp.json()
    assert idea["author_member_id"] == member.id and idea["unit_id"] == member.unit_id
    assert idea["posts"][0]["author_member_id"] == member.id
    row = session.scalar(select(AuditLog).where(AuditLog.action == "feedback.idea"))
    assert row is not None and row.on_behalf_of_member_id == member.id
    assert row.actor_account_id == org.accounts["sec_a"].id
    # The member sees it as their own thread.
    mine = client.get("/api/v1/feedback", headers=bearer(session, org.accounts["mem_a"])).json()
    assert [t["id"] for t in mine] == [idea["id"]]
