"""Bad audio gets a typed error before any engine runs; good audio comes back 16 kHz mono."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from audio.stt import (
    SAMPLE_RATE,
    AudioTooLarge,
    AudioTooLong,
    NoSpeech,
    NotAudio,
    SttConfig,
    TruncatedAudio,
    load_audio,
    speech_pieces,
)

LIMITS = {"max_bytes": 10_000_000, "max_seconds": 600.0}


def _write_wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return path


def test_clip_decodes_to_16k_mono_float(clips: Path) -> None:
    audio = load_audio(clips / "en_meeting.wav", **LIMITS)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert 4.5 < audio.size / SAMPLE_RATE < 6.0
    assert 0.05 < float(np.abs(audio).max()) <= 1.0


def test_stereo_44k_is_resampled(tmp_path: Path) -> None:
    tone = (np.sin(np.arange(44_100 * 2) * 0.05) * 8000).astype(np.int16)
    path = _write_wav(tmp_path / "s.wav", np.repeat(tone, 2), 44_100, channels=2)
    audio = load_audio(path, **LIMITS)
    assert abs(audio.size - 2 * SAMPLE_RATE) < 200


def test_truncated_wav(clips: Path, tmp_path: Path) -> None:
    data = (clips / "en_meeting.wav").read_bytes()
    (tmp_path / "cut.wav").write_bytes(data[: len(data) // 3])
    with pytest.raises(TruncatedAudio, match="cut off"):
        load_audio(tmp_path / "cut.wav", **LIMITS)


@pytest.mark.parametrize("content", [b"not audio at all\n" * 200, b"RIFF", b""])
def test_not_audio(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "x.mp3").write_bytes(content)
    with pytest.raises(NotAudio):
        load_audio(tmp_path / "x.mp3", **LIMITS)


def test_over_size_limit(clips: Path) -> None:
    with pytest.raises(AudioTooLarge):
        load_audio(clips / "en_meeting.wav", max_bytes=1000, max_seconds=600)


def test_over_duration_limit(clips: Path) -> None:
    with pytest.raises(AudioTooLong):
        load_audio(clips / "en_meeting.wav", max_bytes=10_000_000, max_seconds=2)


def test_silence_has_no_speech(tmp_path: Path) -> None:
    path = _write_wav(tmp_path / "quiet.wav", np.zeros(SAMPLE_RATE * 3, np.int16), SAMPLE_RATE)
    with pytest.raises(NoSpeech):
        speech_pieces(load_audio(path, **LIMITS), SttConfig())


def test_pieces_are_ordered_short_and_deterministic(clips: Path) -> None:
    gap = np.zeros(SAMPLE_RATE, np.float32)
    parts = [load_audio(clips / f"{n}.wav", **LIMITS) for n in ("vi_dang_phi", "en_budget")]
    audio = np.concatenate([parts[0], gap, parts[1]])
    config = SttConfig(max_segment_seconds=4)
    spans = speech_pieces(audio, config)
    assert spans == speech_pieces(audio, config)
    assert len(spans) >= 3
    assert all(0 <= lo < hi <= audio.size for lo, hi in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(hi - lo <= 4.5 * SAMPLE_RATE for lo, hi in spans)


@pytest.mark.parametrize(
    ("fmt", "codec", "rate", "suffix"),
    [
        ("ogg", "libopus", 48_000, "ogg"),
        ("mp3", "libmp3lame", 16_000, "mp3"),
        ("ipod", "aac", 16_000, "m4a"),
        ("webm", "libopus", 48_000, "webm"),
    ],
)
def test_upload_formats_decode_without_system_ffmpeg(
    clips: Path, tmp_path: Path, fmt: str, codec: str, rate: int, suffix: str
) -> None:
    import av

    source = load_audio(clips / "en_meeting.wav", **LIMITS)
    path = tmp_path / f"clip.{suffix}"
    # Encoded here with PyAV's own FFmpeg, so no committed file per format is needed.
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(
            (source * 32767).astype(np.int16)[None, :], format="s16", layout="mono"
        )
        frame.sample_rate = SAMPLE_RATE
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        for piece in resampler.resample(frame):
            for packet in stream.encode(piece):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    audio = load_audio(path, **LIMITS)
    assert abs(audio.size - source.size) < 0.15 * SAMPLE_RATE
