"""Decides what an uploaded file really is from its content, and refuses broken or hostile files.

The upload path (app.documents) and the indexer (pipelines.ingest) both check files here, so
they refuse the same files for the same reasons; the app turns a refusal into its own error.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import DocumentSettings
from pipelines.errors import Refused


class UnsupportedType(Refused):
    status_code = 415
    code = "unsupported_type"


@dataclass(frozen=True)
class FileType:
    kind: str  # pdf, docx, text, markdown, html
    mime: str


PDF = FileType("pdf", "application/pdf")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
TEXT = FileType("text", "text/plain; charset=utf-8")
MARKDOWN = FileType("markdown", "text/markdown; charset=utf-8")
HTML = FileType("html", "text/html; charset=utf-8")

# What each accepted extension must turn out to contain.
EXTENSIONS: dict[str, FileType] = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".txt": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
}
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]", re.I | re.S
)


def _extension(filename: str) -> str:
    return Path(filename).suffix.lower()


def detect(path: Path) -> str:
    """The content's kind from its first bytes: pdf, zip, html, text or binary."""
    with path.open("rb") as f:
        head = f.read(4096)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if b"\x00" in head:
        return "binary"
    if _HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "html"
    return "text"


def check_file(path: Path, filename: str, size: int, limits: DocumentSettings) -> FileType:
    """The file's type if it is acceptable; otherwise a clear 4xx error."""
    if size == 0:
        raise Refused("Tệp rỗng (0 byte)")
    ext = _extension(filename)
    expected = EXTENSIONS.get(ext)
    if expected is None:
        raise UnsupportedType(
            "Định dạng tệp không được hỗ trợ. Chỉ nhận PDF, DOCX, TXT, MD hoặc HTML."
        )
    found = detect(path)
    if expected is PDF:
        _expect(found == "pdf")
        _check_pdf(path)
    elif expected is DOCX:
        _expect(found == "zip")
        _check_docx(path, limits)
    elif expected is HTML:
        _expect(found == "html")
        _check_utf8(path)
    else:
        # Markdown may carry inline HTML, so only binary content is out of place here.
        _expect(found in ("text", "html"))
        _check_utf8(path)
    return expected


def _expect(ok: bool) -> None:
    if not ok:
        raise UnsupportedType("Nội dung tệp không khớp với phần mở rộng của tên tệp")


def _check_utf8(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused("Tệp văn bản phải được mã hóa UTF-8") from exc
    if "\x00" in text:
        raise Refused("Tệp văn bản chứa dữ liệu nhị phân")


def _check_pdf(path: Path) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    with path.open("rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - 2048))
        tail = f.read()
    # pypdf repairs a cut-off file quietly; a PDF that lost its end is still a broken upload.
    if b"%%EOF" not in tail:
        raise Refused("Tệp PDF bị cắt cụt hoặc hỏng")
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            raise Refused("Tệp PDF có mật khẩu hoặc bị mã hóa; hãy tải lên bản không khóa")
        if len(reader.pages) == 0:
            raise Refused("Tệp PDF không có trang nào")
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise Refused("Tệp PDF bị cắt cụt hoặc hỏng") from exc


def _check_docx(path: Path, limits: DocumentSettings) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > limits.max_zip_entries:
                raise Refused("Tệp DOCX có quá nhiều thành phần")
            # Sizes come from the central directory, checked before anything is inflated.
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > limits.max_unzipped_bytes or total / packed > limits.max_zip_ratio:
                raise Refused("Tệp DOCX bị nén bất thường (nghi ngờ bom nén); không nhận")
            names = {i.filename for i in infos}
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise UnsupportedType("Tệp không phải tài liệu Word (DOCX) hợp lệ")
            if z.testzip() is not None:
                raise Refused("Tệp DOCX bị hỏng")
    except zipfile.BadZipFile as exc:
        raise Refused("Tệp DOCX bị hỏng") from exc
