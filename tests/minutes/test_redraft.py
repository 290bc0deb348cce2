"""Re-drafting after the notes changed keeps the sections the secretary edited unless they ask
to replace them; versions and their diffs; a secret vote's minutes give totals, never names."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.meetings.models import Meeting
from app.minutes import service
from app.units.models import Unit
from app.votes.models import OpenChoice, VoteItem
from tests.factories.minutes import Held
from tests.minutes.conftest import Headers, minutes_of, run_draft


def _text(body: dict[str, Any], key: str) -> str:
    return str(next(s["text"] for s in body["sections"] if s["key"] == key))


def test_redraft_keeps_edited_sections_unless_replaced(
    client: TestClient, session: Session, drafted: Held, as_: Headers
) -> None:
    sec = as_("sec_a")
    base = f"/api/v1/meetings/{drafted.meeting.id}/minutes"
    body = minutes_of(client, drafted.meeting.id, sec)
    items = [s["key"] for s in body["sections"] if s["key"].startswith("item-")]
    mine = _text(body, items[0]) + "\nThư ký ghi thêm: chi bộ đánh giá cao tinh thần trách nhiệm."
    client.put(f"{base}/sections", headers=sec, json={"sections": {items[0]: mine}})
    notes = "[1] Đ/c Hải: đề nghị làm rõ trách nhiệm tổ dân phố.\n[3] Đ/c Tâm: giới thiệu quần chúng ưu tú."
    assert client.put(f"{base}/notes", headers=sec, json={"notes": notes}).status_code == 200
    assert client.post(f"{base}/draft", headers=sec, json={}).status_code == 202
    run_draft(session, drafted.meeting.id)
    body = minutes_of(client, drafted.meeting.id, sec)
    assert _text(body, items[0]) == mine  # kept
    assert "giới thiệu quần chúng ưu tú" in _text(body, items[2])  # re-drafted from the notes
    assert [s["key"] for s in body["sections"] if s["edited"]] == [items[0]]
    assert body["version"] == 3
    versions = client.get(f"{base}/versions", headers=sec).json()
    assert [v["kind"] for v in versions] == ["redraft", "edit", "draft"]
    diff = client.get(f"{base}/versions/3/diff", headers=sec).json()
    assert diff["old"] == 2 and items[2] in [s["key"] for s in diff["sections"]]
    assert items[0] not in [s["key"] for s in diff["sections"]]
    diff = client.get(f"{base}/versions/2/diff", headers=sec).json()
    assert diff["sections"][0]["key"] == items[0]
    assert (
        "+Thư ký ghi thêm: chi bộ đánh giá cao tinh thần trách nhiệm."
        in diff["sections"][0]["lines"]
    )
    # Replace: the secretary's edit gives way to the new draft.
    run_draft(session, drafted.meeting.id, replace=True)
    body = minutes_of(client, drafted.meeting.id, sec)
    assert "Thư ký ghi thêm" not in _text(body, items[0])
    assert not any(s["edited"] for s in body["sections"])


def test_provenance_of_drafted_sentences_survives_an_edit_of_another_line(
    client: TestClient, drafted: Held, as_: Headers
) -> None:
    sec = as_("sec_a")
    base = f"/api/v1/meetings/{drafted.meeting.id}/minutes"
    body = minutes_of(client, drafted.meeting.id, sec)
    att = _text(body, "attendance")
    client.put(
        f"{base}/sections", headers=sec, json={"sections": {"attendance": att + "\nGhi thêm."}}
    )
    section = next(
        s
        for s in minutes_of(client, drafted.meeting.id, sec)["sections"]
        if s["key"] == "attendance"
    )
    by_text = {x["text"]: x["sources"] for x in section["sentences"]}
    assert by_text["Có mặt: 3 đồng chí."] == [
        {"kind": "record", "table": "meeting", "id": None, "field": "attendance.present"}
    ]
    assert by_text["Ghi thêm."] == []


def test_a_secret_vote_gives_totals_never_names(
    client: TestClient, session: Session, drafted: Held, as_: Headers
) -> None:
    # Even a stray per-member row on the secret vote is never read into the minutes.
    item = session.query(VoteItem).filter(VoteItem.vote_id == drafted.secret_vote.id).one()
    lan = drafted.members["lan"]
    session.add(
        OpenChoice(
            vote_id=drafted.secret_vote.id, item_id=item.id, member_id=lan.id, choice="disagree"
        )
    )
    session.flush()
    meeting = session.get(Meeting, drafted.meeting.id)
    unit = session.get(Unit, drafted.meeting.unit_id)
    assert meeting is not None and unit is not None
    minutes = service.find(session, meeting.id)
    assert minutes is not None
    data = service.minutes_input(session, minutes)
    secret = [v for v in data.record.votes if v.kind == "secret"]
    assert secret and all(not v.disagree_names and not v.abstain_names for v in secret)
    run_draft(session, meeting.id)
    votes = _text(minutes_of(client, meeting.id, as_("sec_a")), "votes")
    block = votes[votes.index("Bỏ phiếu kín") :]
    assert "tán thành 3 phiếu" in block
    for m in drafted.members.values():
        assert m.full_name not in block
