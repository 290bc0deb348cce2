"""Heading detection: which lines open a unit (Phần, Chương, Mục, Điều, "I.", "1.", "a)"), and where a label's title ends and its content begins."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Word labels: the legal hierarchy, also used by guidance documents ("Mục 1. Đối tượng…").
_WORD = re.compile(
    r"^(?P<word>Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+"
    r"(?P<num>(?:thứ|Thứ|THỨ)\s+[^\W\d_]+|[IVXLC]+|\d{1,3}[a-zđ]?)"
    r"(?=$|[\s.:)\-–—])\s*[.:)\-–—]?\s*"
)
_WORD_STYLE = {"phần": "phan", "chương": "chuong", "mục": "muc", "điều": "dieu"}
# Which numbers each word takes: "Điều" never a Roman one, only "Phần" an ordinal ("thứ nhất").
_WORD_NUM = {
    "phan": re.compile(r"(?:thứ|Thứ|THỨ)\s+\S+|[IVXLC]+|\d{1,3}"),
    "chuong": re.compile(r"[IVXLC]+|\d{1,3}"),
    "muc": re.compile(r"[IVXLC]+|\d{1,3}"),
    "dieu": re.compile(r"\d{1,3}[a-zđ]?"),
}
# Outline numbering. Roman numerals up to XXXIX only: "C. Mác", "D. …" are initials.
_ROMAN = re.compile(r"^(?P<num>X{0,3}(?:IX|IV|V?I{0,3}))[.)](?:\s+|$)")
_ARABIC = re.compile(
    r"^(?P<num>\d{1,3}(?:\.\d{1,2})*)[.)](?:\s+|$)|^(?P<multi>\d{1,3}(?:\.\d{1,2})+)\s+"
)
_LETTER = re.compile(r"^(?P<num>[a-zđ])\)\s+")
_BULLET = re.compile(r"^[-+•–*]\s*\S")
_KHOAN = re.compile(r"^(\d{1,3})\.\s+\S")

# Ranks order units within a family (lower = outer); "Phần" heads both families.
RANKS = {"phan": 0, "chuong": 1, "muc": 2, "dieu": 3, "roman": 1, "letter": 9}
LEGAL = {"phan", "chuong", "muc", "dieu"}

_SENTENCE_END = re.compile(r"[.;!?…,]$")
_INNER_SENTENCE = re.compile(r"[;!?…]\s|\.\s+(?=\w)")
# A clause that announces what follows ("… gồm:", "… như sau:") is content, not a title.
_INTRO_END = re.compile(r"(?:\bsau|\bgồm|\blà|\bnhư|\bdưới đây|\bbao gồm)\s*$", re.I)
_COLON = re.compile(r":(?=\s|$)")
TITLE_WORDS = 16
CAPS_TITLE_WORDS = 30


@dataclass(frozen=True)
class Label:
    """A line's opening label: `style` ("dieu", "roman", "arabic2", "letter"…), `label` as
    cited ("Điều 5", "I.", "1.2."), `prefix` the text up to the rest, `rest` what follows."""

    style: str
    label: str
    prefix: str
    rest: str

    @property
    def legal(self) -> bool:
        return self.style in LEGAL

    @property
    def rank(self) -> int:
        if self.style.startswith("arabic"):
            return 1 + int(self.style[6:])
        return RANKS[self.style]


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def title_like(text: str) -> bool:
    """A short name, not a sentence: upper case, or a few words starting with a capital and
    ending without sentence punctuation. In doubt (long, punctuated, lower-case) it is not."""
    text = text.strip()
    if not any(c.isalpha() for c in text):
        return False
    if is_upper(text):
        return len(text.split()) <= CAPS_TITLE_WORDS and not text.endswith((";", ","))
    first = next(c for c in text if c.isalpha() or c.isdigit())
    return (
        (first.isupper() or first.isdigit())
        and len(text.split()) <= TITLE_WORDS
        and len(text) <= 120
        and not _SENTENCE_END.search(text)
        and not _INNER_SENTENCE.search(text)
        and not _INTRO_END.search(text)
    )


def split_title(rest: str, inline_content: bool = True) -> tuple[str, str]:
    """(title, content) of what follows a label: a title-like part before the first ":" is
    the title and the rest content; else the whole is a title when title-like, content when
    not. Without `inline_content` a title followed by content after ":" is all content."""
    rest = rest.strip()
    if not rest:
        return "", ""
    if m := _COLON.search(rest):
        head, tail = rest[: m.start()].strip(), rest[m.end() :].strip()
        if title_like(head) and (inline_content or not tail):
            return head, tail
        return "", rest
    return (rest, "") if title_like(rest) else ("", rest)


def word_label(text: str) -> Label | None:
    """Phần, Chương, Mục, Điều with their number: "Mục 1. …", "PHẦN THỨ NHẤT", "Điều 5: …"."""
    m = _WORD.match(text)
    if not m:
        return None
    style = _WORD_STYLE[m.group("word").lower()]
    num = m.group("num")
    if not _WORD_NUM[style].fullmatch(num):
        return None
    num = " ".join(num.split()).lower() if num[:3].lower() == "thứ" else num
    word = m.group("word").capitalize()
    return Label(style, f"{word} {num}", text[: m.end()], text[m.end() :])


def outline_label(text: str) -> Label | None:
    """Outline numbering outside articles: "I.", "1.", "1.2.", "a)"."""
    if (m := _ROMAN.match(text)) and m.group("num"):
        return Label("roman", f"{m.group('num')}.", text[: m.end()], text[m.end() :])
    if m := _ARABIC.match(text):
        num = m.group("num") or m.group("multi")
        return Label(f"arabic{num.count('.') + 1}", f"{num}.", text[: m.end()], text[m.end() :])
    if m := _LETTER.match(text):
        return Label("letter", f"{m.group('num')})", text[: m.end()], text[m.end() :])
    return None


def khoan(text: str) -> str:
    """The clause number of a "1. …" line inside an article ("" if none)."""
    m = _KHOAN.match(text)
    return m.group(1) if m else ""


def structural(line: str) -> bool:
    """Whether a line opens a unit or a list item (so a PDF line break before it is real)."""
    return bool(word_label(line) or outline_label(line) or _BULLET.match(line))
