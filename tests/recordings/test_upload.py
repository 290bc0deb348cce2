"""Uploading a recording: the type from its content, the limits, a decode and speech check, and
nothing kept (no row, no blob, no job) when any of them refuses the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.jobs.models import Job
from app.meetings.models import Meeting
from app.recordings.models import Recording
from app.recordings.service import TRANSCRIBE_KIND
from app.recordings.service_upload import M4A, MP3, OGG, WAV, WEBM, sniff
from tests.factories.recordings import (
    ENCODINGS,
    TWO_CLIPS,
    encoded,
    silent_wav,
    speech_wav,
    stored_blobs,
    truncated_wav,
)
from tests.recordings.conftest import Headers

pytestmark = pytest.mark.usefixtures("dispatcher")


def post(
    client: TestClient,
    meeting: Meeting,
    headers: dict[str, str],
    name: str,
    data: bytes,
    ctype: str = "audio/wav",
) -> Any:
    return client.post(
        f"/api/v1/meetings/{meeting.id}/recordings",
        headers=headers,
        files={"file": (name, data, ctype)},
    )


def staging_files(settings: Settings) -> list[str]:
    staging = settings.files_dir / "recordings" / ".staging"
    return [p.name for p in staging.iterdir()] if staging.exists() else []


def nothing_kept(session: Session, settings: Settings, before: set[Any]) -> None:
    assert session.scalar(select(func.count()).select_from(Recording)) == 0
    assert session.scalar(select(func.count()).where(Job.kind == TRANSCRIBE_KIND)) == 0
    assert stored_blobs(settings) == before
    assert staging_files(settings) == []


def test_upload_stores_by_hash_and_queues_the_transcription(
    client: TestClient, session: Session, settings: Settings, meeting: Meeting, as_: Headers
) -> None:
    data = speech_wav(*TWO_CLIPS)
    # The name and the Content-Type lie; the content decides.
    resp = post(client, meeting, as_("sec_a"), "ghi-am.txt", data, "text/plain")
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["mime"] == "audio/wav"
    assert body["status"] == "queued"
    assert body["pieces"] == 2
    assert 10 < body["duration"] < 20
    rec = session.get(Recording, body["id"])
    assert rec is not None and rec.size == len(data)
    assert (
        settings.files_dir / "recordings" / rec.sha256[:2] / rec.sha256[2:4] / rec.sha256
    ).read_bytes() == data
    job = session.get(Job, body["job_id"])
    assert job is not None and job.kind == TRANSCRIBE_KIND and job.status == "queued"
    assert job.params == {"recording_id": rec.id}
    assert staging_files(settings) == []


BAD = {
    "truncated": (truncated_wav, 422, "cắt cụt"),
    "not audio": (
        lambda: b"%PDF-1.7 not a recording at all " * 40,
        415,
        "không phải là bản ghi âm",
    ),
    "text named .mp3": (
        lambda: "Biên bản họp chi bộ\n".encode() * 50,
        415,
        "không phải là bản ghi âm",
    ),
    "silence only": (silent_wav, 422, "Không nghe thấy tiếng nói"),
    "empty": (lambda: b"", 422, "rỗng"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_audio_is_refused_and_nothing_is_kept(
    case: str,
    client: TestClient,
    session: Session,
    settings: Settings,
    meeting: Meeting,
    as_: Headers,
) -> None:
    make, status, words = BAD[case]
    before = stored_blobs(settings)
    resp = post(client, meeting, as_("sec_a"), "hop.mp3", make())
    assert resp.status_code == status, resp.text
    assert words in resp.json()["message"]
    nothing_kept(session, settings, before)


def test_over_the_size_limit_is_413_and_nothing_is_kept(
    client: TestClient,
    session: Session,
    settings: Settings,
    meeting: Meeting,
    as_: Headers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = speech_wav(*TWO_CLIPS)
    monkeypatch.setattr(settings.stt, "max_bytes", len(data) - 1000)
    before = stored_blobs(settings)
    resp = post(client, meeting, as_("sec_a"), "hop.wav", data)
    assert resp.status_code == 413, resp.text
    assert "quá lớn" in resp.text
    nothing_kept(session, settings, before)


def test_over_the_duration_limit_is_refused_and_nothing_is_kept(
    client: TestClient,
    session: Session,
    settings: Settings,
    meeting: Meeting,
    as_: Headers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.stt, "max_seconds", 5.0)
    before = stored_blobs(settings)
    resp = post(client, meeting, as_("sec_a"), "hop.wav", speech_wav(*TWO_CLIPS))
    assert resp.status_code == 422, resp.text
    assert "dài quá giới hạn" in resp.json()["message"]
    nothing_kept(session, settings, before)


def test_the_same_bytes_twice_share_one_blob(
    client: TestClient, session: Session, settings: Settings, meeting: Meeting, as_: Headers
) -> None:
    data = speech_wav("vi_nghi_quyet.wav")
    before = stored_blobs(settings)
    for _ in range(2):
        assert post(client, meeting, as_("sec_a"), "hop.wav", data).status_code == 201
    assert len(stored_blobs(settings) - before) <= 1
    assert session.scalar(select(func.count()).select_from(Recording)) == 2


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", WAV),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", MP3),
        (b"\xff\xfb\x90\x64\x00\x00\x00\x00", MP3),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00", M4A),
        (b"OggS\x00\x02\x00\x00\x00\x00", OGG),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", WEBM),
        (b"%PDF-1.7\n%\xe2\xe3", None),
        (b"PK\x03\x04\x14\x00\x06\x00", None),
        (b"<html><body>", None),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", None),
    ],
)
def test_sniff_reads_the_container_from_the_first_bytes(head: bytes, kind: object) -> None:
    assert sniff(head) is kind


@pytest.mark.parametrize("kind", list(ENCODINGS))
def test_mp3_m4a_ogg_and_webm_are_taken(
    kind: str,
    client: TestClient,
    session: Session,
    meeting: Meeting,
    as_: Headers,
    tmp_path: Path,
) -> None:
    data = encoded(kind, speech_wav(*TWO_CLIPS), tmp_path)
    resp = post(client, meeting, as_("sec_a"), f"hop.{kind}", data, "application/octet-stream")
    assert resp.status_code == 201, resp.text
    assert resp.json()["mime"] == ENCODINGS[kind][3]
    assert resp.json()["pieces"] == 2
