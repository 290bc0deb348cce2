"""Who may use a meeting's minutes: its secretary and chair and the officers above them manage
them; members of the cell read them once locked, and then only the locked text; everyone else
gets exactly the 404 of a meeting that does not exist."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.permissions import load_actor
from tests.factories.minutes import Held, drafted_minutes, held_meeting
from tests.factories.org import Org
from tests.minutes.conftest import Headers

PATHS = ("", "/docx", "/verify", "/versions", "/versions/1/diff")
WRITES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("PUT", "/notes", {"notes": "x"}),
    ("POST", "/draft", {}),
    ("PUT", "/sections", {"sections": {"closing": "x"}}),
    ("POST", "/submit", {}),
    ("POST", "/approve", {}),
    ("POST", "/return", {"comment": "x"}),
    ("POST", "/corrections", {"sections": {"closing": "x"}, "reason": "abc"}),
)


@pytest.fixture
def own(session: Session, org: Org) -> Held:
    """Locked minutes of a meeting of cell A whose secretary and chair is sec_a: mem_a is an
    ordinary member of the cell."""
    held = held_meeting(session, org, chair="sec_a")
    sec = load_actor(session, org.accounts["sec_a"].id)
    assert sec is not None
    drafted_minutes(session, held.meeting, by=sec, state="locked")
    return held


def test_outsiders_get_the_404_of_a_missing_meeting(
    client: TestClient, own: Held, as_: Headers
) -> None:
    for who in ("mem_d", "mem_b", "sec_b", "auditor"):
        for meeting_id in (own.meeting.id, 1_999_999_999):
            base = f"/api/v1/meetings/{meeting_id}/minutes"
            answers = [client.get(base + p, headers=as_(who)) for p in PATHS]
            answers += [
                client.request(m, base + p, headers=as_(who), json=body) for m, p, body in WRITES
            ]
            for resp in answers:
                assert resp.status_code == 404, (who, meeting_id, resp.request.url, resp.text)
                assert resp.json()["message"] == "Không tìm thấy cuộc họp"


def test_a_member_of_the_cell_reads_the_locked_text_only(
    client: TestClient, session: Session, org: Org, own: Held, as_: Headers
) -> None:
    member, sec = as_("mem_a"), as_("sec_a")
    base = f"/api/v1/meetings/{own.meeting.id}/minutes"
    body = client.get(base, headers=member).json()
    assert body["state"] == "locked" and body["can_manage"] is False
    assert body["notes"] == "" and body["reviews"] == [] and body["mismatches"] == []
    locked_closing = next(s["text"] for s in body["sections"] if s["key"] == "closing")
    assert client.get(f"{base}/docx", headers=member).status_code == 200
    assert client.get(f"{base}/verify", headers=member).json()["ok"] is True
    for method, path, payload in WRITES:
        assert client.request(method, base + path, headers=member, json=payload).status_code == 403
    for path in ("/versions", "/versions/1/diff"):
        assert client.get(base + path, headers=member).status_code == 403
    # A correction under way: the member still reads the text locked before.
    resp = client.post(
        f"{base}/corrections",
        headers=sec,
        json={"sections": {"closing": locked_closing + "\nBổ sung."}, "reason": "Bổ sung"},
    )
    assert resp.status_code == 200, resp.text
    body = client.get(base, headers=member).json()
    assert next(s["text"] for s in body["sections"] if s["key"] == "closing") == locked_closing


def test_a_member_sees_nothing_before_the_lock(
    client: TestClient, session: Session, org: Org, as_: Headers
) -> None:
    held = held_meeting(session, org, chair="sec_a")
    sec = load_actor(session, org.accounts["sec_a"].id)
    assert sec is not None
    base = f"/api/v1/meetings/{held.meeting.id}/minutes"
    assert client.get(base, headers=as_("mem_a")).status_code == 404
    drafted_minutes(session, held.meeting, by=sec, state="submitted")
    verify = client.get(f"{base}/verify", headers=as_("sec_a"))
    assert verify.status_code == 200
    assert verify.json() == {
        "ok": False,
        "reason": "not locked",
        "sha256": None,
        "audited_sha256": None,
    }
    for path in ("", "/docx"):
        resp = client.get(base + path, headers=as_("mem_a"))
        assert resp.status_code == 404 and resp.json()["message"] == "Biên bản chưa được duyệt"


def test_the_meetings_chair_approves_without_an_officer_role(
    client: TestClient, drafted: Held, as_: Headers
) -> None:
    base = f"/api/v1/meetings/{drafted.meeting.id}/minutes"
    assert client.post(f"{base}/submit", headers=as_("sec_a"), json={}).status_code == 200
    resp = client.post(f"{base}/approve", headers=as_("mem_a"), json={})
    assert resp.status_code == 200 and resp.json()["state"] == "locked"


def test_bad_input_is_a_clear_4xx(client: TestClient, drafted: Held, as_: Headers) -> None:
    sec = as_("sec_a")
    base = f"/api/v1/meetings/{drafted.meeting.id}/minutes"
    for method, path, payload in (
        ("PUT", "/sections", {"sections": {"no-such-section": "x"}}),
        ("PUT", "/sections", {"sections": {}}),
        ("PUT", "/sections", {"sections": {"closing": "a\u0000b"}}),
        ("PUT", "/sections", {"sections": {"Closing!": "x"}}),
        ("PUT", "/notes", {"notes": "x", "items": {"999999": {"presenter": "A"}}}),
        ("POST", "/draft", {"mode": "gpt"}),
        ("POST", "/submit", {"override_reason": ""}),
        ("POST", "/corrections", {"sections": {"closing": "x"}, "reason": "abc"}),
    ):
        resp = client.request(method, base + path, headers=sec, json=payload)
        assert 400 <= resp.status_code < 500, (path, payload, resp.status_code, resp.text)
    assert client.get(f"{base}/versions/99/diff", headers=sec).status_code == 404
    # Text arrives composed (NFC).
    composed = "Hội nghị kết thúc lúc 21 giờ 45 phút cùng ngày."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    resp = client.put(f"{base}/sections", headers=sec, json={"sections": {"closing": decomposed}})
    closing = next(s["text"] for s in resp.json()["sections"] if s["key"] == "closing")
    assert closing == composed
