"""Sentence case and a closing stop for engines that return bare lower-case words (viet-asr).

Rules, not a model: each voice-activity piece is about one spoken sentence, so the piece gets a
capital and a full stop, and a few names that are always capitalised in party documents get
theirs. No offline Vietnamese punctuation model installs here (RECIPES), and the minutes quote
these sentences, so a predictable rule beats a guessed comma.
"""

from __future__ import annotations

import re

# Lower-case word sequences that party documents always write capitalised.
_PROPER = {
    "đảng cộng sản việt nam": "Đảng Cộng sản Việt Nam",
    "việt nam": "Việt Nam",
    "hồ chí minh": "Hồ Chí Minh",
    "bác hồ": "Bác Hồ",
    "trung ương": "Trung ương",
    "hà nội": "Hà Nội",
}
_PROPER_RE = re.compile(r"\b(" + "|".join(map(re.escape, _PROPER)) + r")\b")
_END = ".?!…:;"


def restore(text: str) -> str:
    """'chi bộ họp ở hà nội' -> 'Chi bộ họp ở Hà Nội.'; text already punctuated is kept."""
    text = " ".join(text.split())
    if not text:
        return text
    if text == text.lower():
        text = _PROPER_RE.sub(lambda m: _PROPER[m.group(1)], text)
    text = text[0].upper() + text[1:]
    if text[-1] not in _END:
        text += "."
    return text
