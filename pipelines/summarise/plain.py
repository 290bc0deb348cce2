"""The short version for older members: 3 plain sentences, every abbreviation written out.

The abbreviations come from the table the audio bulletins read aloud
(`audio/tts/abbreviations.tsv`, with an operator's own rows over it): one table, so the page
and the bulletin say "Chỉ thị số 05 của Đảng ủy" alike. Document symbols ("05-CT/ĐU",
"123/QĐ-UBND") become words, bare abbreviations ("UBND", "NQ") their full names, dates
"ngày 15 tháng 12 năm 2025"; brackets are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from audio.tts.normalise import Table, load_table
from pipelines.summarise.models import KeyPoint, PartyKind, PlainSentence, Task

__all__ = ["expand_abbreviations", "short_version"]

SENTENCES = 3
MAX_WORDS = 35  # a longer sentence is cut at its last ";" or "," before this many words

_PART = r"[A-ZĐƯ][A-Za-zĐđƯư]*"
_PARTY_SYMBOL = re.compile(
    rf"(?<![\w/.-])(?:[Ss]ố\s+)?(\d{{1,5}})-({_PART})/({_PART}(?:-{_PART})*)(?![\w/])"
)
_STATE_SYMBOL = re.compile(
    rf"(?<![\w/.-])(?:[Ss]ố\s+)?(\d{{1,5}})/(?:(\d{{4}})/)?({_PART})-({_PART}(?:-{_PART})*)(?![\w/])"
)
_BARE_SYMBOL = re.compile(rf"(?<![\w/.-])({_PART})[/-]({_PART})(?![\w/-])")
_DATE = re.compile(r"(?<![\w/])(ngày\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\w/])")
_BRACKETS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_QUARTER = re.compile(r"\b([Qq]uý)\s+(IV|I{1,3})(?:\s*/\s*(\d{4}))?(?!\w)")
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}
# Tasks that fall to a cell or its members come first in the short version: it is read in the
# cell ("what this means for us").
_OUR_KINDS = {PartyKind.cell, PartyKind.cell_committee, PartyKind.secretary, PartyKind.member}


def _issuer(code: str, table: Table) -> str:
    return " ".join(table.issuers.get(p) or table.words.get(p) or p for p in code.split("-"))


def _symbol(kind: str, number: str, issuer: str, year: str | None, before: str, t: Table) -> str:
    named = before.rstrip().lower().endswith(t.doctypes.get(kind, kind).lower())
    head = "" if named else t.doctypes.get(kind, kind).capitalize() + " "
    return f"{head}số {number}" + (f" năm {year}" if year else "") + f" của {_issuer(issuer, t)}"


def _words(table: Table) -> re.Pattern[str]:
    keys = sorted({*table.words, *table.issuers, *table.doctypes}, key=len, reverse=True)
    return re.compile("|".join(rf"(?<![\w/-]){re.escape(k)}(?![\w/-])" for k in keys))


def _date(m: re.Match[str]) -> str:
    day, month, year = int(m.group(2)), int(m.group(3)), m.group(4)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return m.group(0)
    return f"ngày {day} tháng {month}" + (f" năm {year}" if year else "")


def expand_abbreviations(text: str, table: Table | None = None) -> str:
    """`text` with its document symbols, abbreviations and numeric dates written out."""
    t = table or load_table()
    text = _BRACKETS.sub("", text)
    text = _STATE_SYMBOL.sub(
        lambda m: _symbol(m.group(3), m.group(1), m.group(4), m.group(2), m.string[: m.start()], t),
        text,
    )
    text = _PARTY_SYMBOL.sub(
        lambda m: _symbol(m.group(2), m.group(1), m.group(3), None, m.string[: m.start()], t), text
    )

    def bare(m: re.Match[str]) -> str:
        kind, issuer = m.group(1), m.group(2)
        if kind in t.doctypes and (issuer in t.issuers or issuer in t.words):
            return f"{t.doctypes[kind]} của {_issuer(issuer, t)}"
        return m.group(0)

    text = _BARE_SYMBOL.sub(bare, text)
    text = _DATE.sub(_date, text)
    text = _QUARTER.sub(
        lambda m: (
            f"{m.group(1)} {_QUARTERS[m.group(2)]}" + (f" năm {m.group(3)}" if m.group(3) else "")
        ),
        text,
    )
    words = {**t.doctypes, **t.issuers, **t.words}
    text = _words(t).sub(lambda m: words[m.group(0)], text)
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s+", " ", text)).strip()


def _plain(text: str) -> str:
    words = text.split()
    if len(words) > MAX_WORDS:
        head = " ".join(words[:MAX_WORDS])
        cut = max(head.rfind(";"), head.rfind(","))
        text = head[:cut] if cut > len(head) // 3 else head
    text = text.strip(" ,;:-")
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def short_version(
    points: Sequence[KeyPoint], tasks: Sequence[Task], table: Table | None = None
) -> list[PlainSentence]:
    """Three plain sentences: the two most central key points and the first dated task of a
    cell or its members (else any task with a deadline, else the next key point), most central first, abbreviations written out."""
    by_score = sorted(range(len(points)), key=lambda i: (-points[i].score, i))
    chosen: list[tuple[str, str]] = [(points[i].text, points[i].chunk_id) for i in by_score[:2]]
    dated = [t for t in tasks if t.deadline is not None and t.deadline.due is not None]
    task = next((t for t in dated if t.responsible_kind in _OUR_KINDS), None)
    task = task or next(iter(dated), None)
    task = task or next((t for t in tasks if t.deadline is not None), None)
    if task is not None and all(task.chunk_id != c or task.text != s for s, c in chosen):
        chosen.append((task.text, task.chunk_id))
    for i in by_score[2:]:
        if len(chosen) >= SENTENCES:
            break
        chosen.append((points[i].text, points[i].chunk_id))
    return [
        PlainSentence(text=_plain(expand_abbreviations(text, table)), chunk_ids=[chunk])
        for text, chunk in chosen[:SENTENCES]
    ]
