"""Synthesis with the real espeak-ng on short texts: the MP3 decodes to about the length the
text predicts, chapters increase, the fallback chain records the voice that spoke, and bad
input fails clearly. No test waits on the network: edge-tts is pointed at a closed port."""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest

from audio.tts import (
    BadText,
    EmptyText,
    NoProvider,
    ProviderUnavailable,
    TtsConfig,
    TtsError,
    prepare,
    synthesise,
)
from audio.tts.engines import make_engine
from audio.tts.synthesis import level

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (.ci/system-deps)"
)

TEXT = """BẢN TIN THÁNG 12

I. TÌNH HÌNH CHUNG
Trong tháng 11/2025, Đảng bộ phường quán triệt Chỉ thị 50-CT/TW với 98,5% đảng viên tham dự.
UBND phường và MTTQ triển khai kế hoạch quý IV.

II. NHIỆM VỤ THÁNG TỚI
- Các chi bộ nộp báo cáo theo Hướng dẫn 12-HD/BTGTW trước ngày 20/12/2025.
- Góp ý gửi về bantin@huongan.gov.vn.
"""

# espeak-ng's "words per minute" are English words: Vietnamese syllables come about 1.45 times
# as fast (3.6 per second at 150 wpm).
SYLLABLES_PER_WORD = 1.45


def _decode(mp3: bytes) -> tuple[np.ndarray, int, int]:
    import av

    with av.open(io.BytesIO(mp3), mode="r") as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name.startswith("mp3")
        rate, channels = stream.codec_context.sample_rate, stream.codec_context.channels
        chunks = [frame.to_ndarray().reshape(-1) for frame in container.decode(audio=0)]
    return np.concatenate(chunks), rate, channels


def _predicted_seconds(config: TtsConfig) -> float:
    script = prepare(TEXT, config)
    syllables = sum(len(s.split()) for s in script.sentences())
    speaking = syllables / (config.espeak_speed / 60 * SYLLABLES_PER_WORD)
    pauses = 0.0
    for s_no, section in enumerate(script.sections):
        for p_no, paragraph in enumerate(section.paragraphs):
            pauses += (len(paragraph) - 1) * config.sentence_pause_ms / 1000
            if p_no:
                pauses += config.paragraph_pause_ms / 1000
            elif s_no:
                pauses += config.section_pause_ms / 1000
    return speaking + pauses


@pytest.fixture(scope="module")
def speech():  # type: ignore[no-untyped-def]
    return synthesise(TEXT, TtsConfig())


def test_mp3_decodes_mono_at_about_64_kbps(speech) -> None:  # type: ignore[no-untyped-def]
    samples, rate, channels = _decode(speech.mp3)
    assert channels == 1 and rate == speech.sample_rate
    decoded = samples.size / rate
    assert abs(decoded - speech.duration) < 0.2
    kbps = len(speech.mp3) * 8 / 1000 / decoded
    assert 56 <= kbps <= 72
    assert np.abs(samples).max() <= 1.0 and np.sqrt(np.mean(samples**2)) > 0.01


def test_duration_is_what_the_text_length_predicts(speech) -> None:  # type: ignore[no-untyped-def]
    predicted = _predicted_seconds(TtsConfig())
    samples, rate, _ = _decode(speech.mp3)
    assert abs(samples.size / rate - predicted) <= 0.2 * predicted


def test_chapters_mark_the_sections_in_order(speech) -> None:  # type: ignore[no-untyped-def]
    assert [c.title for c in speech.chapters] == [
        "BẢN TIN THÁNG 12",
        "I. TÌNH HÌNH CHUNG",
        "II. NHIỆM VỤ THÁNG TỚI",
    ]
    starts = [c.start for c in speech.chapters]
    assert starts[0] == 0.0
    assert all(a < b for a, b in zip(starts, starts[1:], strict=False))
    assert starts[-1] < speech.duration
    # Every sentence lies inside the audio, in order, and the section pause is the longest gap.
    ends = [(s.start, s.end) for s in speech.sentences]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:], strict=False))
    second = next(s for s in speech.sentences if s.section == 1)
    before = speech.sentences[speech.sentences.index(second) - 1]
    assert second.start - before.end >= TtsConfig().section_pause_ms / 1000 - 0.01
    assert second.start == speech.chapters[1].start


def test_records_the_voice_and_key(speech) -> None:  # type: ignore[no-untyped-def]
    assert speech.provider == "espeak-ng"
    assert speech.voice == "espeak-ng:vi+f3@150"
    assert speech.fallbacks == []
    assert speech.cache_key == prepare(TEXT, TtsConfig()).cache_key


def test_edge_tts_unreachable_falls_back_to_espeak() -> None:
    # A closed local port stands in for the network: no test waits on, or reaches, the service.
    config = TtsConfig(
        providers=["edge-tts"], edge_proxy="http://127.0.0.1:9", edge_timeout_seconds=2
    )
    assert config.chain() == ["edge-tts", "espeak-ng"]
    speech = synthesise("Họp chi bộ ngày 5/12. Đề nghị các đồng chí đến đúng giờ.", config)
    assert speech.provider == "espeak-ng"
    assert speech.voice == "espeak-ng:vi+f3@150"
    assert len(speech.fallbacks) == 1 and speech.fallbacks[0].startswith("edge-tts: ")
    assert speech.duration > 1.0


def test_piper_without_a_model_says_so() -> None:
    with pytest.raises(ProviderUnavailable, match="SOTAY_TTS__PIPER_MODEL"):
        make_engine("piper", TtsConfig()).check()
    with pytest.raises(ProviderUnavailable, match="not found"):
        make_engine("piper", TtsConfig(piper_model="/nonexistent/vi.onnx")).check()
    speech = synthesise("Xin chào.", TtsConfig(providers=["piper", "espeak-ng"]))
    assert speech.provider == "espeak-ng" and speech.fallbacks[0].startswith("piper: ")


def test_no_provider_left_is_an_error() -> None:
    with pytest.raises(NoProvider, match="espeak-ng"):
        synthesise("Xin chào.", TtsConfig(espeak_binary="/nonexistent/espeak-ng"))


@pytest.mark.parametrize("text", ["", "  \n\n ", "---"])
def test_empty_text_is_a_clear_error(text: str) -> None:
    with pytest.raises(EmptyText) as caught:
        synthesise(text, TtsConfig())
    assert isinstance(caught.value, TtsError) and isinstance(caught.value, ValueError)
    assert caught.value.code == "empty_text"


def test_binary_text_is_a_clear_error() -> None:
    with pytest.raises(BadText) as caught:
        synthesise("\x00\x01\x02binary\x03\x04\x05\x06\x07", TtsConfig())
    assert caught.value.code == "bad_text"


def test_level_reaches_the_target_and_holds_peaks() -> None:
    rate = 22_050
    t = np.arange(rate, dtype=np.float32) / rate
    quiet = (0.01 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    out = level(np.concatenate([quiet, np.zeros(rate, np.float32)]), rate, -18.0)
    rms_db = 20 * np.log10(np.sqrt(np.mean(out[:rate] ** 2)))
    assert abs(rms_db - -18.0) < 0.5
    loud = level(np.concatenate([quiet, np.full(100, 0.9, np.float32)]), rate, -18.0)
    assert np.abs(loud).max() < 1.0
