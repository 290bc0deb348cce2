"""Recording factories: speech clips joined with silence (several voice-activity pieces), silence,
cut-off and fake audio, and stored recordings with segments written directly."""

from __future__ import annotations

import hashlib
import io
import wave
from pathlib import Path

from sqlalchemy.orm import Session

from app.core.config import Settings
from app.meetings.models import Meeting
from app.recordings.models import Recording, RecordingStatus, TranscriptSegment
from app.recordings.service_upload import get_storage

CLIPS = Path(__file__).resolve().parents[1] / "data" / "stt"
RATE = 16_000


def _frames(name: str) -> bytes:
    with wave.open(str(CLIPS / name), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (RATE, 1, 2)
        return w.readframes(w.getnframes())


def wav_bytes(frames: bytes) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)
    return buf.getvalue()


def silence(seconds: float) -> bytes:
    return b"\0\0" * int(seconds * RATE)


def speech_wav(*names: str, gap: float = 1.5) -> bytes:
    """Clips from tests/data/stt one after another with `gap` seconds of silence between:
    the voice-activity cut gives one piece per clip."""
    parts: list[bytes] = [silence(0.5)]
    for name in names:
        parts += [_frames(name), silence(gap)]
    return wav_bytes(b"".join(parts))


TWO_CLIPS = ("vi_hop_chi_bo.wav", "en_meeting.wav")
THREE_CLIPS = ("vi_hop_chi_bo.wav", "en_meeting.wav", "vi_nghi_quyet.wav")


def silent_wav(seconds: float = 4.0) -> bytes:
    return wav_bytes(silence(seconds))


def truncated_wav() -> bytes:
    """A WAV cut off mid-upload: its header promises more bytes than follow."""
    whole = speech_wav("vi_nghi_quyet.wav")
    return whole[: len(whole) // 2]


def stored_blobs(settings: Settings) -> set[Path]:
    root = settings.files_dir / "recordings"
    return {p for p in root.rglob("*") if p.is_file() and ".staging" not in p.parts}


def make_recording(
    session: Session,
    settings: Settings,
    meeting: Meeting,
    *,
    data: bytes | None = None,
    segments: tuple[str, ...] = ("Khai mạc cuộc họp.", "Thông qua nghị quyết."),
    status: RecordingStatus = RecordingStatus.done,
) -> Recording:
    """A stored recording with a transcript, written directly (no decoding, no job)."""
    data = data if data is not None else speech_wav(*TWO_CLIPS)
    sha = hashlib.sha256(data).hexdigest()
    storage = get_storage(settings)
    path = storage.path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
    rec = Recording(
        meeting_id=meeting.id,
        sha256=sha,
        filename="hop-chi-bo.wav",
        mime="audio/wav",
        size=len(data),
        duration=round((len(data) - 44) / 2 / RATE, 2),
        pieces=len(segments),
        status=status,
    )
    session.add(rec)
    session.flush()
    for i, text in enumerate(segments):
        session.add(
            TranscriptSegment(
                recording_id=rec.id, index=i, start=1.0 + 3 * i, end=3.5 + 3 * i, text=text
            )
        )
    session.flush()
    return rec


# (container, codec, sample rate, mime the upload must report) for the accepted formats that
# are not WAV; encoded with PyAV's own FFmpeg, so no committed file per format is needed.
ENCODINGS = {
    "mp3": ("mp3", "libmp3lame", 16_000, "audio/mpeg"),
    "m4a": ("ipod", "aac", 16_000, "audio/mp4"),
    "ogg": ("ogg", "libopus", 48_000, "audio/ogg"),
    "webm": ("webm", "libopus", 48_000, "audio/webm"),
}


def encoded(kind: str, wav: bytes, tmp_dir: Path) -> bytes:
    """`wav` (16 kHz mono 16-bit) re-encoded as `kind` (a key of ENCODINGS)."""
    import av
    import numpy as np

    fmt, codec, rate, _mime = ENCODINGS[kind]
    with wave.open(io.BytesIO(wav), "rb") as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    path = tmp_dir / f"clip.{kind}"
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm[None, :], format="s16", layout="mono")
        frame.sample_rate = RATE
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        for piece in resampler.resample(frame):
            for packet in stream.encode(piece):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path.read_bytes()
