"""A text cut for listening: sections (each a chapter), paragraphs, short sentences, all
normalised; and the cache key of what it will sound like.

Headings are lines starting with `#`, numbered lines without a final stop ("I. Tình hình
chung", "2. Nhiệm vụ tháng tới") and lines in capitals; a blank line or a line ending in a stop
ends a paragraph (hard-wrapped lines are joined).
"""

from __future__ import annotations

import hashlib
import json
import re

from pydantic import BaseModel

from audio.tts.base import EmptyText, TtsConfig
from audio.tts.normalise import Table, check_text, load_table, normalise_line, version

_HASH_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_NUMBERED_HEADING = re.compile(r"^(?:[IVXL]{1,6}|\d{1,2}(?:\.\d{1,2})*)[.)]\s+\S")
_BULLET = re.compile(r"^\s*(?:[-–—•*+▪●◦]|\d{1,2}\))\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_CLAUSE_END = re.compile(r"(?<=[,:])\s+")
_LETTER = re.compile(r"[^\W\d_]")
_MIN_PIECE = 6


class ScriptSection(BaseModel):
    """One chapter: its title as written, and its paragraphs as lists of spoken sentences
    (the heading, when there is one, is the first paragraph)."""

    title: str
    paragraphs: list[list[str]]


class Script(BaseModel):
    sections: list[ScriptSection]
    cache_key: str

    def sentences(self) -> list[str]:
        return [s for sec in self.sections for p in sec.paragraphs for s in p]

    def transcript(self) -> str:
        """The text as spoken, a paragraph a line, a blank line between sections."""
        return "\n\n".join("\n".join(" ".join(p) for p in sec.paragraphs) for sec in self.sections)


def _is_heading(line: str) -> bool:
    if _HASH_HEADING.match(line):
        return True
    if len(line) > 120 or line[-1] in ".!?;,":
        return False
    if _NUMBERED_HEADING.match(line):
        return True
    letters = [ch for ch in line if ch.isalpha()]
    return len(line.split()) >= 2 and len(letters) >= 4 and all(ch.isupper() for ch in letters)


def split_text(text: str) -> list[tuple[str, list[str]]]:
    """(heading or "", paragraphs as written) per section, in order."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    current: list[str] = []

    def end_paragraph() -> None:
        if current:
            sections[-1][1].append(" ".join(current))
            current.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            end_paragraph()
            continue
        if _is_heading(line):
            end_paragraph()
            match = _HASH_HEADING.match(line)
            sections.append((match.group(1) if match else line, []))
            continue
        if _BULLET.match(line):
            end_paragraph()
        current.append(line)
        if line[-1] in ".!?:;":
            end_paragraph()
    end_paragraph()
    return [(h, ps) for h, ps in sections if h or ps]


def short_sentences(paragraph: str, max_words: int) -> list[str]:
    """A spoken paragraph cut at stops, and sentences over `max_words` at commas (never into a
    piece under `_MIN_PIECE` words, so "kiểm tra, giám sát" stays whole), each ending in a stop."""
    out: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        clauses = _CLAUSE_END.split(sentence)
        sizes = [len(c.split()) for c in clauses]
        pieces: list[str] = []
        current: list[str] = []
        size = 0
        for i, clause in enumerate(clauses):
            rest = sum(sizes[i:])
            if current and size + sizes[i] > max_words and min(size, rest) >= _MIN_PIECE:
                pieces.append(" ".join(current))
                current, size = [], 0
            current.append(clause)
            size += sizes[i]
        if current:
            pieces.append(" ".join(current))
        for piece in pieces:
            piece = piece.strip().rstrip(",:; ")
            if not _LETTER.search(piece):
                continue
            out.append(piece if piece[-1] in ".!?" else piece + ".")
    # A number read out before an item ("một.") is said with the item, not alone.
    merged: list[str] = []
    for piece in out:
        if merged and len(merged[-1].split()) < 3:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def _title(heading: str, first: list[str]) -> str:
    if heading:
        return heading
    words = " ".join(first).split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


def cache_key(sections: list[ScriptSection], config: TtsConfig, table: Table) -> str:
    """sha256 of (normalised text, voices, settings): unchanged text is never spoken again."""
    voice = config.model_dump(exclude={"workers", "max_chars", "abbreviations_path"})
    payload = {
        "schema": "sotay-tts/1",
        "normaliser": version(table),
        "text": [[s.title, s.paragraphs] for s in sections],
        "settings": voice,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()


def prepare(text: str, config: TtsConfig) -> Script:
    """Check, cut and normalise a text; `EmptyText` when nothing in it can be spoken."""
    text = check_text(text, max_chars=config.max_chars)
    table = load_table(config.abbreviations_path)
    sections: list[ScriptSection] = []
    for heading, paragraphs in split_text(text):
        spoken: list[list[str]] = []
        if heading:
            said = short_sentences(normalise_line(heading, table), config.max_sentence_words)
            if said:  # a heading is said in one breath
                spoken.append([" ".join(said)])
        for written in paragraphs:
            said = short_sentences(normalise_line(written, table), config.max_sentence_words)
            if said:
                spoken.append(said)
        if spoken:
            raw_first = [paragraphs[0]] if paragraphs and not heading else []
            sections.append(ScriptSection(title=_title(heading, raw_first), paragraphs=spoken))
    if not sections:
        raise EmptyText("the text has nothing to read aloud")
    return Script(sections=sections, cache_key=cache_key(sections, config, table))
