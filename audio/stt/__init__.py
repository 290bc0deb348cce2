"""Speech-to-text, offline: engines behind one protocol, a voice-activity cut and a resumable,
segment-by-segment transcription.

The checkpointable API for a background job::

    audio = load_audio(path, max_bytes=cfg.max_bytes, max_seconds=cfg.max_seconds)
    engine = make_engine(cfg)
    for item in iter_transcribe(engine, audio, cfg, start_index=done):
        store(item.index, item.segment)   # commit, then record `item.index + 1` as done

Pieces are cut by voice activity deterministically, so after a restart the same `index`
means the same stretch of audio: resume with `start_index` = the first index not stored, and
no piece is transcribed or stored twice. Heavy modules (numpy, PyAV, the engines) are imported
inside functions: `import audio.stt` is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from audio.stt.base import (
    OPTIONAL_PROVIDERS,
    PROVIDERS,
    SAMPLE_RATE,
    AudioError,
    AudioTooLarge,
    AudioTooLong,
    EngineUnavailable,
    IndexedSegment,
    NoSpeech,
    NotAudio,
    Segment,
    SpeechToText,
    SttConfig,
    TruncatedAudio,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "OPTIONAL_PROVIDERS",
    "PROVIDERS",
    "SAMPLE_RATE",
    "AudioError",
    "AudioTooLarge",
    "AudioTooLong",
    "EngineUnavailable",
    "IndexedSegment",
    "NoSpeech",
    "NotAudio",
    "Segment",
    "SpeechToText",
    "SttConfig",
    "TruncatedAudio",
    "iter_transcribe",
    "load_audio",
    "make_engine",
    "speech_pieces",
    "transcribe_file",
]


def load_audio(path: Path | str, *, max_bytes: int, max_seconds: float) -> np.ndarray:
    """16 kHz mono float32 samples of a file; `AudioError` subclasses on bad input."""
    from audio.stt.decode import load_audio as _load

    return _load(path, max_bytes=max_bytes, max_seconds=max_seconds)


def make_engine(config: SttConfig) -> SpeechToText:
    """The engine `config.provider` names; the model loads (and is hash-checked) on first use."""
    from audio.stt.engines import make_engine as _make

    return _make(config)


def speech_pieces(audio: np.ndarray, config: SttConfig) -> list[tuple[int, int]]:
    """The voice-activity cut, in samples; `NoSpeech` when there is none."""
    from audio.stt.vad import speech_spans

    spans = speech_spans(audio, max_segment_seconds=config.max_segment_seconds)
    if not spans:
        raise NoSpeech("no speech was found in the recording")
    return spans


def iter_transcribe(
    engine: SpeechToText,
    audio: np.ndarray,
    config: SttConfig,
    *,
    start_index: int = 0,
    on_progress: Callable[[int, int], None] | None = None,
) -> Iterator[IndexedSegment]:
    """Transcribe piece by piece from `start_index`, yielding one segment per piece that has
    words, with times from the start of the recording; `on_progress(done, total)` after each."""
    from audio.stt.punctuate import restore

    spans = speech_pieces(audio, config)
    duration = audio.size / SAMPLE_RATE
    for index in range(start_index, len(spans)):
        lo, hi = spans[index]
        found = engine.transcribe(audio[lo:hi])
        if found:
            text = " ".join(s.text for s in found)
            if config.punctuate:
                text = restore(text)
            offset = lo / SAMPLE_RATE
            # The engine's own times when it gives them, clipped to the piece and the audio.
            start = max(offset, min(offset + found[0].start, hi / SAMPLE_RATE))
            end = min(offset + max(s.end for s in found), hi / SAMPLE_RATE, duration)
            # Centiseconds are enough to seek a player; rounding must not pass the end.
            end = min(round(max(end, start), 2), duration)
            start = min(round(start, 2), end)
            confidence = sum(s.confidence for s in found) / len(found)
            yield IndexedSegment(index, Segment(start, end, text, confidence))
        if on_progress is not None:
            on_progress(index + 1, len(spans))


def transcribe_file(path: Path | str, config: SttConfig) -> list[Segment]:
    """The whole transcript of a file, for the CLI and the evaluation."""
    audio = load_audio(path, max_bytes=config.max_bytes, max_seconds=config.max_seconds)
    engine = make_engine(config)
    return [item.segment for item in iter_transcribe(engine, audio, config)]
