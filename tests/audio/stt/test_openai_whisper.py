"""The optional openai-whisper adapter (the `whisper` extra) on an operator's `.pt`.

No package ships a `.pt`, so the `st` tests build a tiny Whisper with random weights, save it
as openai-whisper's own checkpoint format and run it for real on a committed clip: the words
are noise, but the segment contract, the hash refusal and the loading path are the real ones.
`make test-st` runs them in a venv with torch and openai-whisper; elsewhere they skip, unless
SOTAY_REQUIRE_ST makes that a failure. The refusals before anything is imported run everywhere.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from app.core.config import Settings
from audio.stt import (
    SAMPLE_RATE,
    EngineUnavailable,
    Segment,
    SttConfig,
    iter_transcribe,
    load_audio,
    make_engine,
)
from audio.stt.openai_whisper import OpenAIWhisperEngine

LIMITS = {"max_bytes": 10_000_000, "max_seconds": 600.0}


def _needs_whisper() -> None:
    try:
        import torch  # noqa: F401
        import whisper  # noqa: F401
    except ImportError:
        if os.environ.get("SOTAY_REQUIRE_ST"):
            raise
        pytest.skip("needs torch and openai-whisper (make test-st)")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def tiny_pt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight multilingual Whisper, a few MB, in openai-whisper's `.pt` format."""
    _needs_whisper()
    import torch
    from whisper.model import ModelDimensions, Whisper

    torch.manual_seed(13)
    # 80 mels and 1500 audio positions are fixed by the 30 s log-mel window; 51865 tokens make
    # it multilingual, so `language="vi"` is a token it has.
    dims = ModelDimensions(
        n_mels=80,
        n_audio_ctx=1500,
        n_audio_state=32,
        n_audio_head=2,
        n_audio_layer=1,
        n_vocab=51865,
        n_text_ctx=64,
        n_text_state=32,
        n_text_head=2,
        n_text_layer=1,
    )
    model = Whisper(dims)
    path = tmp_path_factory.mktemp("whisper") / "tiny-random.pt"
    torch.save({"dims": asdict(dims), "model_state_dict": model.state_dict()}, path)
    return path


def _check_contract(found: list[Segment], duration: float) -> None:
    assert found, "the tiny model gave no segment at all"
    last = 0.0
    for seg in found:
        assert isinstance(seg, Segment)
        assert isinstance(seg.text, str) and seg.text.strip() == seg.text and seg.text
        assert all(isinstance(v, float) for v in (seg.start, seg.end, seg.confidence))
        assert 0.0 <= seg.start <= seg.end <= duration + 1e-6
        assert seg.start >= last
        assert 0.0 <= seg.confidence <= 1.0
        last = seg.start


def test_selectable_through_the_stt_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOTAY_STT__PROVIDER", "openai-whisper")
    monkeypatch.setenv("SOTAY_STT__PT_PATH", "/srv/models/whisper-small.pt")
    monkeypatch.setenv("SOTAY_STT__PT_SHA256", "ab" * 32)
    config = Settings().stt
    assert (config.provider, config.pt_path, config.pt_sha256) == (
        "openai-whisper",
        "/srv/models/whisper-small.pt",
        "ab" * 32,
    )
    engine = make_engine(config)
    assert isinstance(engine, OpenAIWhisperEngine) and engine.name == "openai-whisper"
    with pytest.raises(ValueError, match="pt_sha256"):
        SttConfig(provider="openai-whisper", pt_sha256="not-a-hash")


def test_no_path_or_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match=r"SOTAY_STT__PT_PATH"):
        make_engine(SttConfig(provider="openai-whisper")).load()
    missing = tmp_path / "nowhere.pt"
    with pytest.raises(EngineUnavailable, match=r"nowhere\.pt.*is missing"):
        make_engine(SttConfig(provider="openai-whisper", pt_path=str(missing))).load()


def test_missing_package_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pt = tmp_path / "any.pt"
    pt.write_bytes(b"never opened: the package is missing")
    monkeypatch.setitem(sys.modules, "whisper", None)  # `import whisper` raises ImportError
    engine = make_engine(SttConfig(provider="openai-whisper", pt_path=str(pt)))
    with pytest.raises(EngineUnavailable, match=r"\[whisper\]"):
        engine.load()


def test_a_wrong_hash_is_refused_before_anything_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pt = tmp_path / "operator.pt"
    pt.write_bytes(b"a pickle nobody should open")
    # Were the adapter to reach `import whisper`, the error would be the extra's, not the hash's.
    monkeypatch.setitem(sys.modules, "whisper", None)
    config = SttConfig(provider="openai-whisper", pt_path=str(pt), pt_sha256="0" * 64)
    with pytest.raises(EngineUnavailable, match=rf"{_sha256(pt)}.*refusing"):
        make_engine(config).load()


def test_whisper_times_are_held_to_the_piece_and_increasing() -> None:
    """Whisper's times come from tokens over a 30 s window: they can pass a short piece's end
    or step back. Whatever it returns, the adapter hands on the contract."""
    import numpy as np

    engine = OpenAIWhisperEngine(SttConfig(provider="openai-whisper", pt_path="unused.pt"))
    engine._model = object()  # loaded, as far as the adapter knows
    engine._transcribe = lambda model, audio, **options: {
        "segments": [
            {"start": 0.0, "end": 2.5, "text": " một ", "avg_logprob": -0.2},
            {"start": 1.5, "end": 1.0, "text": "hai", "avg_logprob": 0.1},
            {"start": 2.0, "end": 3.0, "text": "   ", "avg_logprob": -0.1},
            {"start": 2.8, "end": 29.0, "text": "ba", "avg_logprob": float("-inf")},
        ]
    }
    found = engine.transcribe(np.zeros(3 * SAMPLE_RATE, np.float32))
    assert [s.text for s in found] == ["một", "hai", "ba"]
    _check_contract(found, 3.0)
    assert found[1][:2] == (1.5, 1.5) and found[2][:2] == (2.8, 3.0)
    assert found[2].confidence == 0.0


@pytest.mark.st
def test_tiny_model_transcribes_a_clip_within_the_contract(tiny_pt: Path, clips: Path) -> None:
    audio = load_audio(clips / "vi_hop_chi_bo.wav", **LIMITS)
    duration = audio.size / SAMPLE_RATE
    config = SttConfig(
        provider="openai-whisper", pt_path=str(tiny_pt), pt_sha256=_sha256(tiny_pt), beam_size=1
    )
    engine = make_engine(config)
    engine.load()
    found = engine.transcribe(audio)
    _check_contract(found, duration)
    assert engine.transcribe(audio) == found  # temperature 0, no fallback: the same twice
    # The app's path: voice-activity pieces, times offset into the recording.
    items = list(iter_transcribe(engine, audio, config))
    assert [i.index for i in items] == sorted({i.index for i in items})
    _check_contract([i.segment for i in items], duration)


@pytest.mark.st
def test_tiny_model_with_a_changed_byte_is_refused(tiny_pt: Path, tmp_path: Path) -> None:
    expected = _sha256(tiny_pt)
    tampered = tmp_path / "tampered.pt"
    data = bytearray(tiny_pt.read_bytes())
    data[-100] ^= 0xFF
    tampered.write_bytes(bytes(data))
    engine = make_engine(
        SttConfig(provider="openai-whisper", pt_path=str(tampered), pt_sha256=expected)
    )
    with pytest.raises(EngineUnavailable, match=rf"SOTAY_STT__PT_SHA256\) is {expected}; refusing"):
        engine.load()
    with pytest.raises(EngineUnavailable, match="is missing"):
        make_engine(SttConfig(provider="openai-whisper", pt_path=str(tmp_path / "gone.pt"))).load()
