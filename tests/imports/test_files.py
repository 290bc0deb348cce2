"""File-level guards of the member import: type sniffing, size, zip bombs, encodings."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.imports.service_files import (
    MIN_UNCOMPRESSED_CAP,
    FileRejected,
    FileTooLarge,
    read_table,
)
from tests.factories.imports import csv_bytes, person, xlsx_bytes


def read(data: bytes, max_rows: int = 100, max_bytes: int = 1_000_000):  # type: ignore[no-untyped-def]
    return read_table(data, max_rows=max_rows, max_bytes=max_bytes)


def zip_of(entries: dict[str, bytes], big: tuple[str, int] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        if big:
            with archive.open(big[0], "w", force_zip64=True) as fh:
                chunk = b"\0" * (1 << 20)
                for _ in range(big[1] // len(chunk) + 1):
                    fh.write(chunk)
    return buffer.getvalue()


def test_csv_and_xlsx_are_told_apart_by_content_not_name() -> None:
    assert read(csv_bytes([person(1)])).kind == "csv"
    table = read(xlsx_bytes([person(1)]))
    assert (table.kind, table.header_row, [n for n, _ in table.rows]) == ("xlsx", 1, [2])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp trống"),
        (b"  \r\n ", "Tệp trống"),
        (b"%PDF-1.7\n...", "không được hỗ trợ"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".xls"),
        (b"PK\x03\x04 not really a zip", "không phải tệp .xlsx"),
        (
            zip_of({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}),
            "không phải bảng tính",
        ),
        (zip_of({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<oops"}), "bị hỏng"),
        ("Họ và tên\n".encode(), "không có dòng dữ liệu"),
        ("Họ và tên\nAn\n".encode() + b"\x81\x8d\x8e\x00", "không được hỗ trợ"),
    ],
)
def test_unreadable_files_are_rejected_clearly(data: bytes, message: str) -> None:
    with pytest.raises(FileRejected) as info:
        read(data)
    assert message in info.value.render()


def test_undecodable_text_names_the_encoding() -> None:
    # 0x81 and 0x8D are undefined in Windows-1258 as well as invalid UTF-8.
    with pytest.raises(FileRejected, match="UTF-8"):
        read("Họ và tên\nAn ".encode() + b"\x81\x8d\n")


def test_zip_bomb_is_refused_from_the_directory() -> None:
    bomb = zip_of(
        {"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>"},
        big=("xl/worksheets/sheet1.xml", MIN_UNCOMPRESSED_CAP + 1),
    )
    assert len(bomb) < 1_000_000  # small on the wire, huge when expanded
    with pytest.raises(FileRejected, match="giải nén quá lớn"):
        read(bomb)


def test_size_and_row_limits() -> None:
    data = csv_bytes([person(1), person(2), person(3)])
    with pytest.raises(FileTooLarge):
        read(data, max_bytes=len(data) - 1)
    with pytest.raises(FileRejected) as info:
        read(data, max_rows=2)
    assert "tối đa 2 dòng" in info.value.render()
    assert len(read(data, max_rows=3).rows) == 3


def test_utf16_csv_from_excel_unicode_text() -> None:
    data = csv_bytes([person(1)], encoding="utf-16", delimiter="\t")
    table = read(data)
    assert table.rows[0][1][2] == "Nguyễn Văn Nhập 1"
