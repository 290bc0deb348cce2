"""Structure-aware chunking: units (Phần, Chương, Mục, Điều, khoản, "I.", "1.", "a)") decide where chunks start, and no word of the body is lost."""

# A khoản (with its điểm) is one chunk, cited as "Điều 5, khoản 2"; an article without numbered
# clauses is one chunk, "Điều 5"; outside articles a chunk is cited by its Mục, Chương or Phần.
# Paragraphs under a heading are packed into chunks of at most `max_chars`, cut only at
# paragraph or sentence boundaries. Content after a label ("Mục 1. Đối tượng: đảng viên…") is
# body, and a heading nothing was written under gives its title as the body: every word of
# the body is in exactly one chunk's text (pipelines/headings.py decides what is a heading).

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from pipelines import headings as hd
from pipelines.headings import structural
from pipelines.text import nfc

__all__ = [
    "CHUNKING_VERSION",
    "Block",
    "Chunk",
    "blocks_from_lines",
    "chunk_blocks",
    "chunk_text",
    "structural",
]

# Bump when the same text chunks differently: chunks indexed before are then out of date.
CHUNKING_VERSION = 2

_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+")
# A line ending like this is finished; otherwise a PDF line break is just the page width.
_LINE_END = re.compile(r"[.:;!?…]$|^.{0,60}$")


@dataclass(frozen=True)
class Block:
    """A paragraph of extracted text; `level` is set for headings (1 = top)."""

    text: str
    level: int | None = None


class Chunk(BaseModel):
    ordinal: int
    text: str
    article: str = ""
    headings: list[str] = []


def blocks_from_lines(lines: Iterable[str]) -> list[Block]:
    """Paragraphs from plain text lines (TXT, PDF): blank lines and structural markers start a
    new paragraph; other line breaks are re-joined when the line before did not end a sentence."""
    blocks: list[Block] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(Block(" ".join(current)))
            current.clear()

    for raw in lines:
        line = " ".join(nfc(raw).split())
        if not line:
            flush()
            continue
        if current and (structural(line) or _LINE_END.search(current[-1])):
            flush()
        current.append(line)
    flush()
    return blocks


@dataclass
class _Entry:
    """An open unit: `heading` as shown in paths, `title` its words beyond the label (the body
    if nothing is written under it), `emitted` whether a chunk was made under it."""

    style: str  # "free" for format headings (DOCX, HTML, Markdown), else a Label style
    rank: int
    label: str
    heading: str
    title: str = ""
    emitted: bool = False
    awaits_title: bool = False

    @property
    def family(self) -> str:
        if self.style == "free":
            return "free"
        if self.style == "phan":
            return "both"
        return "legal" if self.style in hd.LEGAL else "outline"


class _Builder:
    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.chunks: list[Chunk] = []
        self.stack: list[_Entry] = []
        self.khoan = ""
        self.body: list[str] = []
        # The style of the last outline line kept as a list item.
        self.list_style = ""

    # -- context --------------------------------------------------------------------------

    def in_article(self) -> bool:
        return any(e.style == "dieu" for e in self.stack)

    def article(self) -> str:
        for e in reversed(self.stack):
            if e.style == "dieu":
                return f"{e.label}, khoản {self.khoan}" if self.khoan else e.label
        for style in ("muc", "chuong", "phan"):
            for e in reversed(self.stack):
                if e.style == style:
                    return e.label
        return ""

    def flush(self) -> None:
        if not self.body:
            return
        article, path = self.article(), [e.heading for e in self.stack]
        for text in _pack(self.body, self.max_chars):
            self.chunks.append(
                Chunk(ordinal=len(self.chunks), text=text, article=article, headings=path)
            )
        for e in self.stack:
            e.emitted = True
        self.body = []

    # -- units ----------------------------------------------------------------------------

    def close_from(self, index: int) -> None:
        """Close the units from `index` up, innermost first; one nothing was written under
        gives its title as its body ("Điều 3. Quyết định này có hiệu lực kể từ ngày ký")."""
        self.flush()
        while len(self.stack) > index:
            top = self.stack[-1]
            if not top.emitted and top.title:
                self.body.append(top.title)
                self.flush()
            self.stack.pop()
            self.khoan = ""

    def open(self, entry: _Entry) -> None:
        """Open a unit: it closes its earlier siblings and every unit below them."""
        for i, e in enumerate(self.stack):
            if entry.family == "free":
                closes = e.style != "free" or e.rank >= entry.rank
            else:
                compatible = "both" in (e.family, entry.family) or e.family == entry.family
                closes = e.style == entry.style or (compatible and e.rank >= entry.rank)
            if closes:
                self.close_from(i)
                break
        else:
            self.flush()
        for e in self.stack:
            e.awaits_title = False
        self.stack.append(entry)
        self.khoan = ""
        self.list_style = ""

    def open_label(self, text: str, label: hd.Label, inline_content: bool = True) -> None:
        title, content = hd.split_title(label.rest, inline_content)
        heading = f"{label.prefix}{title}".strip() if title else label.label
        entry = _Entry(label.style, label.rank, label.label, heading, title)
        entry.awaits_title = not label.rest.strip()
        if entry.awaits_title:
            entry.heading = text.strip()
        self.open(entry)
        if content:
            self.body.append(content)

    def take_title(self, text: str) -> bool:
        """A label alone on its line ("Chương I", "Mục 1") takes a title-like next line as
        its title ("NHỮNG QUY ĐỊNH CHUNG"; "Đối tượng: đảng viên…" gives content too)."""
        top = self.stack[-1]
        top.awaits_title = False
        title, content = hd.split_title(text, inline_content=top.style in hd.LEGAL)
        if not title:
            return False
        top.heading, top.title = f"{top.heading} {title}", title
        if content:
            self.body.append(content)
        return True

    def outline_heading(self, label: hd.Label, following: Block | None) -> bool:
        """Whether an outline line ("I. MỤC ĐÍCH", "1. Mục đích", "a) …") heads what follows:
        its rest is a title, and the next paragraph is its content or a deeper unit (not a
        sibling, which makes both list items)."""
        # After an item of a list, its siblings are items too ("1. Đồng chí A", "2. Đồng chí
        # B"), unless written as an upper-case title ("II. YÊU CẦU").
        if self.list_style == label.style and not hd.is_upper(label.rest):
            return False
        title, content = hd.split_title(label.rest, inline_content=False)
        if not title or content or following is None or following.level is not None:
            return False
        nxt = following.text.strip()
        if word := hd.word_label(nxt):
            return word.style != "phan"
        if (sub := hd.outline_label(nxt)) is not None:
            return sub.rank > label.rank
        return True

    def add(self, block: Block, following: Block | None) -> None:
        text = block.text.strip()
        if not text:
            return
        awaits = bool(self.stack) and self.stack[-1].awaits_title and not structural(text)
        if awaits and self.take_title(text):
            return
        if label := hd.word_label(text):
            self.open_label(text, label)
        elif block.level is not None:
            # A format heading (DOCX style, HTML h1-h6, Markdown #) closes legal context.
            self.open(_Entry("free", block.level, "", text, text))
        elif self.in_article():
            if number := hd.khoan(text):
                self.flush()
                self.khoan = number
            # Điểm "a)" and ordinary paragraphs stay in the current chunk.
            self.body.append(text)
        elif (label := hd.outline_label(text)) and self.outline_heading(label, following):
            self.open_label(text, label, inline_content=False)
        else:
            if label is not None:
                self.list_style = label.style
            self.body.append(text)


def _pack(paragraphs: list[str], max_chars: int) -> list[str]:
    """Join paragraphs into pieces of at most max_chars; an over-long paragraph is cut at
    sentence ends (a single sentence longer than the limit stays whole)."""
    pieces: list[str] = []
    current = ""
    for para in paragraphs:
        units = [para] if len(para) <= max_chars else _SENTENCE_END.split(para)
        for unit in units:
            joiner = "\n" if unit is para else " "
            if current and len(current) + len(unit) + 1 > max_chars:
                pieces.append(current)
                current = unit
            else:
                current = f"{current}{joiner}{unit}" if current else unit
        if current and units[-1] is not para:
            # A cut paragraph ends its piece, so the next paragraph starts clean.
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def chunk_blocks(blocks: Iterable[Block], max_chars: int = 1500) -> list[Chunk]:
    """Chunks of a document, in order, each with its article label and heading path."""
    builder = _Builder(max_chars)
    items: Sequence[Block] = [Block(nfc(b.text), b.level) for b in blocks]
    for i, block in enumerate(items):
        builder.add(block, items[i + 1] if i + 1 < len(items) else None)
    builder.close_from(0)
    return builder.chunks


def chunk_text(text: str, max_chars: int = 1500) -> list[Chunk]:
    """Chunks of plain text (TXT, or a paragraph handed over as a string)."""
    return chunk_blocks(blocks_from_lines(text.splitlines()), max_chars)
