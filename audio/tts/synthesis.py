"""A script spoken by the first provider of the chain that works: sentence by sentence (in
parallel), pauses at sentence, paragraph and section breaks, loudness levelled, mono MP3 with
lameenc (no ffmpeg), chapter marks at the section starts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from audio.tts.base import (
    Chapter,
    NoProvider,
    Provider,
    ProviderUnavailable,
    Speech,
    SpokenSentence,
    TextToSpeech,
    TtsConfig,
)
from audio.tts.script import Script

if TYPE_CHECKING:
    import numpy as np

# Samples quieter than this (about -54 dBFS) at either end of a piece are its own silence,
# trimmed so that the pauses are the ones the settings ask for.
_SILENCE = 0.002
_PEAK = 10 ** (-1 / 20)  # -1 dBFS


def _trim(pcm: np.ndarray, rate: int) -> np.ndarray:
    import numpy as np

    loud = np.flatnonzero(np.abs(pcm) > _SILENCE)
    if loud.size == 0:
        return pcm[:0]
    margin = int(0.02 * rate)
    return pcm[max(0, int(loud[0]) - margin) : int(loud[-1]) + margin]


def level(pcm: np.ndarray, rate: int, target_dbfs: float) -> np.ndarray:
    """Gain to `target_dbfs` of gated RMS (50 ms frames, silence left out), peaks held under
    -1 dBFS by a soft knee."""
    import numpy as np

    frame = max(1, int(0.05 * rate))
    usable = pcm[: pcm.size - pcm.size % frame]
    if usable.size == 0:
        return pcm
    rms = np.sqrt(np.mean(usable.reshape(-1, frame).astype(np.float64) ** 2, axis=1))
    voiced = rms[rms > 10 ** (-50 / 20)]
    if voiced.size == 0:
        return pcm
    loudness = float(np.sqrt(np.mean(voiced**2)))
    out = pcm * np.float32(10 ** (target_dbfs / 20) / loudness)
    over = np.abs(out) > _PEAK * 0.9
    if over.any():
        knee = _PEAK * 0.9
        mag = np.abs(out[over])
        out[over] = np.sign(out[over]) * (
            knee + (_PEAK - knee) * np.tanh((mag - knee) / (_PEAK - knee))
        )
    return out.astype(np.float32)


def encode_mp3(pcm: np.ndarray, rate: int, bitrate_kbps: int) -> bytes:
    """Mono MP3 (constant bit rate) from float32 samples."""
    import lameenc
    import numpy as np

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(5)
    pcm16 = (np.clip(pcm, -1.0, 1.0) * 32767).astype("<i2")
    return bytes(encoder.encode(pcm16.tobytes())) + bytes(encoder.flush())


def _speak_all(
    engine: TextToSpeech,
    sentences: list[str],
    workers: int,
    on_progress: Callable[[int, int], None] | None,
) -> list[np.ndarray]:
    """The first sentence alone (it tells whether the engine works), then the rest at once."""
    engine.check()
    first = engine.speak(sentences[0])
    done = [first]
    if on_progress is not None:
        on_progress(1, len(sentences))
    if workers <= 1 or len(sentences) < 3:
        for sentence in sentences[1:]:
            done.append(engine.speak(sentence))
            if on_progress is not None:
                on_progress(len(done), len(sentences))
        return done
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for pcm in pool.map(engine.speak, sentences[1:]):
            done.append(pcm)
            if on_progress is not None:
                on_progress(len(done), len(sentences))
    return done


def synthesise(
    script: Script,
    config: TtsConfig,
    *,
    engines: Mapping[Provider, TextToSpeech] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Speech:
    """Speak a prepared script; `NoProvider` when every provider failed, floor included."""
    import numpy as np

    from audio.tts.engines import make_engine

    sentences = script.sentences()
    fallbacks: list[str] = []
    for name in config.chain():
        engine = (engines or {}).get(name) or make_engine(name, config)
        try:
            pcms = _speak_all(engine, sentences, config.workers, on_progress)
        except ProviderUnavailable as exc:
            fallbacks.append(f"{name}: {exc}")
            continue
        break
    else:
        raise NoProvider("no text-to-speech provider worked: " + "; ".join(fallbacks))

    rate = engine.sample_rate
    pauses = {
        "sentence": np.zeros(int(rate * config.sentence_pause_ms / 1000), np.float32),
        "paragraph": np.zeros(int(rate * config.paragraph_pause_ms / 1000), np.float32),
        "section": np.zeros(int(rate * config.section_pause_ms / 1000), np.float32),
    }
    parts: list[np.ndarray] = []
    chapters: list[Chapter] = []
    spoken: list[SpokenSentence] = []
    at = 0  # samples so far
    index = 0
    for s_no, section in enumerate(script.sections):
        for p_no, paragraph in enumerate(section.paragraphs):
            for k, text in enumerate(paragraph):
                if index:
                    gap = "sentence" if k else ("paragraph" if p_no else "section")
                    parts.append(pauses[gap])
                    at += pauses[gap].size
                if p_no == 0 and k == 0:
                    chapters.append(Chapter(title=section.title, start=round(at / rate, 3)))
                pcm = _trim(pcms[index].astype(np.float32), rate)
                parts.append(pcm)
                spoken.append(
                    SpokenSentence(
                        section=s_no,
                        start=round(at / rate, 3),
                        end=round((at + pcm.size) / rate, 3),
                        text=text,
                    )
                )
                at += pcm.size
                index += 1
    parts.append(np.zeros(int(rate * 0.3), np.float32))  # a breath at the end, not a cut-off
    audio = level(np.concatenate(parts), rate, config.target_dbfs)
    return Speech(
        mp3=encode_mp3(audio, rate, config.bitrate_kbps),
        duration=round(audio.size / rate, 3),
        sample_rate=rate,
        bitrate_kbps=config.bitrate_kbps,
        provider=engine.name,
        voice=f"{engine.name}:{engine.voice}",
        chapters=chapters,
        sentences=spoken,
        fallbacks=fallbacks,
        cache_key=script.cache_key,
    )
