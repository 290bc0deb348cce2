"""Who may use a recording: the meeting's secretary and chair and the officers above them
manage it; members of the cell listen only where the unit allows; everyone else gets 404."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from app.core.config import Settings
from app.meetings.models import Meeting
from app.recordings.models import RecordingPolicy
from tests.factories.meetings import make_meeting
from tests.factories.org import Org
from tests.factories.recordings import make_recording
from tests.recordings.conftest import Headers


def urls(rec_id: int) -> list[str]:
    base = f"/api/v1/recordings/{rec_id}"
    return [base, f"{base}/audio", f"{base}/transcript", f"{base}/segments/0/versions"]


def test_a_member_of_another_cell_gets_404_everywhere(
    client: TestClient, session: Session, settings: Settings, org: Org, as_: Headers
) -> None:
    meeting = make_meeting(session, org.units["A"])
    rec = make_recording(session, settings, meeting)
    session.add(RecordingPolicy(unit_id=org.units["A"].id, members_may_listen=True))
    session.flush()
    for who in ("mem_d", "mem_b", "sec_b", "auditor"):
        for url in urls(rec.id):
            resp = client.get(url, headers=as_(who))
            assert resp.status_code == 404, (who, url, resp.text)
            assert resp.json()["message"] == "Không tìm thấy bản ghi âm"
        resp = client.patch(
            f"/api/v1/recordings/{rec.id}/segments/0", headers=as_(who), json={"text": "x"}
        )
        assert resp.status_code == 404


def test_an_ordinary_member_listens_only_where_the_unit_allows(
    client: TestClient, session: Session, settings: Settings, org: Org, as_: Headers
) -> None:
    meeting = make_meeting(session, org.units["A"])
    rec = make_recording(session, settings, meeting)
    member = as_("mem_a")
    for url in urls(rec.id):
        assert client.get(url, headers=member).status_code == 404
    # The meeting itself is visible to the member: its recordings list says "not allowed".
    assert (
        client.get(f"/api/v1/meetings/{meeting.id}/recordings", headers=member).status_code == 403
    )
    # The cell's secretary allows listening.
    resp = client.put(
        f"/api/v1/units/{org.units['A'].id}/recording-policy",
        headers=as_("sec_a"),
        json={"members_may_listen": True},
    )
    assert resp.status_code == 200, resp.text
    assert client.get(f"/api/v1/recordings/{rec.id}", headers=member).status_code == 200
    audio = client.get(f"/api/v1/recordings/{rec.id}/audio", headers=member)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    # Listening is not reading the transcript, nor correcting it.
    assert client.get(f"/api/v1/recordings/{rec.id}/transcript", headers=member).status_code == 403
    resp = client.patch(
        f"/api/v1/recordings/{rec.id}/segments/0", headers=member, json={"text": "Sửa"}
    )
    assert resp.status_code == 403
    # The member may not change the policy.
    resp = client.put(
        f"/api/v1/units/{org.units['A'].id}/recording-policy",
        headers=member,
        json={"members_may_listen": False},
    )
    assert resp.status_code == 403


def test_the_meetings_chair_manages_its_recordings(
    client: TestClient, session: Session, settings: Settings, org: Org, as_: Headers
) -> None:
    meeting = make_meeting(session, org.units["A"], chair_member_id=org.members["mem_a"].id)
    other = make_meeting(session, org.units["A"])
    rec = make_recording(session, settings, meeting)
    chair = as_("mem_a")
    assert client.get(f"/api/v1/recordings/{rec.id}/transcript", headers=chair).status_code == 200
    resp = client.patch(
        f"/api/v1/recordings/{rec.id}/segments/1", headers=chair, json={"text": "Đã sửa."}
    )
    assert resp.status_code == 200, resp.text
    # Only of the meeting they chair.
    rec2 = make_recording(session, settings, other)
    assert client.get(f"/api/v1/recordings/{rec2.id}/transcript", headers=chair).status_code == 404


def test_reads_of_the_audio_and_the_transcript_are_audited(
    client: TestClient, session: Session, settings: Settings, meeting: Meeting, as_: Headers
) -> None:
    rec = make_recording(session, settings, meeting)
    assert client.get(f"/api/v1/recordings/{rec.id}/transcript", headers=as_("sec_a")).is_success
    assert client.get(f"/api/v1/recordings/{rec.id}/audio", headers=as_("sec_a")).is_success
    actions = session.scalars(
        select(AuditLog.action).where(
            AuditLog.object_type == "recording", AuditLog.object_id == str(rec.id)
        )
    ).all()
    assert "recording.transcript_read" in actions and "recording.listen" in actions


def test_audio_is_served_with_byte_ranges(
    client: TestClient, session: Session, settings: Settings, meeting: Meeting, as_: Headers
) -> None:
    rec = make_recording(session, settings, meeting)
    path = settings.files_dir / "recordings" / rec.sha256[:2] / rec.sha256[2:4] / rec.sha256
    data = path.read_bytes()
    url = f"/api/v1/recordings/{rec.id}/audio"
    whole = client.get(url, headers=as_("sec_a"))
    assert whole.status_code == 200
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-length"] == str(len(data)) and whole.content == data
    part = client.get(url, headers={**as_("sec_a"), "Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{len(data)}"
    assert part.content == data[100:200]
    tail = client.get(url, headers={**as_("sec_a"), "Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == data[-50:]
    open_end = client.get(url, headers={**as_("sec_a"), "Range": f"bytes={len(data) - 10}-"})
    assert open_end.content == data[-10:]
    beyond = client.get(url, headers={**as_("sec_a"), "Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416


def test_an_edit_keeps_the_previous_text_with_who_and_when(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    meeting: Meeting,
    as_: Headers,
) -> None:
    rec = make_recording(session, settings, meeting, segments=("khai mạc cuộc họp",))
    url = f"/api/v1/recordings/{rec.id}/segments/0"
    sec = as_("sec_a")
    first = client.patch(url, headers=sec, json={"text": "Khai mạc cuộc họp."})
    assert first.status_code == 200, first.text
    assert first.json()["versions"] == 1
    speaker = org.members["mem_a"]
    second = client.patch(url, headers=sec, json={"speaker_member_id": speaker.id})
    assert second.status_code == 200, second.text
    assert second.json()["speaker_name"] == speaker.full_name
    assert second.json()["text"] == "Khai mạc cuộc họp."
    third = client.patch(url, headers=sec, json={"speaker_name": "Khách mời: đồng chí Tâm"})
    assert third.json()["speaker_member_id"] is None
    assert third.json()["speaker_name"] == "Khách mời: đồng chí Tâm"
    versions = client.get(f"{url}/versions", headers=sec).json()
    assert [v["text"] for v in versions] == [
        "Khai mạc cuộc họp.",
        "Khai mạc cuộc họp.",
        "khai mạc cuộc họp",
    ]
    assert versions[1]["speaker_name"] is None and versions[0]["speaker_name"] == speaker.full_name
    assert {v["replaced_by_account_id"] for v in versions} == {org.accounts["sec_a"].id}
    # The transcript shows the corrected text: what the minutes use.
    seg = client.get(f"/api/v1/recordings/{rec.id}/transcript", headers=sec).json()["segments"][0]
    assert seg["text"] == "Khai mạc cuộc họp." and seg["versions"] == 3


def test_a_speaker_must_be_invited_to_the_meeting(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    meeting: Meeting,
    as_: Headers,
) -> None:
    rec = make_recording(session, settings, meeting)
    resp = client.patch(
        f"/api/v1/recordings/{rec.id}/segments/0",
        headers=as_("sec_a"),
        json={"speaker_member_id": org.members["mem_d"].id},
    )
    assert resp.status_code == 422
    missing = client.patch(
        f"/api/v1/recordings/{rec.id}/segments/99", headers=as_("sec_a"), json={"text": "x"}
    )
    assert missing.status_code == 404
