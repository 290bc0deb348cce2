"""WER, CER and real-time factor of an engine on a folder of clips with `.txt` references.

Normalisation, applied to both reference and hypothesis before scoring (so that the score
measures words, not typography):
- Unicode NFC, then lower case (Vietnamese capitals fold with their diacritics kept);
- numbers written with digits are spelt out in the clip's language (vi: "15" -> "mười lăm",
  "21" -> "hai mươi mốt", "105" -> "một trăm linh năm"; en: "9" -> "nine"), after dropping
  thousands dots/commas, because engines write "9" where a reference says "nine";
- every punctuation mark and symbol becomes a space; runs of spaces collapse.
The language of a clip is its file name's prefix before "_" ("vi_…", "en_…"), else the config's.
"Raw" WER scores the text as printed (only whitespace collapsed): the gap between it and WER
is what case and punctuation still cost.
"""

from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path

from pydantic import BaseModel

from audio.stt.base import SAMPLE_RATE, SttConfig

AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".m4a", ".webm", ".flac")
_VI_UNITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _vi_below_1000(n: int, *, inner: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or inner:
        words += [_VI_UNITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
        if units or not words:
            words.append(_VI_UNITS[units])
        return words
    words += ["mười"] if tens == 1 else [_VI_UNITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_VI_UNITS[units])
    return words


def _en_below_1000(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [_EN_UNITS[hundreds], "hundred"] if hundreds else []
    if rest >= 20:
        words.append(_EN_TENS[rest // 10])
        if rest % 10:
            words.append(_EN_UNITS[rest % 10])
    elif rest or not words:
        words.append(_EN_UNITS[rest])
    return words


def number_words(n: int, language: str) -> str:
    """A non-negative integer below a billion in words."""
    if n >= 10**9:
        return " ".join(number_words(int(d), language) for d in str(n))
    groups = [(n // 10**6, "triệu" if language == "vi" else "million"),
              (n // 1000 % 1000, "nghìn" if language == "vi" else "thousand"),
              (n % 1000, "")]  # fmt: skip
    words: list[str] = []
    for value, scale in groups:
        if value == 0 and (words or scale):
            continue
        if language == "vi":
            words += _vi_below_1000(value, inner=bool(words))
        else:
            words += _en_below_1000(value)
        if scale:
            words.append(scale)
    return " ".join(words)


def normalise(text: str, language: str) -> str:
    """The scoring form of a transcript (see the module docstring)."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", text)
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()), language)} ", text)
    text = "".join(" " if unicodedata.category(c)[0] in "PSC" else c for c in text)
    return " ".join(text.split())


class ClipScore(BaseModel):
    file: str
    seconds: float
    wer: float
    cer: float
    raw_wer: float
    rtf: float
    reference: str
    hypothesis: str


class EvalResult(BaseModel):
    provider: str
    files: int
    audio_seconds: float
    load_seconds: float
    wer: float  # corpus-level: errors over all reference words, not a mean of clip rates
    cer: float
    raw_wer: float
    rtf: float  # transcription seconds over audio seconds, model load excluded
    clips: list[ClipScore]


def clips_in(folder: Path) -> list[tuple[Path, Path]]:
    """(audio, reference) pairs: audio files that have a same-named `.txt` beside them."""
    pairs = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in AUDIO_SUFFIXES and path.with_suffix(".txt").is_file():
            pairs.append((path, path.with_suffix(".txt")))
    return pairs


def evaluate(folder: Path, config: SttConfig) -> EvalResult:
    """Transcribe every clip of `folder` with `config`'s engine and score it."""
    import jiwer

    from audio.stt import iter_transcribe, load_audio, make_engine

    pairs = clips_in(folder)
    if not pairs:
        raise ValueError(f"{folder} has no audio file with a same-named .txt reference")
    engine = make_engine(config)
    started = time.perf_counter()
    engine.load()
    load_seconds = time.perf_counter() - started
    clips: list[ClipScore] = []
    refs: list[str] = []
    hyps: list[str] = []
    raw_refs: list[str] = []
    raw_hyps: list[str] = []
    for audio_path, ref_path in pairs:
        prefix = audio_path.stem.split("_", 1)[0]
        language = prefix if prefix in ("vi", "en") else config.language
        clip_config = config.model_copy(update={"language": language})
        engine.config = clip_config
        audio = load_audio(audio_path, max_bytes=config.max_bytes, max_seconds=config.max_seconds)
        started = time.perf_counter()
        hyp = " ".join(s.segment.text for s in iter_transcribe(engine, audio, clip_config))
        elapsed = time.perf_counter() - started
        ref = ref_path.read_text(encoding="utf-8").strip()
        n_ref, n_hyp = normalise(ref, language), normalise(hyp, language)
        seconds = audio.size / SAMPLE_RATE
        raw_ref, raw_hyp = " ".join(ref.split()), " ".join(hyp.split()) or "∅"
        clips.append(
            ClipScore(
                file=audio_path.name,
                seconds=round(seconds, 2),
                wer=round(jiwer.wer(n_ref, n_hyp or "∅"), 4),
                cer=round(jiwer.cer(n_ref, n_hyp or "∅"), 4),
                raw_wer=round(jiwer.wer(raw_ref, raw_hyp), 4),
                rtf=round(elapsed / seconds, 3),
                reference=ref,
                hypothesis=hyp,
            )
        )
        refs.append(n_ref)
        hyps.append(n_hyp or "∅")
        raw_refs.append(raw_ref)
        raw_hyps.append(raw_hyp)
    total = sum(c.seconds for c in clips)
    return EvalResult(
        provider=config.provider,
        files=len(clips),
        audio_seconds=round(total, 2),
        load_seconds=round(load_seconds, 2),
        wer=round(jiwer.wer(refs, hyps), 4),
        cer=round(jiwer.cer(refs, hyps), 4),
        raw_wer=round(jiwer.wer(raw_refs, raw_hyps), 4),
        rtf=round(sum(c.rtf * c.seconds for c in clips) / total, 3),
        clips=clips,
    )
