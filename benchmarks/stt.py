"""Speech-to-text engines side by side: load time, real-time factor and peak memory on 30 s and
5 min of audio, plus whether a second run gives the same text.

    .venv/bin/python -m benchmarks.stt [--lengths 30,300] [--variants all]

The audio is the committed clip set (tests/data/stt) concatenated with 0.6 s gaps until long
enough. Each variant runs in a fresh process so its peak RSS is its own. Variants:
- viet-asr: our voice-activity cut, one engine call per piece (the only safe way, see README);
- whisper-pieces: the same cut feeding faster-whisper (what the app uses);
- whisper-plain / -vad / -batched: faster-whisper on the whole audio, as it ships: no VAD,
  `vad_filter=True`, `BatchedInferencePipeline` (batch 8, VAD built in).
RTF = transcription seconds / audio seconds, model load excluded; CPU RTF divides process CPU
time instead, which is what the engine costs when a neighbour shares the cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CLIPS = Path(__file__).resolve().parents[1] / "tests" / "data" / "stt"
VARIANTS = ["viet-asr", "whisper-pieces", "whisper-plain", "whisper-vad", "whisper-batched"]


def _audio(seconds: float) -> Any:
    import numpy as np

    from audio.stt import SAMPLE_RATE, load_audio

    clips = [load_audio(p, max_bytes=10**8, max_seconds=60) for p in sorted(CLIPS.glob("vi_*.wav"))]
    gap = np.zeros(int(0.6 * SAMPLE_RATE), np.float32)
    parts, total, i = [], 0, 0
    while total < seconds * SAMPLE_RATE:
        parts += [clips[i % len(clips)], gap]
        total += clips[i % len(clips)].size + gap.size
        i += 1
    return np.concatenate(parts)[: int(seconds * SAMPLE_RATE)]


def _one(variant: str, seconds: float, cache: str) -> dict[str, Any]:
    from audio.stt import SAMPLE_RATE, SttConfig, iter_transcribe
    from audio.stt.engines import FasterWhisperEngine, VietAsrEngine

    audio = _audio(seconds)
    config = SttConfig(
        provider="viet-asr" if variant == "viet-asr" else "faster-whisper", cache_dir=cache
    )
    engine: Any
    if variant == "viet-asr":
        engine = VietAsrEngine(config)
    else:
        engine = FasterWhisperEngine(config, batched=variant == "whisper-batched")
    started = time.perf_counter()
    engine.load()
    load = time.perf_counter() - started

    def run() -> str:
        if variant in ("viet-asr", "whisper-pieces"):
            return " ".join(i.segment.text for i in iter_transcribe(engine, audio, config))
        found = engine.transcribe(audio, vad_filter=variant == "whisper-vad")
        return " ".join(s.text for s in found)

    cpu0, wall0 = time.process_time(), time.perf_counter()
    text = run()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    # Determinism on the short audio only: a second 5-minute pass would double the run.
    same = (run() == text) if seconds <= 60 else None
    audio_s = audio.size / SAMPLE_RATE
    return {
        "variant": variant,
        "seconds": round(audio_s),
        "load_s": round(load, 2),
        "rtf": round(wall / audio_s, 3),
        "cpu_rtf": round(cpu / audio_s, 3),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "same_twice": same,
        "words": len(text.split()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lengths", default="30,300", help="audio lengths in seconds")
    parser.add_argument("--variants", default="all")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--cache", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one(args.one, args.seconds, args.cache)))
        return
    variants = VARIANTS if args.variants == "all" else args.variants.split(",")
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        for seconds in (float(s) for s in args.lengths.split(",")):
            for variant in variants:
                cmd = [sys.executable, "-m", "benchmarks.stt", "--one", variant]
                cmd += ["--seconds", str(seconds), "--cache", cache]
                done = subprocess.run(cmd, capture_output=True, text=True, check=True)
                rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print("| engine | audio | load s | RTF | CPU RTF | peak MB | same text twice | words |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        same = "n/a" if r["same_twice"] is None else ("yes" if r["same_twice"] else "NO")
        print(
            f"| {r['variant']} | {r['seconds']} s | {r['load_s']} | {r['rtf']} | {r['cpu_rtf']}"
            f" | {r['peak_mb']} | {same} | {r['words']} |"
        )


if __name__ == "__main__":
    main()
