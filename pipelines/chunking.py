"""Structure-aware chunking: headings and the Vietnamese legal structure (Chương, Mục, Điều,
Khoản "1.", Điểm "a)") decide where chunks start, and each chunk knows its article label.

A khoản (with its điểm) is one chunk, cited as "Điều 5, khoản 2"; an article without numbered
clauses is one chunk, "Điều 5". Outside legal structure, paragraphs under a heading are packed
into chunks of at most `max_chars`, cut only at paragraph or sentence boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel

from app.core.text import nfc

_CHUONG = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLCDM]+|\d+)\b\.?\s*(.*)$")
_MUC = re.compile(r"^(?:Mục|MỤC)\s+(\d+|[IVXLCDM]+)\b\.?\s*(.*)$")
_PHAN = re.compile(r"^(?:Phần|PHẦN)\s+(thứ\s+\S+|[IVXLCDM]+|\d+)\b\.?\s*(.*)$", re.IGNORECASE)
_DIEU = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d+[a-z]?)\s*[.:]?\s*(.*)$")
_KHOAN = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_DIEM = re.compile(r"^([a-zđ])\)\s+(\S.*)$")
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


def structural(line: str) -> bool:
    """Whether a line opens a legal unit (so a PDF line break before it is a real break)."""
    return bool(
        _CHUONG.match(line)
        or _MUC.match(line)
        or _PHAN.match(line)
        or _DIEU.match(line)
        or _KHOAN.match(line)
        or _DIEM.match(line)
    )


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


class _Builder:
    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.chunks: list[Chunk] = []
        self.headings: list[tuple[int, str]] = []  # (level, text) for free-form headings
        self.chuong = ""
        self.muc = ""
        self.dieu = ""  # "Điều 5"
        self.dieu_title = ""
        self.khoan = ""
        self.body: list[str] = []
        # Whether the current article has produced any text: a one-line article ("Điều 3.
        # Quyết định này có hiệu lực kể từ ngày ký.") is all title, and must not be lost.
        self.dieu_has_body = False
        # Which heading's title may still follow on the next line ("" when none).
        self.pending = ""

    def path(self) -> list[str]:
        parts = [h for _, h in self.headings]
        parts += [p for p in (self.chuong, self.muc, self.dieu_title) if p]
        return parts

    def article(self) -> str:
        if not self.dieu:
            return ""
        return f"{self.dieu}, khoản {self.khoan}" if self.khoan else self.dieu

    def close_article(self) -> None:
        """End the current article: flush it, and keep a one-line article's own words."""
        if self.dieu and not self.dieu_has_body and not self.body:
            m = _DIEU.match(self.dieu_title)
            if m and m.group(2):
                self.body.append(m.group(2))
        self.flush()
        self.dieu_has_body = False

    def flush(self) -> None:
        if not self.body:
            return
        if self.dieu:
            self.dieu_has_body = True
        article, headings = self.article(), self.path()
        for text in _pack(self.body, self.max_chars):
            self.chunks.append(
                Chunk(ordinal=len(self.chunks), text=text, article=article, headings=headings)
            )
        self.body = []

    def add(self, block: Block) -> None:
        text = block.text.strip()
        if not text:
            return
        if self.pending and not structural(text) and len(text) <= 200:
            # "Chương I" on one line and its title ("NHỮNG QUY ĐỊNH CHUNG") on the next.
            self._set_title(f"{self._title(self.pending)} {text}")
            self.pending = ""
            return
        self.pending = ""
        if m := _PHAN.match(text):
            self.close_article()
            self.chuong = self.muc = self.dieu = self.dieu_title = self.khoan = ""
            self.headings = [(0, text)]
            self.pending = "" if m.group(2) else "phan"
        elif m := _CHUONG.match(text):
            self.close_article()
            self.chuong, self.muc, self.dieu, self.dieu_title, self.khoan = text, "", "", "", ""
            self.pending = "" if m.group(2) else "chuong"
        elif m := _MUC.match(text):
            self.close_article()
            self.muc, self.dieu, self.dieu_title, self.khoan = text, "", "", ""
            self.pending = "" if m.group(2) else "muc"
        elif m := _DIEU.match(text):
            self.close_article()
            self.dieu, self.dieu_title, self.khoan = f"Điều {m.group(1)}", text, ""
            self.pending = "" if m.group(2) else "dieu"
        elif block.level is not None:
            # A free-form heading (DOCX style, HTML h1-h6, Markdown #) closes legal context.
            self.close_article()
            self.chuong = self.muc = self.dieu = self.dieu_title = self.khoan = ""
            self.headings = [(lv, h) for lv, h in self.headings if lv < block.level]
            self.headings.append((block.level, text))
        elif self.dieu and (m := _KHOAN.match(text)):
            self.flush()
            self.khoan = m.group(1)
            self.body.append(text)
        else:
            # Điểm "a)" and ordinary paragraphs stay in the current chunk.
            self.body.append(text)

    def _title(self, which: str) -> str:
        return {
            "phan": self.headings[-1][1] if self.headings else "",
            "chuong": self.chuong,
            "muc": self.muc,
            "dieu": self.dieu_title,
        }[which]

    def _set_title(self, title: str) -> None:
        match self.pending:
            case "phan":
                self.headings = [(0, title)]
            case "chuong":
                self.chuong = title
            case "muc":
                self.muc = title
            case "dieu":
                self.dieu_title = title


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
    for block in blocks:
        builder.add(Block(nfc(block.text), block.level))
    builder.close_article()
    return builder.chunks


def chunk_text(text: str, max_chars: int = 1500) -> list[Chunk]:
    """Chunks of plain text (TXT, or a paragraph handed over as a string)."""
    return chunk_blocks(blocks_from_lines(text.splitlines()), max_chars)
