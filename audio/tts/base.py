"""The text-to-speech seam: its config, what a synthesis returns, its errors and its protocol.

Nothing here imports an engine, numpy or `app`: the app's `Settings` embeds `TtsConfig` as its
`tts` section (SOTAY_TTS__*) and hands it in, so `import audio.tts` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    import numpy as np

Provider = Literal["espeak-ng", "piper", "edge-tts"]
PROVIDERS: tuple[Provider, ...] = ("espeak-ng", "piper", "edge-tts")
# The offline floor: always tried last, so a bulletin is made whatever else is configured.
FLOOR: Provider = "espeak-ng"


class TtsConfig(BaseModel):
    """What synthesis needs; the app's `tts` settings section (SOTAY_TTS__*)."""

    # Tried in order; the first that speaks the first sentence speaks the whole text, and
    # espeak-ng is appended when it is missing (see `chain()`).
    providers: list[Provider] = Field(default_factory=lambda: [FLOOR])
    # espeak-ng (Debian binary): vi+f3 at 150 wpm measured best for the project's own
    # speech-to-text (benchmarks/bulletin.py, /work/notes/issue15-tts.md).
    espeak_voice: str = Field(default="vi+f3", pattern=r"^[A-Za-z0-9_+\-]{1,40}$")
    espeak_speed: int = Field(default=150, ge=80, le=300)  # words per minute
    espeak_pitch: int = Field(default=50, ge=0, le=99)
    espeak_binary: str = "espeak-ng"
    # piper (the `piper` extra): an operator's voice model, `voice.onnx` with its
    # `voice.onnx.json` beside it; no package ships a Vietnamese one.
    piper_model: str = ""
    # edge-tts (the `edge` extra) sends the text to Microsoft's online service.
    edge_voice: str = "vi-VN-HoaiMyNeural"
    edge_rate: str = Field(default="-10%", pattern=r"^[+-]\d{1,3}%$")
    edge_timeout_seconds: int = Field(default=5, ge=1, le=60)
    edge_proxy: str = ""
    # Silence between pieces, in milliseconds.
    sentence_pause_ms: int = Field(default=350, ge=0, le=3000)
    paragraph_pause_ms: int = Field(default=800, ge=0, le=5000)
    section_pause_ms: int = Field(default=1500, ge=0, le=10000)
    # Sentences longer than this are cut at commas: text written for listening.
    max_sentence_words: int = Field(default=22, ge=6, le=80)
    # Loudness of speech (gated RMS, dBFS) after normalisation; peaks are held under -1 dBFS.
    target_dbfs: float = Field(default=-18.0, ge=-40.0, le=-6.0)
    bitrate_kbps: Literal[32, 40, 48, 56, 64, 80, 96, 112, 128] = 64
    # Sentences synthesised at once (espeak-ng processes, edge-tts requests).
    workers: int = Field(default=2, ge=1, le=16)
    max_chars: int = Field(default=200_000, ge=1)
    # An operator's own abbreviation table (same TSV format), read over the packaged one.
    abbreviations_path: str = ""

    def chain(self) -> list[Provider]:
        """The providers in the order they are tried, without repeats, the floor last."""
        seen: list[Provider] = []
        for name in [*self.providers, FLOOR]:
            if name not in seen:
                seen.append(name)
        return seen


class Chapter(BaseModel):
    """A section of the bulletin and where it starts in the audio, in seconds."""

    title: str
    start: float


class SpokenSentence(BaseModel):
    """One synthesised piece: its text as read and its place in the audio, in seconds."""

    section: int
    start: float
    end: float
    text: str


class Speech(BaseModel):
    """A synthesised bulletin: mono MP3, its length, chapters and the voice that made it."""

    mp3: bytes = Field(repr=False)
    duration: float
    sample_rate: int
    bitrate_kbps: int
    provider: Provider
    voice: str  # e.g. "espeak-ng:vi+f3@150", recorded with the bulletin
    chapters: list[Chapter]
    sentences: list[SpokenSentence]
    # Why each provider before `provider` was passed over (empty when the first one spoke).
    fallbacks: list[str] = Field(default_factory=list)
    cache_key: str


class TtsError(ValueError):
    """The text cannot be spoken; the message is safe to show to the editor."""

    code = "tts"


class EmptyText(TtsError):
    code = "empty_text"


class BadText(TtsError):
    code = "bad_text"


class ProviderUnavailable(RuntimeError):
    """A provider cannot speak now: its package, model, binary or the network is missing."""


class NoProvider(ProviderUnavailable):
    """Every provider in the chain failed, the offline floor included."""


class TextToSpeech(Protocol):
    """An engine: speaks one short sentence as mono float32 samples at `sample_rate`.

    `audio.tts.synthesise` cuts the text, calls `speak` per piece (from several threads when
    `TtsConfig.workers` > 1), adds the pauses, levels the loudness and encodes the MP3.
    """

    name: Provider
    voice: str
    sample_rate: int

    def check(self) -> None:
        """Raise `ProviderUnavailable` now if the engine cannot run (package, model, binary)."""

    def speak(self, sentence: str) -> np.ndarray: ...
