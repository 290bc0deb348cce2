"""Clause-level choice of what the extractive answer quotes: answer types, clauses, lists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from vectorstore.tokens import split_sentences


def fold(s: str) -> str:
    decomposed = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


class Kind(Enum):
    """What a question asks for, read from its Vietnamese question words."""

    DURATION = "duration"  # bao lâu, mấy tháng
    WHEN = "when"  # khi nào, bao giờ: a time, or the condition under which ("khi có đơn")
    DATE = "date"  # ngày nào, trước ngày nào, tháng mấy
    MONEY = "money"  # bao nhiêu tiền, phụ cấp bao nhiêu, đảng phí mức nào
    NUMBER = "number"  # bao nhiêu, mấy, tỷ lệ
    LIST = "list"  # những gì, gồm, những giấy tờ nào
    PLACE = "place"  # ở đâu
    OTHER = "other"


_UNITS = r"(?:ngay|thang|nam|gio|tuan|phut|quy|buoi|lan)"
_NUMWORD = r"(?:mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|nua|vai)"
# Checked in this order: "bao nhiêu ngày" is a duration, "tháng mấy" a date, "bao nhiêu" a number.
_QUESTION_KINDS: list[tuple[Kind, re.Pattern[str]]] = [
    (Kind.WHEN, re.compile(r"\b(?:khi nao|bao gio|luc nao)\b")),
    (
        Kind.DATE,
        re.compile(
            r"\b(?:ngay nao|ngay may|thang nao|thang may|quy nao|"
            r"quy may|han chot|thoi diem nao|hom nao|thoi gian nao|nam nao|tuan nao)\b"
        ),
    ),
    (
        Kind.DURATION,
        re.compile(rf"\b(?:bao lau|(?:may|bao nhieu) {_UNITS}|thoi han|keo dai|trong bao)\b"),
    ),
    (Kind.PLACE, re.compile(r"\b(?:o dau|tai dau|dia diem|noi nao|cho nao)\b")),
    (
        Kind.LIST,
        re.compile(
            r"\b(?:nhung gi|gom nhung|gom gi|nhung (?:giay to|noi dung|viec|buoc|thu tuc|"
            r"ho so|tai lieu|loai|hinh thuc|nhiem vu|yeu cau)|cac buoc|nhung ai)\b"
        ),
    ),
    (
        Kind.MONEY,
        re.compile(
            r"\b(?:tien|phi|phu cap|kinh phi|muc chi|luong|ngoai te|thu lao)\b.*"
            r"\b(?:bao nhieu|muc nao|muc bao|the nao)\b|\bbao nhieu tien\b"
        ),
    ),
    (
        Kind.NUMBER,
        re.compile(r"\b(?:bao nhieu|may|ty le|ti le|phan tram|so luong|muc nao|muc bao)\b"),
    ),
]

# Values a clause holds, per kind (on folded text).
_DATE = (
    r"\b(?:ngay (?:mung )?\d+|\d{1,2}/\d{1,2}|thang \d+|quy (?:i|ii|iii|iv|\d)\b|"
    r"nam 20\d\d|hang (?:ngay|tuan|thang|quy|nam)|truoc ngay|dau (?:thang|quy|nam)|"
    r"cuoi (?:thang|quy|nam)|thu (?:hai|ba|tu|nam|sau|bay)|chu nhat)"
)
_VALUES: dict[Kind, re.Pattern[str]] = {
    Kind.DURATION: re.compile(rf"\b(?:\d+(?:[,.]\d+)?|{_NUMWORD}) {_UNITS}\b"),
    Kind.DATE: re.compile(_DATE),
    Kind.WHEN: re.compile(rf"(?:{_DATE}|\b(?:khi|neu|truong hop|sau|truoc)\b)"),
    Kind.NUMBER: re.compile(rf"(?:\d|%|\bphan (?:hai|ba|tu|nam|muoi)\b|\b{_NUMWORD}\b)"),
    Kind.MONEY: re.compile(
        r"\d[\d.,]* ?(?:dong|d\b|trieu|nghin|ngan|ty|%)|\bphan tram\b|\bmuc luong\b|\d%"
    ),
    Kind.PLACE: re.compile(r"\b(?:tai|o) (?:hoi truong|tru so|phong|nha|van phong|uy ban|\w+ \w+)"),
}

TYPED = frozenset({Kind.DURATION, Kind.WHEN, Kind.DATE, Kind.MONEY, Kind.NUMBER, Kind.PLACE})

# A list item: "a)", "1.", "-", "+", "•".
_ITEM = re.compile(r"^\s*(?:[a-zđ]\)|\d+[.)]|[-+•])\s", re.IGNORECASE)
# Clause marks inside a sentence: ";" always, ":" when something follows it.
_CLAUSE = re.compile(r"(?<=;)\s+|(?<=:)\s+(?=\S)")
_NUMBERS = re.compile(r"\d+(?:[,.]\d+)?")
# A sentence this long is quoted by its clause, not whole.
MAX_QUOTE = 260


def question_kind(question: str) -> Kind:
    q = fold(question)
    for kind, pattern in _QUESTION_KINDS:
        if pattern.search(q):
            return kind
    return Kind.OTHER


def holds_value(kind: Kind, text: str) -> bool:
    pattern = _VALUES.get(kind)
    return bool(pattern and pattern.search(fold(text)))


def question_numbers(question: str) -> set[str]:
    """Numbers the question names ("Huy hiệu 30 năm"): an answer must name them too."""
    return set(_NUMBERS.findall(question))


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def years(text: str) -> set[str]:
    """The years a text names ("năm 2026", "2025-2030")."""
    return set(_YEAR.findall(text))


def other_year(asked: set[str], sentence: str) -> bool:
    """The sentence names a year, none of them one the question asks about."""
    named = years(sentence)
    return bool(named) and not (named & asked)


@dataclass
class Clause:
    """A clause of a passage, in reading order; `sentence` is the sentence it belongs to."""

    rank: int  # the passage's retrieval rank
    index: int  # position among the passage's clauses
    text: str
    sentence: str
    item: bool  # a list item line
    intro: bool  # ends with ":" (introduces a list)


def clauses(passage_rank: int, text: str) -> list[Clause]:
    out: list[Clause] = []
    for sentence in split_sentences(text):
        item = bool(_ITEM.match(sentence))
        for part in _CLAUSE.split(sentence):
            part = part.strip()
            if part:
                out.append(
                    Clause(
                        passage_rank,
                        len(out),
                        part,
                        sentence,
                        item,
                        part.endswith(":"),
                    )
                )
    return out


def list_around(cs: Sequence[Clause], at: int, limit: int = 15) -> list[Clause]:
    """The whole list `cs[at]` introduces or belongs to: its introducing clause ("Hồ sơ
    gồm:"), when there is one, and its items, up to the first line that is not one."""
    start = at
    while start > 0 and cs[start].item and not cs[start].intro:
        start -= 1
        if not cs[start].item:
            break  # the line before the items: their introduction, or other text
    out: list[Clause] = []
    for c in cs[start:]:
        # The list may be written on one line after the colon: "gồm: a; b; c."
        if out and not (c.item or c.sentence == out[0].sentence):
            break
        out.append(c)
        if len(out) == limit:
            break
    if not out[0].intro and not out[0].item:
        out = out[1:]  # not an introduction: other text before the list
    return out


def matches(kind: Kind, c: Clause) -> bool:
    """The clause holds what the question asks for: a value of its kind, or for a list
    question, a list (an introducing clause or an item)."""
    if kind is Kind.LIST:
        return c.intro or c.item
    return holds_value(kind, c.text)


def quote(c: Clause) -> str:
    """The whole sentence when short enough to read as one (the clause with its subject),
    else the clause alone."""
    return c.sentence if len(c.sentence) <= MAX_QUOTE else c.text
