"""Rebuild the synthetic clips: espeak-ng speaks each reference, PyAV resamples to 16 kHz mono.

Run from this folder with the project venv: `python make_clips.py` (needs espeak-ng; the
tests do not: the wav files are committed).
"""

import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
# name -> (espeak-ng voice, words per minute)
CLIPS = {
    "vi_hop_chi_bo": ("vi+f3", 150),
    "vi_nghi_quyet": ("vi+f3", 150),
    "vi_dang_phi": ("vi+f3", 150),
    "vi_ke_hoach": ("vi+f3", 150),
    "en_meeting": ("en-us", 160),
    "en_budget": ("en-us", 160),
}


def main() -> None:
    from faster_whisper.audio import decode_audio

    for name, (voice, speed) in CLIPS.items():
        text = (HERE / f"{name}.txt").read_text(encoding="utf-8").strip()
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "raw.wav"
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True
            )
            audio = decode_audio(str(raw), sampling_rate=16000)
        pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
        with wave.open(str(HERE / f"{name}.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes(pcm.tobytes())
        print(name, f"{len(pcm) / 16000:.1f} s")


if __name__ == "__main__":
    main()
