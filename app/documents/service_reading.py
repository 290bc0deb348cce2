"""A document's text for reading on its page: the paragraphs the indexer extracts (TXT, PDF,
DOCX, HTML, Markdown), with Phần/Chương/Mục/Điều as headings, khoản and điểm as lists, and an
anchor on each so a table of contents and a Hỏi đáp citation can jump to them.

Only plain text comes out of the file (the page escapes it): nothing of the file is ever sent
to the browser as markup.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.errors import AppError
from app.core.text import fold
from app.documents import service
from app.documents.models import Document
from app.documents.service_storage import get_storage
from pipelines import headings as hd
from pipelines.errors import Refused
from pipelines.ingest import extract

MAX_BLOCKS = 4000  # a longer text is cut there; the file stays downloadable
_KHOAN = re.compile(r"^(\d{1,3})[.)]\s+")
_POINT = re.compile(r"^([a-zđ])\)\s+")
_BULLET = re.compile(r"^[-+•–*]\s*")
_SPACES = re.compile(r"\s+")


@dataclass
class Item:
    """A numbered clause ("1.") or lettered point ("a)") or bullet, with its points."""

    marker: str
    text: str
    anchor: str = ""
    cited: bool = False
    first: bool = False  # the first cited piece carries the page's #passage anchor
    points: list[Item] = field(default_factory=list)
    # The index chunks that start here ("d12v3c7"): each gets an anchor a summary links to.
    chunks: list[str] = field(default_factory=list)


@dataclass
class Part:
    """One piece of the text in reading order: a heading, a paragraph or a list."""

    kind: str  # "heading" | "para" | "list"
    text: str = ""
    level: int = 0  # h3..h5: the page's "Nội dung văn bản" is the h2 above them
    anchor: str = ""
    cited: bool = False
    first: bool = False
    items: list[Item] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)


@dataclass
class Reading:
    parts: list[Part]
    toc: list[tuple[str, str]]  # (anchor, label) of each Chương and Điều
    cut: bool = False
    cited_found: bool = False
    chunk_anchors: set[str] = field(default_factory=set)  # the chunk keys placed in the text


class Unreadable(AppError):
    """The text cannot be shown (scanned PDF, missing file): the message says why."""

    code = "unreadable"


def reading_of(
    session: Session, settings: Settings, doc: Document, cited: str | None = None
) -> Reading | None:
    """The document's current version as readable parts; None when it has no file."""
    versions = service.versions_of(session, doc.id)
    if not versions:
        return None
    current = versions[-1]
    blocks = _blocks(settings, current.sha256, current.original_filename)
    reading = _structure(blocks[:MAX_BLOCKS])
    reading.cut = len(blocks) > MAX_BLOCKS
    if cited:
        reading.cited_found = _mark(reading, cited)
    return reading


_CACHE: OrderedDict[tuple[str, str], tuple[tuple[str, int | None], ...]] = OrderedDict()
_CACHE_SIZE = 32


def _blocks(settings: Settings, sha256: str, filename: str) -> tuple[tuple[str, int | None], ...]:
    """The extracted paragraphs of a stored file, kept for the next readers (by content hash:
    a stored file never changes), so a PDF is not parsed again on every page view."""
    key = (sha256, filename)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    blocks = _extract(settings, sha256, filename)
    _CACHE[key] = blocks
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return blocks


def _extract(settings: Settings, sha256: str, filename: str) -> tuple[tuple[str, int | None], ...]:
    storage = get_storage(settings)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "file"
        try:
            with storage.open(sha256) as src, path.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        except OSError as exc:
            raise Unreadable("Không tìm thấy tệp của văn bản") from exc
        try:
            doc = extract(path, filename, settings.documents)
        except Refused as exc:
            raise Unreadable(exc.message, **exc.params) from exc
    return tuple(doc.blocks)


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", fold(text)).strip("-")


class _Builder:
    def __init__(self) -> None:
        self.parts: list[Part] = []
        self.toc: list[tuple[str, str]] = []
        self.article = ""  # the open Điều's anchor
        self.anchors: set[str] = set()

    def anchor(self, base: str) -> str:
        out, n = base, 2
        while out in self.anchors:
            out, n = f"{base}-{n}", n + 1
        self.anchors.add(out)
        return out

    def heading(self, text: str, level: int, anchor: str, toc: str = "") -> None:
        self.parts.append(Part("heading", text=text, level=level, anchor=anchor))
        if toc:
            self.toc.append((anchor, toc))

    def para(self, text: str) -> None:
        self.parts.append(Part("para", text=text, anchor=self.anchor(f"doan-{len(self.parts)}")))

    def item(self, marker: str, text: str, point: bool) -> None:
        last = self.parts[-1] if self.parts else None
        if point and last is not None and last.kind == "list" and last.items:
            parent = last.items[-1]
            anchor = self.anchor(f"{parent.anchor}-diem-{_slug(marker)}")
            parent.points.append(Item(marker, text, anchor))
            return
        if last is None or last.kind != "list":
            last = Part("list")
            self.parts.append(last)
        base = f"{self.article}-khoan-{_slug(marker)}" if self.article else f"muc-{_slug(marker)}"
        last.items.append(Item(marker, text, self.anchor(base)))

    def add(self, text: str, level: int | None) -> None:
        if level is not None:  # a heading by the file's own styles (DOCX, HTML, Markdown)
            self.heading(text, min(level + 2, 5), self.anchor(f"tieu-de-{len(self.parts)}"))
            return
        if label := hd.word_label(text):
            title, content = hd.split_title(label.rest)
            shown = f"{label.label}. {title}" if title else label.label
            anchor = self.anchor(_slug(f"{label.style}-{label.label.split()[-1]}"))
            if label.style == "dieu":
                self.article = anchor
                self.heading(shown, 4, anchor, toc=shown)
            elif label.style in ("phan", "chuong"):
                self.article = ""
                self.heading(shown, 3, anchor, toc=shown)
            else:
                self.article = ""
                self.heading(shown, 4, anchor)
            if content:
                self.para(content)
            return
        if m := _KHOAN.match(text):
            self.item(f"{m.group(1)}.", text[m.end() :], point=False)
        elif m := _POINT.match(text):
            self.item(f"{m.group(1)})", text[m.end() :], point=True)
        elif m := _BULLET.match(text):
            self.item("–", text[m.end() :], point=True)
        elif (
            (label := hd.outline_label(text))
            and label.style == "roman"
            and hd.title_like(label.rest)
        ):
            self.article = ""
            self.heading(text, 3, self.anchor(f"phan-{_slug(label.label)}"))
        else:
            self.para(text)


def _structure(blocks: tuple[tuple[str, int | None], ...]) -> Reading:
    builder = _Builder()
    for text, level in blocks:
        text = text.strip()
        if text:
            builder.add(text, level)
    return Reading(parts=builder.parts, toc=builder.toc)


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def _mark(reading: Reading, cited: str) -> bool:
    """Mark the paragraphs and clauses of the cited passage (the first run that matches)."""
    passage = _norm(cited)

    def hit(text: str) -> bool:
        t = _norm(text)
        return len(t) >= 12 and (t in passage or (len(passage) >= 12 and passage in t))

    found = False
    for part in reading.parts:
        targets: list[Part | Item] = [part] if part.kind == "para" else []
        for item in part.items:
            targets.append(item)
            targets.extend(item.points)
        matched = [t for t in targets if hit(t.text)]
        if matched:
            for t in matched:
                t.cited = True
            matched[0].first = not found
            found = True
        elif found and part.kind != "heading":
            break
    return found


def _pieces(reading: Reading) -> list[Part | Item]:
    out: list[Part | Item] = []
    for part in reading.parts:
        if part.kind != "list":
            out.append(part)
        for item in part.items:
            out.append(item)
            out.extend(item.points)
    return out


def anchors(reading: Reading) -> set[str]:
    """Every anchor the page's text carries (Điều, khoản, điểm, paragraph)."""
    return {p.anchor for p in _pieces(reading) if p.anchor}


def anchor_chunks(reading: Reading, chunks: list[tuple[str, str]]) -> set[str]:
    """Mark where each index chunk (key, text) starts in the text, so a summary's citation can
    link to the clause it came from; the keys placed are returned (and kept on the reading).

    A chunk starts with a paragraph of the file: a list item's text without its "1." marker, a
    heading's title when the article has nothing under it, or a sentence inside a long
    paragraph the indexer cut. Both walk the file in order, so the search only moves forward
    (a repeated sentence finds its own occurrence), and one that is not found is skipped."""
    pieces = _pieces(reading)
    texts = [_norm(p.text) for p in pieces]
    cursor, placed = 0, set[str]()
    for key, text in chunks:
        first = _norm(text.split("\n", 1)[0])
        if not first:
            continue
        head = first[:80]
        for i in range(cursor, len(pieces)):
            t = texts[i]
            if placed and i == cursor:
                # The piece the last chunk started in: only a later sentence of it (a long
                # paragraph the indexer cut) starts another chunk there.
                hit = t.find(head) > 0
            else:
                hit = bool(t) and (head in t or (len(t) >= 8 and t[:80] in first))
            if hit:
                pieces[i].chunks.append(key)
                placed.add(key)
                cursor = i
                break
    reading.chunk_anchors = placed
    return placed
