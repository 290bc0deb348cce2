"""Voice-activity cut with the Silero VAD that faster-whisper ships (an ONNX file, offline)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from audio.stt.base import SAMPLE_RATE

if TYPE_CHECKING:
    import numpy as np


def speech_spans(audio: np.ndarray, *, max_segment_seconds: float) -> list[tuple[int, int]]:
    """(start, end) sample offsets of speech, each at most `max_segment_seconds` long.

    Deterministic for the same audio, so a resumed job cuts the recording the same way and the
    piece numbers of its checkpoints still mean the same stretch of audio.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        max_speech_duration_s=max_segment_seconds,
        # Half a second of silence ends a piece: sentence pauses, not breaths between words.
        min_silence_duration_ms=500,
        speech_pad_ms=200,
    )
    spans = get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE)
    return [(int(s["start"]), min(int(s["end"]), audio.size)) for s in spans]
