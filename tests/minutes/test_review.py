"""The review chain through the API: edit, submit, return with a comment, edit again, submit,
approve (which locks); a locked record refuses every edit; an edit that writes a wrong figure
is caught and blocks submission unless overridden with a reason, which is audited."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from tests.factories.minutes import Held
from tests.minutes.conftest import Headers, minutes_of


def url(held: Held, path: str = "") -> str:
    return f"/api/v1/meetings/{held.meeting.id}/minutes{path}"


def section(body: dict[str, Any], key: str) -> str:
    return str(next(s["text"] for s in body["sections"] if s["key"] == key))


def actions(session: Session, minutes_meeting: int) -> list[str]:
    rows = session.scalars(
        select(AuditLog).where(AuditLog.object_type == "minutes").order_by(AuditLog.id)
    ).all()
    # The changes only: reads and exports are audited too (tests/minutes/test_export.py).
    return [
        r.action
        for r in rows
        if r.detail.get("meeting_id") == minutes_meeting
        and r.action not in ("minutes.read", "minutes.export")
    ]


def test_review_chain_with_return_and_approval(
    client: TestClient, session: Session, drafted: Held, as_: Headers
) -> None:
    sec, chair = as_("sec_a"), as_("mem_a")  # mem_a chairs this meeting
    body = minutes_of(client, drafted.meeting.id, sec)
    closing = section(body, "closing")
    edited = closing.replace("Hội nghị kết thúc", "Hội nghị bế mạc và kết thúc")
    resp = client.put(
        url(drafted, "/sections"), headers=sec, json={"sections": {"closing": edited}}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["mismatches"] == [] and resp.json()["version"] == 2

    assert client.post(url(drafted, "/submit"), headers=sec, json={}).status_code == 200
    # Nobody edits submitted minutes.
    resp = client.put(
        url(drafted, "/sections"), headers=sec, json={"sections": {"closing": closing}}
    )
    assert resp.status_code == 409
    # The chair returns them with a comment; a return without one is refused.
    assert (
        client.post(url(drafted, "/return"), headers=chair, json={"comment": ""}).status_code == 422
    )
    resp = client.post(
        url(drafted, "/return"), headers=chair, json={"comment": "Ghi rõ ý kiến của đ/c Cúc."}
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["state"] == "returned"
    assert [(r["action"], r["comment"]) for r in body["reviews"]] == [
        ("submit", ""),
        ("return", "Ghi rõ ý kiến của đ/c Cúc."),
    ]
    # The secretary edits again and resubmits; the chair approves, which locks.
    key = body["sections"][3]["key"]
    assert key.startswith("item-")
    resp = client.put(
        url(drafted, "/sections"),
        headers=sec,
        json={"sections": {key: section(body, key) + "\nĐồng chí Cúc đề nghị rà soát kỹ."}},
    )
    assert resp.status_code == 200, resp.text
    assert client.post(url(drafted, "/submit"), headers=sec, json={}).status_code == 200
    resp = client.post(url(drafted, "/approve"), headers=chair, json={"comment": "Đồng ý."})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["state"] == "locked" and len(body["locked_sha256"]) == 64
    lock = session.scalars(
        select(AuditLog).where(AuditLog.action == "minutes.lock").order_by(AuditLog.id.desc())
    ).first()
    assert lock is not None and lock.detail["sha256"] == body["locked_sha256"]
    assert actions(session, drafted.meeting.id) == [
        "minutes.notes",
        "minutes.draft_request",
        "minutes.draft",
        "minutes.edit",
        "minutes.submit",
        "minutes.return",
        "minutes.edit",
        "minutes.submit",
        "minutes.approve",
        "minutes.lock",
    ]
    verify = client.get(url(drafted, "/verify"), headers=as_("mem_a"))
    assert verify.status_code == 200 and verify.json()["ok"] is True


def test_a_locked_record_refuses_edits(
    client: TestClient, session: Session, drafted: Held, as_: Headers
) -> None:
    sec = as_("sec_a")
    assert client.post(url(drafted, "/submit"), headers=sec, json={}).status_code == 200
    assert client.post(url(drafted, "/approve"), headers=as_("mem_a"), json={}).status_code == 200
    before = minutes_of(client, drafted.meeting.id, sec)
    for method, path, payload in (
        ("PUT", "/sections", {"sections": {"closing": "Hội nghị kết thúc lúc 22 giờ."}}),
        ("PUT", "/notes", {"notes": "thêm"}),
        ("POST", "/draft", {"replace": True}),
        ("POST", "/submit", {}),
        ("POST", "/approve", {}),
        ("POST", "/return", {"comment": "x"}),
    ):
        resp = client.request(method, url(drafted, path), headers=sec, json=payload)
        assert resp.status_code == 409, (path, resp.text)
    after = minutes_of(client, drafted.meeting.id, sec)
    assert after["sections"] == before["sections"] and after["version"] == before["version"]


def test_a_correction_after_lock_is_a_new_version_back_to_the_chair(
    client: TestClient, session: Session, drafted: Held, as_: Headers
) -> None:
    sec, chair = as_("sec_a"), as_("mem_a")
    assert client.post(url(drafted, "/submit"), headers=sec, json={}).status_code == 200
    locked = client.post(url(drafted, "/approve"), headers=chair, json={}).json()
    first_sha = locked["locked_sha256"]
    closing = section(locked, "closing")
    fixed = closing + "\nBiên bản gồm 3 trang."
    # A correction needs a reason.
    resp = client.post(
        url(drafted, "/corrections"),
        headers=sec,
        json={"sections": {"closing": fixed}, "reason": ""},
    )
    assert resp.status_code == 422
    resp = client.post(
        url(drafted, "/corrections"),
        headers=sec,
        json={"sections": {"closing": fixed}, "reason": "Bổ sung số trang"},
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["state"] == "submitted" and body["correction_reason"] == "Bổ sung số trang"
    assert body["locked_sha256"] == first_sha  # the earlier lock still stands
    versions = client.get(url(drafted, "/versions"), headers=sec).json()
    assert versions[0]["kind"] == "correction" and versions[0]["reason"] == "Bổ sung số trang"
    assert any(v["locked"] for v in versions[1:])
    # Members of the cell still read the text locked before (Lê Thị Cúc has no account:
    # the page reads the published version for every reader; see test_access).
    resp = client.post(url(drafted, "/approve"), headers=chair, json={})
    assert resp.status_code == 200
    body = resp.json()
    assert body["state"] == "locked" and body["locked_sha256"] != first_sha
    assert section(body, "closing") == fixed
    assert client.get(url(drafted, "/verify"), headers=sec).json()["ok"] is True


def test_a_wrong_figure_blocks_submit_until_fixed_or_overridden(
    client: TestClient, session: Session, drafted: Held, as_: Headers
) -> None:
    sec = as_("sec_a")
    body = minutes_of(client, drafted.meeting.id, sec)
    good = section(body, "attendance")
    wrong = good.replace("Có mặt: 3 đồng chí", "Có mặt: 4 đồng chí")
    assert wrong != good
    resp = client.put(
        url(drafted, "/sections"), headers=sec, json={"sections": {"attendance": wrong}}
    )
    assert resp.status_code == 200
    found = resp.json()["mismatches"]
    assert [(m["field"], m["expected"], m["found"]) for m in found] == [
        ("attendance.present", "3", "4")
    ]
    assert found[0]["sentence"] == "Có mặt: 4 đồng chí."
    resp = client.post(url(drafted, "/submit"), headers=sec, json={})
    assert resp.status_code == 422
    details = resp.json()["details"]
    assert details[0]["field"] == "attendance.attendance.present"
    assert details[0]["message"] == "Có mặt: 4 đồng chí."
    # Overridden with a reason: submitted, and the override is in the audit log.
    resp = client.post(
        url(drafted, "/submit"),
        headers=sec,
        json={"override_reason": "Đ/c Lan đến muộn, có mặt từ nội dung 2"},
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["override_reason"] == "Đ/c Lan đến muộn, có mặt từ nội dung 2"
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "minutes.override")).one()
    assert entry.detail["reason"] == "Đ/c Lan đến muộn, có mặt từ nội dung 2"
    assert entry.detail["fields"] == ["attendance.attendance.present"]
    assert entry.actor_account_id is not None


def test_fixing_the_figure_lets_it_through(client: TestClient, drafted: Held, as_: Headers) -> None:
    sec = as_("sec_a")
    good = section(minutes_of(client, drafted.meeting.id, sec), "attendance")
    wrong = good.replace("Có mặt: 3", "Có mặt: 5")
    client.put(url(drafted, "/sections"), headers=sec, json={"sections": {"attendance": wrong}})
    assert client.post(url(drafted, "/submit"), headers=sec, json={}).status_code == 422
    resp = client.put(
        url(drafted, "/sections"), headers=sec, json={"sections": {"attendance": good}}
    )
    assert resp.json()["mismatches"] == []
    assert client.post(url(drafted, "/submit"), headers=sec, json={}).status_code == 200


def test_a_correction_with_a_wrong_figure_is_refused_unless_overridden(
    client: TestClient, session: Session, drafted: Held, as_: Headers
) -> None:
    sec, chair = as_("sec_a"), as_("mem_a")
    assert client.post(url(drafted, "/submit"), headers=sec, json={}).status_code == 200
    locked = client.post(url(drafted, "/approve"), headers=chair, json={}).json()
    wrong = section(locked, "attendance").replace("Có mặt: 3", "Có mặt: 6")
    body = {"sections": {"attendance": wrong}, "reason": "Sửa số có mặt"}
    resp = client.post(url(drafted, "/corrections"), headers=sec, json=body)
    assert resp.status_code == 422
    assert resp.json()["details"][0]["field"] == "attendance.attendance.present"
    assert minutes_of(client, drafted.meeting.id, sec)["state"] == "locked"
    body["override_reason"] = "Biên bản giấy ghi 6 người"
    resp = client.post(url(drafted, "/corrections"), headers=sec, json=body)
    assert resp.status_code == 200 and resp.json()["state"] == "submitted"
    assert "minutes.override" in actions(session, drafted.meeting.id)
