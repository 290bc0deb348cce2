"""Audio files to 16 kHz mono float32 with PyAV (bundled by faster-whisper), no system ffmpeg."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from audio.stt.base import (
    SAMPLE_RATE,
    AudioTooLarge,
    AudioTooLong,
    NotAudio,
    TruncatedAudio,
)

if TYPE_CHECKING:
    import numpy as np

# A file whose decoded length falls this far short of what its header declares was cut off.
_TRUNCATED_SHARE = 0.9


def _check_riff_length(path: Path, size: int) -> None:
    """A WAV cut off mid-upload still decodes (FFmpeg reads what is there), so compare the
    length its RIFF header declares with the bytes present."""
    with path.open("rb") as f:
        head = f.read(12)
    if len(head) == 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        declared = int.from_bytes(head[4:8], "little") + 8
        # 0 and 0xFFFFFFFF are "unknown length" in streamed WAVs, not a promise.
        if declared not in (8, 0xFFFFFFFF + 8) and size < declared:
            raise TruncatedAudio(f"{path.name} is cut off: {size} of {declared} bytes")


def load_audio(path: Path | str, *, max_bytes: int, max_seconds: float) -> np.ndarray:
    """Decode, downmix and resample a file; raise an `AudioError` subclass on bad input."""
    import av
    import numpy as np

    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise AudioTooLarge(f"{size} bytes, the limit is {max_bytes}")
    _check_riff_length(path, size)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.InvalidDataError, av.error.FFmpegError, UnicodeDecodeError) as exc:
        raise NotAudio(f"{path.name} is not an audio file the decoder knows") from exc
    with container:
        if not container.streams.audio:
            raise NotAudio(f"{path.name} has no audio stream")
        stream = container.streams.audio[0]
        declared = float(container.duration) / av.time_base if container.duration else 0.0
        # Refuse before decoding: a four-hour limit must not cost four hours of decoding.
        if declared > max_seconds:
            raise AudioTooLong(f"{declared:.0f} s, the limit is {max_seconds:.0f} s")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        samples = 0
        limit = int(max_seconds * SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    samples += chunk.size
                if samples > limit:  # headers can lie about the length
                    raise AudioTooLong(f"longer than the limit of {max_seconds:.0f} s")
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except (av.error.InvalidDataError, av.error.FFmpegError) as exc:
            raise TruncatedAudio(f"{path.name} is damaged or cut off: {exc}") from exc
    pcm = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
    if pcm.size == 0:
        raise NotAudio(f"{path.name} holds no audio samples")
    decoded = pcm.size / SAMPLE_RATE
    if declared > 1.0 and decoded < declared * _TRUNCATED_SHARE:
        raise TruncatedAudio(f"{path.name} is cut off: {decoded:.1f} s of {declared:.1f} s")
    return (pcm.astype(np.float32) / 32768.0).astype(np.float32)
