"""Extraction from real small files, and typed errors for files that cannot be indexed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipelines.ingest import (
    EmptyFile,
    IngestError,
    NoText,
    RejectedFile,
    ScannedPdf,
    extract,
    ingest_file,
)
from tests.factories.documents import pdf_bytes, zip_bomb_docx


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer (Helvetica, so ASCII lines only)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    ops = ["BT", "/F1 11 Tf", "14 TL", "40 800 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    stream = DecodedStreamObject()
    stream.set_data("\n".join(ops).encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("rong.pdf", b"", EmptyFile),
        ("rong.docx", b"", EmptyFile),
        ("cut.pdf", pdf_bytes(3)[:-400], RejectedFile),
        ("khoa.pdf", pdf_bytes(1, password="bi-mat"), RejectedFile),
        ("bom.docx", zip_bomb_docx(), RejectedFile),
        ("gia.docx", pdf_bytes(1), RejectedFile),
        ("quet.pdf", pdf_bytes(2), ScannedPdf),
    ],
)
def test_bad_files_raise_typed_errors(
    tmp_path: Path, name: str, data: bytes, error: type[IngestError]
) -> None:
    with pytest.raises(error) as info:
        extract(_write(tmp_path, name, data), name)
    assert isinstance(info.value, IngestError)
    assert info.value.status_code == 422 or info.value.code == "rejected_file"
    assert info.value.message  # a sentence the uploader can read


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("vach.txt", "-----\n\u200b\n. . .\n"),
        ("tieu-de.md", "# Chương I\n## Điều 1.\n"),
        ("tieu-de.txt", "CHƯƠNG II\nĐiều 3.\n"),
    ],
)
def test_text_without_a_passage_is_refused(tmp_path: Path, name: str, text: str) -> None:
    with pytest.raises(NoText) as info:
        ingest_file(_write(tmp_path, name, text.encode()), name)
    assert info.value.status_code == 422 and info.value.message


def test_rejections_keep_the_upload_checks_reason(tmp_path: Path) -> None:
    with pytest.raises(RejectedFile) as info:
        extract(_write(tmp_path, "khoa.pdf", pdf_bytes(1, password="x")), "khoa.pdf")
    assert "mã hóa" in info.value.message
    with pytest.raises(RejectedFile) as info:
        extract(_write(tmp_path, "bom.docx", zip_bomb_docx()), "bom.docx")
    assert "bom nén" in info.value.message


def test_pdf_text_layer_is_extracted_with_articles(tmp_path: Path) -> None:
    data = text_pdf(
        [
            "Dieu 1. Pham vi",
            "Quy dinh nay ap dung cho dang vien trong toan dang bo.",
            "Dieu 2. Mien sinh hoat",
            "1. Dang vien tuoi cao duoc mien sinh hoat dang.",
            "2. Dang vien om dau dai ngay duoc mien sinh hoat.",
        ]
    )
    doc, chunks = ingest_file(_write(tmp_path, "qd.pdf", data), "qd.pdf")
    assert doc.kind == "pdf" and doc.pages == 1
    # Helvetica has no "Điều": the ASCII "Dieu" is not a legal marker, so this is plain text.
    assert "Quy dinh nay ap dung" in " ".join(c.text for c in chunks)


def test_docx_headings_and_legal_structure(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = "Quy định miễn sinh hoạt"
    d.add_heading("Quy định về sinh hoạt đảng", level=1)
    d.add_paragraph("Điều 5. Miễn sinh hoạt đảng")
    d.add_paragraph("1. Đảng viên tuổi cao được miễn sinh hoạt.")
    d.add_paragraph("2. Đảng viên được miễn sinh hoạt khi:")
    d.add_paragraph("a) Ốm đau dài ngày;")
    path = tmp_path / "qd.docx"
    d.save(str(path))
    doc, chunks = ingest_file(path, "qd.docx")
    assert doc.title == "Quy định miễn sinh hoạt"
    labels = [c.article for c in chunks]
    assert labels == ["Điều 5, khoản 1", "Điều 5, khoản 2"]
    assert chunks[1].headings == ["Quy định về sinh hoạt đảng", "Điều 5. Miễn sinh hoạt đảng"]
    assert "a) Ốm đau dài ngày;" in chunks[1].text


def test_html_and_markdown_keep_headings(tmp_path: Path) -> None:
    html = (
        "<!doctype html><html><head><title>Hướng dẫn</title><style>p{}</style></head><body>"
        "<h1>Hướng dẫn</h1><h2>Thủ tục</h2><p>Nộp đơn tại chi bộ.</p>"
        "<script>alert(1)</script></body></html>"
    )
    doc, chunks = ingest_file(_write(tmp_path, "hd.html", html.encode()), "hd.html")
    assert doc.title == "Hướng dẫn"
    assert [(c.text, c.headings) for c in chunks] == [
        ("Nộp đơn tại chi bộ.", ["Hướng dẫn", "Thủ tục"])
    ]
    md = "# Hướng dẫn\n\n## Thủ tục\n\n- Nộp **đơn** tại chi bộ.\n"
    doc, chunks = ingest_file(_write(tmp_path, "hd.md", md.encode()), "hd.md")
    assert [(c.text, c.headings) for c in chunks] == [
        ("Nộp đơn tại chi bộ.", ["Hướng dẫn", "Thủ tục"])
    ]


def test_plain_text_is_nfc(tmp_path: Path) -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Điều 7. Kỷ luật\nĐảng viên vi phạm bị xử lý.\n")
    _, chunks = ingest_file(_write(tmp_path, "kl.txt", text.encode()), "kl.txt")
    assert chunks[0].article == "Điều 7"
    assert unicodedata.is_normalized("NFC", chunks[0].text)
