"""The recordings pages: the meeting's list with the upload form, a refused upload drawn again
with its reason, the transcript page with times and play buttons, corrections and versions, and
the listener's page without the transcript."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.meetings.models import Meeting
from app.recordings.models import RecordingPolicy
from app.web.local_time import clock
from tests.factories.org import Org
from tests.factories.recordings import make_recording, silent_wav
from tests.factories.transfers import web_login

pytestmark = pytest.mark.usefixtures("dispatcher")


def test_clock_reads_minutes_and_seconds() -> None:
    assert [clock(t) for t in (0, 5.9, 65, 600, 3725)] == [
        "00:00",
        "00:05",
        "01:05",
        "10:00",
        "1:02:05",
    ]


def test_the_secretary_uploads_from_the_meeting_page(
    client: TestClient, session: Session, org: Org, meeting: Meeting
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    page = client.get(f"/meetings/{meeting.id}/recordings")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and "Tải lên bản ghi âm" in page.text
    refused = client.post(
        f"/meetings/{meeting.id}/recordings",
        headers=csrf,
        files={"file": ("lang.wav", silent_wav(), "audio/wav")},
    )
    assert refused.status_code == 422
    assert "Không nghe thấy tiếng nói" in refused.text and 'role="alert"' in refused.text


def test_the_transcript_page_plays_corrects_and_keeps_versions(
    client: TestClient, session: Session, settings: Settings, org: Org, meeting: Meeting
) -> None:
    rec = make_recording(session, settings, meeting, segments=("mở đầu", "thông qua nghị quyết"))
    csrf = web_login(client, session, org.accounts["sec_a"])
    page = client.get(f"/recordings/{rec.id}")
    assert page.status_code == 200
    assert f'src="/api/v1/recordings/{rec.id}/audio"' in page.text
    assert re.search(r'class="seg-play[^"]*" data-start="4.0"', page.text)
    assert "00:04" in page.text and "thông qua nghị quyết" in page.text
    member = org.members["mem_a"]
    resp = client.post(
        f"/recordings/{rec.id}/segments/1",
        headers=csrf,
        data={"text": "Thông qua nghị quyết.", "speaker_member_id": str(member.id)},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"].endswith("#seg-1")
    page = client.get(f"/recordings/{rec.id}")
    assert "Thông qua nghị quyết." in page.text and member.full_name in page.text
    assert "Xem các bản trước (1)" in page.text


def test_a_listener_gets_the_player_without_the_transcript(
    client: TestClient, session: Session, settings: Settings, org: Org, meeting: Meeting
) -> None:
    rec = make_recording(session, settings, meeting, segments=("lời bí mật",))
    web_login(client, session, org.accounts["mem_a"])
    assert client.get(f"/recordings/{rec.id}").status_code == 404
    session.add(RecordingPolicy(unit_id=org.units["A"].id, members_may_listen=True))
    session.flush()
    page = client.get(f"/recordings/{rec.id}")
    assert page.status_code == 200
    assert "<audio" in page.text and "lời bí mật" not in page.text
    assert "Tải lên bản ghi âm" not in client.get(f"/meetings/{meeting.id}/recordings").text
