"""Text-to-speech for audio bulletins: normalisation for listening, providers behind one
protocol with a fallback chain (edge-tts, piper, espeak-ng as the offline floor), and a mono MP3
with chapter marks.

    speech = synthesise(text, config)   # audio.tts.Speech: mp3, duration, chapters, voice

Heavy modules (numpy, PyAV, lameenc, g2p-hamster, the engines) are imported inside functions:
`import audio.tts` is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from audio.tts.base import (
    FLOOR,
    PROVIDERS,
    BadText,
    Chapter,
    EmptyText,
    NoProvider,
    Provider,
    ProviderUnavailable,
    Speech,
    SpokenSentence,
    TextToSpeech,
    TtsConfig,
    TtsError,
)

if TYPE_CHECKING:
    from audio.tts.script import Script

__all__ = [
    "FLOOR",
    "PROVIDERS",
    "BadText",
    "Chapter",
    "EmptyText",
    "NoProvider",
    "Provider",
    "ProviderUnavailable",
    "SpokenSentence",
    "Speech",
    "TextToSpeech",
    "TtsConfig",
    "TtsError",
    "cache_key",
    "normalise",
    "prepare",
    "synthesise",
]


def normalise(text: str, config: TtsConfig | None = None) -> str:
    """A text as it is to be spoken, line by line; NFC in and out."""
    from audio.tts.normalise import load_table
    from audio.tts.normalise import normalise as _normalise

    return _normalise(text, load_table((config or TtsConfig()).abbreviations_path))


def prepare(text: str, config: TtsConfig) -> Script:
    """Check, cut and normalise; `EmptyText`/`BadText` (both `TtsError`) on unusable text."""
    from audio.tts.script import prepare as _prepare

    return _prepare(text, config)


def cache_key(text: str, config: TtsConfig) -> str:
    """sha256 of (normalised text, voices, settings): the same key means the same audio."""
    return prepare(text, config).cache_key


def synthesise(
    text: str | Script,
    config: TtsConfig,
    *,
    engines: Mapping[Provider, TextToSpeech] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Speech:
    """A text (or a prepared script) as a mono MP3 with chapters, by the first provider of
    `config.chain()` that works; `TtsError` on bad text, `NoProvider` if none works."""
    from audio.tts.script import Script
    from audio.tts.synthesis import synthesise as _synthesise

    script = text if isinstance(text, Script) else prepare(text, config)
    return _synthesise(script, config, engines=engines, on_progress=on_progress)
