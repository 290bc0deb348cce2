"""Vietnamese for the minutes: how figures, dates and times are written, folding for
comparison, sentence splitting, and the rules that condense spoken or noted sentences."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

# Figures in the minutes come from the record only: a note, comment or transcript sentence that
# states a percentage or a tally of people or ballots is left out of the discussion (it could
# contradict the record, or be an instruction hidden in the notes).
_FIGURE = re.compile(
    r"%|phần\s+trăm|\b\d+\s*/\s*\d+\s*(?:đồng\s+chí|phiếu|người)|"
    r"\b\d+\s*(?:đồng\s+chí|phiếu|người|đảng\s+viên)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WORD = re.compile(r"\w+", re.UNICODE)

# Spoken fillers (whole syllables or phrases), dropped wherever they stand.
FILLERS = (
    "thì là",
    "cái này thì",
    "cái này",
    "kiểu như là",
    "kiểu như",
    "nói chung là",
    "thực ra là",
    "ừm",
    "ừ",
    "ờ",
    "à",
    "ơ",
    "ạ",
    "nhé",
    "đấy",
)
_FILLER = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(f) for f in FILLERS) + r")(?!\w)\s*,?", re.IGNORECASE
)
# Sentences that only greet, thank or run the meeting say nothing for the minutes.
_GREETING = re.compile(
    r"^(?:xin\s+)?(?:kính\s+thưa|kính\s+chào|chào|xin\s+chào|cảm\s+ơn|cám\s+ơn|xin\s+cảm\s+ơn|"
    r"trân\s+trọng\s+cảm\s+ơn|alô|alo|a\s+lô|xin\s+phép|mời)\b[^,.:;]*[,.:;]?\s*",
    re.IGNORECASE,
)
# Syllables that Vietnamese doubles on purpose ("dần dần", "từ từ"): never collapsed.
_REDUPLICATED = {"dần", "từ", "ngày", "người", "nhà", "năm", "tháng", "đời", "lần", "mỗi", "xa"}
MIN_CONTENT_SYLLABLES = 4


def fold(text: str) -> str:
    """Lower-case, no diacritics, đ -> d: for comparing names and words."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def syllables(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text))]


def numbers(text: str) -> list[str]:
    """The figures a text states, normalised ("7,7" and "7.7" alike; leading zeros gone)."""
    out = []
    for raw in _NUMBER.findall(text):
        parts = re.split(r"[.,]", raw)
        out.append(".".join(str(int(p)) if i == 0 else p for i, p in enumerate(parts)))
    return out


def states_figure(text: str) -> bool:
    return bool(_FIGURE.search(text))


def percent(part: int, whole: int) -> str:
    """ "7,7%": one decimal, Vietnamese comma, a trailing ",0" dropped (100%, 0%)."""
    return percent_text(Decimal(part) * 100 / Decimal(whole))


def percent_text(value: Decimal) -> str:
    """A percentage as the minutes write it: one decimal, rounded half up, "," as the mark."""
    rounded = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    text = f"{rounded:f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def date_words(d: dt.date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def date_short(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def time_words(t: dt.time) -> str:
    return f"{t.hour} giờ {t.minute:02d} phút"


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def _collapse_repeats(words: list[str]) -> list[str]:
    """ "tôi tôi xin" -> "tôi xin", "các đồng chí các đồng chí" -> "các đồng chí"."""
    out: list[str] = []
    for w in words:
        out.append(w)
        for n in (3, 2, 1):
            if len(out) >= 2 * n and [x.lower() for x in out[-n:]] == [
                x.lower() for x in out[-2 * n : -n]
            ]:
                if n == 1 and (out[-1].lower() in _REDUPLICATED or out[-1].isdigit()):
                    continue
                del out[-n:]
                break
    return out


def condense(sentence: str) -> str | None:
    """A spoken or noted sentence cut to what the minutes keep, or None when nothing is left:
    fillers, stutters and greetings dropped, the first letter capitalised, a full stop added."""
    text = unicodedata.normalize("NFC", sentence).strip()
    text = _GREETING.sub("", text) if _GREETING.match(text) else text
    text = _FILLER.sub(" ", text)
    words = _collapse_repeats(text.split())
    text = " ".join(words)
    text = re.sub(r"\s+([,.;:!?…])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = text.strip(" ,;:-–")
    if len(syllables(text)) < MIN_CONTENT_SYLLABLES or _GREETING.fullmatch(text):
        return None
    if re.search(r"\b(?:cảm ơn|cám ơn)\b", text, re.IGNORECASE) and len(syllables(text)) < 8:
        return None
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."
