"""The engines behind `SpeechToText`: viet-asr and faster-whisper, offline from packages, and
the optional openai-whisper adapter (`audio/stt/openai_whisper.py`, the `whisper` extra)."""

from __future__ import annotations

import math
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audio.stt.base import SAMPLE_RATE, Segment, SttConfig
from audio.stt.models import verify_vietasr, verify_whisper_base
from audio.stt.openai_whisper import OpenAIWhisperEngine

if TYPE_CHECKING:
    import numpy as np


class VietAsrEngine:
    """viet-asr's `transcribe` preset on one short piece: text only, no times, no punctuation.

    Fed whole long recordings it keeps only the last 5 of its internal segments, so it only
    ever sees voice-activity pieces of at most `max_segment_seconds`; the piece's bounds are
    the segment's times.
    """

    name = "viet-asr"

    def __init__(self, config: SttConfig) -> None:
        self.config = config
        self._pipe: Any = None
        # One native pipeline is not safe to call from two threads at once.
        self._lock = threading.Lock()

    def load(self) -> None:
        if self._pipe is None:
            verify_vietasr()
            import vietasr

            self._pipe = vietasr.Pipeline.preset("transcribe")

    def transcribe(self, audio: np.ndarray) -> list[Segment]:
        import numpy as np

        with self._lock:
            self.load()
            pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype(np.int16)
            text = str(self._pipe.transcribe(pcm, float(SAMPLE_RATE)).text).strip()
        if not text:
            return []
        return [Segment(0.0, audio.size / SAMPLE_RATE, text, 1.0)]


class FasterWhisperEngine:
    """faster-whisper (CTranslate2, int8 on CPU), language forced: auto-detection took
    Vietnamese for another language in the issue's measurements."""

    name = "faster-whisper"

    def __init__(self, config: SttConfig, *, batched: bool = False) -> None:
        self.config = config
        self.batched = batched
        self._model: Any = None
        self._lock = threading.Lock()

    def model_path(self) -> Path:
        if self.config.model_dir:
            return Path(self.config.model_dir)
        cache = Path(self.config.cache_dir) if self.config.cache_dir else None
        return verify_whisper_base(cache)

    def load(self) -> None:
        if self._model is None:
            from faster_whisper import BatchedInferencePipeline, WhisperModel

            threads = self.config.threads or min(4, os.cpu_count() or 1)
            model = WhisperModel(
                str(self.model_path()), device="cpu", compute_type="int8", cpu_threads=threads
            )
            self._model = BatchedInferencePipeline(model) if self.batched else model

    def transcribe(self, audio: np.ndarray, *, vad_filter: bool = False) -> list[Segment]:
        with self._lock:
            self.load()
            options: dict[str, Any] = {"batch_size": 8} if self.batched else {}
            pieces, _info = self._model.transcribe(
                audio,
                language=self.config.language,
                beam_size=self.config.beam_size,
                # Each piece stands alone: no text carried over, so a resumed job and a
                # fresh one give the same words for the same piece.
                condition_on_previous_text=False,
                vad_filter=vad_filter or self.batched,
                temperature=0.0,
                **options,
            )
            out = []
            for piece in pieces:
                text = piece.text.strip()
                if text:
                    confidence = math.exp(min(0.0, piece.avg_logprob))
                    out.append(Segment(float(piece.start), float(piece.end), text, confidence))
            return out


def make_engine(config: SttConfig) -> VietAsrEngine | FasterWhisperEngine | OpenAIWhisperEngine:
    """The engine named by `config.provider`; its model loads on first use."""
    match config.provider:
        case "viet-asr":
            return VietAsrEngine(config)
        case "faster-whisper":
            return FasterWhisperEngine(config)
        case "openai-whisper":
            return OpenAIWhisperEngine(config)
    raise ValueError(f"unknown speech-to-text provider {config.provider!r}")
