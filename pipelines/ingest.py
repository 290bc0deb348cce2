"""Text and structure out of PDF, DOCX, TXT/MD and HTML files, then structure-aware chunks.

Files are checked by `pipelines.sniff` first (0 bytes, type by content, truncated or encrypted
PDF, DOCX zip bombs): the upload path and the indexer refuse the same files for the same
reasons. Whatever sniff refuses is re-raised as `RejectedFile`; what only extraction can tell
(a PDF without a text layer, a DOCX that will not parse) gets its own type here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from pydantic import BaseModel

from pipelines import sniff
from pipelines.chunking import Block, Chunk, blocks_from_lines, chunk_blocks
from pipelines.config import DocumentSettings
from pipelines.errors import Refused
from pipelines.text import nfc

# A page with fewer letters than this is taken as an image (scan, stamp, signature page).
_MIN_LETTERS_PER_TEXT_PAGE = 20
_WORDY = re.compile(r"[^\W_]")


class IngestError(Refused):
    """A document that cannot be indexed; the message says why, for the uploader."""

    code = "ingest_error"


class EmptyFile(IngestError):
    code = "empty_file"


class RejectedFile(IngestError):
    """Refused by the upload checks (type, truncation, encryption, zip bomb); wraps their
    message and keeps their code in `reason`."""

    code = "rejected_file"

    def __init__(self, cause: Refused) -> None:
        super().__init__(cause.message, details=cause.details, **cause.params)
        self.reason = cause.code
        self.status_code = cause.status_code  # 415 for a wrong type, 422 for a broken file


class ScannedPdf(IngestError):
    code = "scanned_pdf"


class CorruptFile(IngestError):
    code = "corrupt_file"


class NoText(IngestError):
    code = "no_text"


class ExtractedDocument(BaseModel):
    kind: str
    title: str = ""
    blocks: list[tuple[str, int | None]]
    pages: int | None = None


def extract(path: Path, filename: str, limits: DocumentSettings | None = None) -> ExtractedDocument:
    """Paragraphs (with heading levels where the format has them) of an uploaded file."""
    limits = limits or DocumentSettings()
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile("Tệp rỗng (0 byte)")
    try:
        ftype = sniff.check_file(path, filename, size, limits)
    except Refused as exc:
        raise RejectedFile(exc) from exc
    match ftype.kind:
        case "pdf":
            doc = _pdf(path)
        case "docx":
            doc = _docx(path)
        case "html":
            doc = _html(path.read_text(encoding="utf-8-sig"))
        case "markdown":
            doc = _markdown(path.read_text(encoding="utf-8-sig"))
        case _:
            doc = _plain(path.read_text(encoding="utf-8-sig"), "text")
    # Word characters, not just non-blank ones: rules, dots and zero-width spaces are not text.
    if not any(_WORDY.search(text) for text, _ in doc.blocks):
        raise NoText("Tài liệu không có nội dung văn bản để lập chỉ mục")
    return doc


def ingest_file(
    path: Path, filename: str, limits: DocumentSettings | None = None, max_chars: int = 1500
) -> tuple[ExtractedDocument, list[Chunk]]:
    """Extract and chunk a file: the chunks carry article labels and heading paths."""
    doc = extract(path, filename, limits)
    blocks = [Block(text, level) for text, level in doc.blocks]
    chunks = chunk_blocks(blocks, max_chars=max_chars)
    if not chunks:
        # Headings alone ("Chương I", "Điều 1.") give no passage to answer from: indexing zero
        # chunks would report success for a document nobody can ever find.
        raise NoText("Tài liệu chỉ có tiêu đề, không có đoạn nội dung nào để lập chỉ mục")
    return doc, chunks


def _plain(text: str, kind: str) -> ExtractedDocument:
    blocks = blocks_from_lines(nfc(text).splitlines())
    return ExtractedDocument(kind=kind, blocks=[(b.text, b.level) for b in blocks])


def _markdown(text: str) -> ExtractedDocument:
    blocks: list[tuple[str, int | None]] = []
    lines: list[str] = []

    def flush() -> None:
        blocks.extend((b.text, None) for b in blocks_from_lines(lines))
        lines.clear()

    for line in nfc(text).splitlines():
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if heading:
            flush()
            blocks.append((heading.group(2), len(heading.group(1))))
        else:
            # List markers and emphasis carry no meaning for retrieval.
            lines.append(re.sub(r"^\s*[-*+]\s+", "", line).replace("**", "").replace("__", ""))
    flush()
    title = next((t for t, level in blocks if level == 1), "")
    return ExtractedDocument(kind="markdown", title=title, blocks=blocks)


def _pdf(path: Path) -> ExtractedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path), strict=False)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise CorruptFile("Không đọc được nội dung tệp PDF") from exc
    text_pages = [p for p in pages if sum(ch.isalpha() for ch in p) >= _MIN_LETTERS_PER_TEXT_PAGE]
    if not text_pages:
        raise ScannedPdf(
            "Tệp PDF không có lớp văn bản (bản quét ảnh); hãy tải lên bản PDF có chữ "
            "hoặc bản Word. Nhận dạng chữ (OCR) chưa được hỗ trợ."
        )
    blocks = blocks_from_lines("\n".join(pages).splitlines())
    title = str(reader.metadata.get("/Title") or "") if reader.metadata is not None else ""
    return ExtractedDocument(
        kind="pdf", title=nfc(title), blocks=[(b.text, None) for b in blocks], pages=len(pages)
    )


def _docx(path: Path) -> ExtractedDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise CorruptFile("Không đọc được nội dung tệp DOCX") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and friends: a broken part inside the zip
        raise CorruptFile("Không đọc được nội dung tệp DOCX") from exc
    blocks: list[tuple[str, int | None]] = []
    for para in document.paragraphs:
        text = nfc(" ".join(para.text.split()))
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        level: int | None = None
        if style == "Title":
            level = 1
        elif m := re.match(r"Heading (\d)", style):
            level = int(m.group(1))
        blocks.append((text, level))
    for table in document.tables:
        for row in table.rows:
            cells = [nfc(" ".join(c.text.split())) for c in row.cells]
            line = " | ".join(dict.fromkeys(c for c in cells if c))
            if line:
                blocks.append((line, None))
    title = nfc(document.core_properties.title or "")
    return ExtractedDocument(kind="docx", title=title, blocks=blocks)


class _HTMLText(HTMLParser):
    _BLOCK = {"p", "div", "li", "tr", "br", "section", "article", "blockquote", "pre", "td"}
    _SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, int | None]] = []
        self.title = ""
        self._buf: list[str] = []
        self._level: int | None = None
        self._skip = 0
        self._in_title = False

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            self.blocks.append((text, self._level))
        self._buf = []
        self._level = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIP:
            self._skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self._level = int(tag[1])
        elif tag in self._BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in self._BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self._buf.append(data)


def _html(text: str) -> ExtractedDocument:
    parser = _HTMLText()
    parser.feed(nfc(text))
    parser.close()
    parser._flush()
    blocks = [(nfc(t), level) for t, level in parser.blocks]
    return ExtractedDocument(kind="html", title=nfc(" ".join(parser.title.split())), blocks=blocks)
