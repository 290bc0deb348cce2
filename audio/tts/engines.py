"""The engines behind `TextToSpeech`: espeak-ng (Debian binary, offline), piper (an operator's
voice model, the `piper` extra) and edge-tts (Microsoft's online voices, the `edge` extra).

Each speaks one sentence to mono float32 samples; `make_engine` picks one by name with its
import inside the branch, and raises `ProviderUnavailable` when its package or model is absent.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audio.tts.base import Provider, ProviderUnavailable, TextToSpeech, TtsConfig

if TYPE_CHECKING:
    import numpy as np


def _wav_samples(data: bytes) -> tuple[np.ndarray, int]:
    """Samples and rate of a 16-bit PCM WAV; espeak-ng's stdout header gives no lengths."""
    import numpy as np

    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ProviderUnavailable("the engine did not return a WAV stream")
    rate = int.from_bytes(data[24:28], "little")
    channels = int.from_bytes(data[22:24], "little")
    at = data.find(b"data", 12)
    if at < 0 or rate <= 0:
        raise ProviderUnavailable("the engine returned a WAV without audio")
    body = data[at + 8 :]
    body = body[: len(body) - len(body) % (2 * max(channels, 1))]
    pcm = np.frombuffer(body, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        pcm = pcm.reshape(-1, channels).mean(axis=1)
    return pcm, rate


class EspeakEngine:
    """espeak-ng through its command line, one short process per sentence (about 10 ms)."""

    name: Provider = "espeak-ng"

    def __init__(self, config: TtsConfig) -> None:
        self.config = config
        self.voice = f"{config.espeak_voice}@{config.espeak_speed}"
        self.sample_rate = 22_050
        self._binary = ""

    def check(self) -> None:
        found = shutil.which(self.config.espeak_binary)
        if not found:
            raise ProviderUnavailable(
                f"{self.config.espeak_binary} is not installed (Debian: apt-get install espeak-ng)"
            )
        self._binary = found
        self.speak("a")

    def speak(self, sentence: str) -> np.ndarray:
        if not self._binary:
            self._binary = shutil.which(self.config.espeak_binary) or self.config.espeak_binary
        cmd = [
            self._binary,
            "-v",
            self.config.espeak_voice,
            "-s",
            str(self.config.espeak_speed),
            "-p",
            str(self.config.espeak_pitch),
            "-b",
            "1",  # UTF-8 input
            "--stdout",
        ]
        try:
            done = subprocess.run(
                cmd, input=sentence.encode(), capture_output=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ProviderUnavailable(f"espeak-ng failed: {exc}") from exc
        if done.returncode != 0 or not done.stdout:
            err = done.stderr.decode(errors="replace").strip()[:200]
            raise ProviderUnavailable(f"espeak-ng failed ({done.returncode}): {err}")
        pcm, rate = _wav_samples(done.stdout)
        self.sample_rate = rate
        return pcm


class PiperEngine:
    """piper on an operator's voice model (`TtsConfig.piper_model`); no package ships a
    Vietnamese one."""

    name: Provider = "piper"

    def __init__(self, config: TtsConfig) -> None:
        self.config = config
        self.voice = Path(config.piper_model).stem if config.piper_model else "(none)"
        self.sample_rate = 22_050
        self._voice: Any = None
        self._lock = threading.Lock()

    def check(self) -> None:
        if not self.config.piper_model:
            raise ProviderUnavailable("piper needs a voice model: set SOTAY_TTS__PIPER_MODEL")
        model = Path(self.config.piper_model)
        if not model.is_file():
            raise ProviderUnavailable(f"piper voice model not found: {model}")
        try:
            from piper import PiperVoice
        except ImportError as exc:
            raise ProviderUnavailable("piper is not installed: pip install 'sotay[piper]'") from exc
        with self._lock:
            if self._voice is None:
                try:
                    self._voice = PiperVoice.load(str(model))
                except Exception as exc:  # noqa: BLE001 - any load failure means "not usable"
                    raise ProviderUnavailable(f"piper could not load {model}: {exc}") from exc
                self.sample_rate = int(self._voice.config.sample_rate)

    def speak(self, sentence: str) -> np.ndarray:
        import numpy as np

        if self._voice is None:
            self.check()
        with self._lock:
            voice = self._voice
            if hasattr(voice, "synthesize_wav"):  # piper-tts >= 1.3: AudioChunk objects
                chunks = [c.audio_float_array for c in voice.synthesize(sentence)]
            else:  # piper-tts 1.2: raw 16-bit bytes
                raw = b"".join(voice.synthesize_stream_raw(sentence))
                chunks = [np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0]
        if not chunks:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([np.asarray(c, dtype=np.float32).reshape(-1) for c in chunks])


class EdgeEngine:
    """edge-tts: Microsoft's online neural voices. Sends the text to the service; a short
    connect timeout so an unreachable network falls through to the next provider quickly."""

    name: Provider = "edge-tts"

    def __init__(self, config: TtsConfig) -> None:
        self.config = config
        self.voice = f"{config.edge_voice}@{config.edge_rate}"
        self.sample_rate = 24_000

    def check(self) -> None:
        try:
            import edge_tts  # noqa: F401
        except ImportError as exc:
            raise ProviderUnavailable(
                "edge-tts is not installed: pip install 'sotay[edge]'"
            ) from exc

    def _fetch(self, sentence: str) -> bytes:
        import asyncio

        import edge_tts

        async def run() -> bytes:
            communicate = edge_tts.Communicate(
                sentence,
                self.config.edge_voice,
                rate=self.config.edge_rate,
                proxy=self.config.edge_proxy or None,
                connect_timeout=self.config.edge_timeout_seconds,
                receive_timeout=self.config.edge_timeout_seconds * 4,
            )
            out = bytearray()
            async for chunk in communicate.stream():
                if chunk["type"] == "audio" and "data" in chunk:
                    out += chunk["data"]
            return bytes(out)

        async def bounded() -> bytes:
            return await asyncio.wait_for(run(), timeout=self.config.edge_timeout_seconds * 6)

        try:
            return asyncio.run(bounded())
        except Exception as exc:  # noqa: BLE001 - DNS, TLS, HTTP, timeout: all "unreachable"
            raise ProviderUnavailable(f"edge-tts unreachable: {type(exc).__name__}: {exc}") from exc

    def speak(self, sentence: str) -> np.ndarray:
        import io

        import av
        import numpy as np

        data = self._fetch(sentence)
        if not data:
            raise ProviderUnavailable("edge-tts returned no audio")
        chunks: list[np.ndarray] = []
        with av.open(io.BytesIO(data), mode="r") as container:
            resampler = av.AudioResampler(format="flt", layout="mono", rate=self.sample_rate)
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


def make_engine(name: Provider, config: TtsConfig) -> TextToSpeech:
    """The engine `name` names (not yet checked: call `check()`)."""
    match name:
        case "espeak-ng":
            return EspeakEngine(config)
        case "piper":
            return PiperEngine(config)
        case "edge-tts":
            return EdgeEngine(config)
