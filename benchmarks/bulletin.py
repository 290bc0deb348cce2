"""A 1,000-word bulletin through normalisation, synthesis and MP3, per provider and for a few
espeak-ng settings, side by side: time, real-time factor and intelligibility (the WER of the
project's own speech-to-text on the result).

    .venv/bin/python -m benchmarks.bulletin [--wer-words 150] [--stt faster-whisper]

Rows: a baseline (espeak-ng `vi` at its default 175 wpm on the raw text: no normaliser, whole
paragraphs, what one gets without audio.tts), every provider of the chain (edge-tts and piper
are reported as unavailable when the network or a voice model is missing), and espeak-ng
voices and speeds through the full layer. Times are for the whole bulletin (normalise is the
text step, synth includes the pauses, levelling and MP3 encoding); RTF = synth / audio length.
WER is measured on the bulletin's first paragraphs (at least `--wer-words` written words),
synthesised again with the same settings, against the spoken form of that text (numbers and
symbols as words), both scored in audio.stt.evaluate's form (case, punctuation, digits).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bulletin_data import TEXT

# (label, provider, settings); the first row is the baseline.
ROWS: list[tuple[str, str, dict[str, Any]]] = [
    ("baseline: espeak-ng vi @175, raw text", "raw", {"espeak_voice": "vi", "espeak_speed": 175}),
    ("edge-tts vi-VN-HoaiMyNeural", "edge-tts", {}),
    ("piper (operator's model)", "piper", {}),
    ("espeak-ng vi @150", "espeak-ng", {"espeak_voice": "vi"}),
    ("espeak-ng vi+f3 @150 (default)", "espeak-ng", {}),
    ("espeak-ng vi-vn-x-south @150", "espeak-ng", {"espeak_voice": "vi-vn-x-south"}),
    ("espeak-ng vi+f3 @130", "espeak-ng", {"espeak_speed": 130}),
    ("espeak-ng vi+f3 @175", "espeak-ng", {"espeak_speed": 175}),
    ("espeak-ng vi+f3 @150, 1 worker", "espeak-ng", {"workers": 1}),
]


def _prefix(text: str, words: int) -> str:
    """Whole lines from the start until at least `words` words."""
    kept: list[str] = []
    count = 0
    for line in text.splitlines():
        kept.append(line)
        count += len(line.split())
        if count >= words:
            break
    return "\n".join(kept)


def _raw_script(text: str) -> Any:
    """The baseline: the text as written, a paragraph per piece, nothing expanded."""
    from audio.tts.script import Script, ScriptSection, split_text

    sections = [
        ScriptSection(title=h or "…", paragraphs=[[p] for p in ([h] if h else []) + ps])
        for h, ps in split_text(text)
    ]
    return Script(sections=sections, cache_key="raw")


def _speak(text: str, provider: str, settings: dict[str, Any]) -> tuple[Any, float, float]:
    """(speech, normalise seconds, synth seconds); raises ProviderUnavailable."""
    from audio.tts import ProviderUnavailable, TtsConfig
    from audio.tts.engines import make_engine
    from audio.tts.script import prepare
    from audio.tts.synthesis import synthesise

    name = "espeak-ng" if provider == "raw" else provider
    config = TtsConfig(providers=[name], **settings)
    started = time.perf_counter()
    script = _raw_script(text) if provider == "raw" else prepare(text, config)
    normalise_s = time.perf_counter() - started
    # Only this provider: a fallback to espeak-ng would measure the wrong thing.
    engine = make_engine(name, config)
    engine.check()
    started = time.perf_counter()
    speech = synthesise(script, config, engines={name: engine})
    synth_s = time.perf_counter() - started
    if speech.provider != name:
        raise ProviderUnavailable("; ".join(speech.fallbacks))
    return speech, normalise_s, synth_s


def _wer(stt: Any, stt_config: Any, speech: Any, reference: str) -> tuple[float, float]:
    """(WER, transcription seconds) of the project's speech-to-text on an MP3."""
    import jiwer

    from audio.stt import iter_transcribe, load_audio
    from audio.stt.evaluate import normalise

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.mp3"
        path.write_bytes(speech.mp3)
        audio = load_audio(path, max_bytes=10**9, max_seconds=3600)
    started = time.perf_counter()
    hyp = " ".join(i.segment.text for i in iter_transcribe(stt, audio, stt_config))
    elapsed = time.perf_counter() - started
    return jiwer.wer(normalise(reference, "vi"), normalise(hyp, "vi") or "∅"), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wer-words", type=int, default=150, help="0: skip the WER")
    parser.add_argument(
        "--stt", default="faster-whisper", help="comma-separated: faster-whisper, viet-asr"
    )
    args = parser.parse_args()

    from audio.stt import SttConfig, make_engine
    from audio.tts import ProviderUnavailable, TtsConfig, prepare

    words = len(TEXT.split())
    head = _prefix(TEXT, args.wer_words) if args.wer_words else ""
    reference = prepare(head, TtsConfig()).transcript() if head else ""
    engines = []
    for name in args.stt.split(","):
        stt_config = SttConfig(provider=name)
        stt = make_engine(stt_config)
        if head:
            stt.load()
        engines.append((name, stt, stt_config))
    print(
        f"bulletin: {words} words; WER on the first {len(head.split())} words"
        f" with {args.stt}; {os.cpu_count()} CPUs, load average"
        f" {os.getloadavg()[0]:.1f} at start\n"
    )
    wer_heads = " | ".join(f"WER {name}" for name, _, _ in engines)
    print(
        f"| setting | normalise s | synth+MP3 s | audio s | RTF | MP3 KiB | {wer_heads} | voice |"
    )
    print("|" + "---|" * (7 + len(engines)))
    for label, provider, settings in ROWS:
        try:
            speech, norm_s, synth_s = _speak(TEXT, provider, settings)
        except ProviderUnavailable as exc:
            reason = str(exc).split(":", 1)[-1].strip()[:70]
            dashes = " | ".join("–" for _ in engines)
            print(f"| {label} | – | – | – | – | – | {dashes} | unavailable: {reason} |")
            continue
        wer = " | ".join("–" for _ in engines)
        if head:
            short, _, _ = _speak(head, provider, settings)
            wer = " | ".join(
                f"{_wer(stt, cfg, short, reference)[0]:.3f}" for _, stt, cfg in engines
            )
        print(
            f"| {label} | {norm_s:.2f} | {synth_s:.2f} | {speech.duration:.0f} |"
            f" {synth_s / speech.duration:.4f} | {len(speech.mp3) // 1024} | {wer} |"
            f" {speech.voice} |",
            flush=True,
        )
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
