"""The optional `openai-whisper` adapter: OpenAI's own PyTorch Whisper on an operator's `.pt`.

No package ships a `.pt` checkpoint and openai-whisper pulls torch, so this engine is for an
operator who has both (the `whisper` extra): `provider="openai-whisper"`, `pt_path` the file
and, if given, `pt_sha256` checked before torch ever reads the file (a checkpoint is a pickle;
the load is `weights_only` too). The tokenizer ships inside the package, so it runs offline.
torch and whisper are imported inside `load`: choosing this engine costs nothing until then.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import modelpins
from audio.stt.base import SAMPLE_RATE, EngineUnavailable, Segment, SttConfig

if TYPE_CHECKING:
    import numpy as np

EXTRA_HINT = "install the `whisper` extra: pip install -e '.[whisper]' (README, Speech-to-text)"


def verify_checkpoint(config: SttConfig) -> Path:
    """The operator's `.pt`, refused when it is not set, missing, or not the sha256 given."""
    if not config.pt_path:
        raise EngineUnavailable(
            "openai-whisper needs the operator's .pt checkpoint: set stt.pt_path"
            " (SOTAY_STT__PT_PATH)"
        )
    path = Path(config.pt_path).expanduser()
    if not path.is_file():
        raise EngineUnavailable(
            f"openai-whisper: the checkpoint {path} (stt.pt_path, SOTAY_STT__PT_PATH) is missing"
        )
    expected = config.pt_sha256.strip().lower()
    if expected:
        found = modelpins.file_hash(path)
        if found != expected:
            raise EngineUnavailable(
                f"openai-whisper: {path} has sha256 {found}, but stt.pt_sha256"
                f" (SOTAY_STT__PT_SHA256) is {expected}; refusing to load it"
            )
    return path


class OpenAIWhisperEngine:
    """openai-whisper on one short piece, on the CPU: language forced, beam search at
    temperature 0 with no fallback, so the same piece gives the same text after a resume."""

    name = "openai-whisper"

    def __init__(self, config: SttConfig) -> None:
        self.config = config
        self._model: Any = None
        self._transcribe: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        if self._model is not None:
            return
        path = verify_checkpoint(self.config)
        try:
            import torch
            import whisper
        except ImportError as exc:
            raise EngineUnavailable(f"openai-whisper is not installed: {EXTRA_HINT}") from exc
        if self.config.threads:
            torch.set_num_threads(self.config.threads)
        try:
            model = whisper.load_model(str(path), device="cpu")
        except Exception as exc:  # a pickle or state dict torch will not take
            raise EngineUnavailable(
                f"openai-whisper could not load {path}: {type(exc).__name__}: {exc}"
            ) from exc
        model.eval()
        self._transcribe = whisper.transcribe
        self._model = model

    def transcribe(self, audio: np.ndarray) -> list[Segment]:
        import numpy as np

        duration = audio.size / SAMPLE_RATE
        with self._lock:
            self.load()
            result = self._transcribe(
                self._model,
                np.ascontiguousarray(audio, dtype=np.float32),
                language=self.config.language,
                task="transcribe",
                temperature=0.0,
                beam_size=self.config.beam_size,
                # Each piece stands alone, as with faster-whisper: a resumed job and a fresh
                # one give the same words for the same piece.
                condition_on_previous_text=False,
                fp16=False,
                verbose=None,
            )
        out: list[Segment] = []
        last = 0.0
        for piece in result.get("segments", []):
            text = str(piece.get("text", "")).strip()
            if not text:
                continue
            # Whisper's timestamps come from tokens over a 30 s window and can pass the end of
            # a short piece, or step back: hold them to the piece and to increasing order.
            start = min(max(float(piece.get("start", 0.0)), last), duration)
            end = min(max(float(piece.get("end", start)), start), duration)
            logprob = float(piece.get("avg_logprob", 0.0))
            confidence = math.exp(min(0.0, logprob)) if math.isfinite(logprob) else 0.0
            out.append(Segment(start, end, text, confidence))
            last = start
        return out
