"""Reads an uploaded member file into rows: sniffs CSV or XLSX by content, with size guards."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import AppError
from app.imports.service_format import column_for_header, is_blank

# A header row may sit below a title block ("DANH SÁCH ĐẢNG VIÊN…"); look this far for it.
HEADER_SEARCH_ROWS = 15
MAX_COLUMNS = 64
# Formatted-but-empty rows can run to the sheet's end; after this many we take the data as over.
MAX_BLANK_RUN = 5000
# Zip-bomb guards, checked on the zip directory before anything is decompressed.
MAX_ZIP_ENTRIES = 2000
MIN_UNCOMPRESSED_CAP = 50 * 1024 * 1024
UNCOMPRESSED_BYTES_PER_ROW = 5 * 1024


class FileRejected(AppError):
    """The file as a whole cannot be imported (type, size, encoding, layout)."""

    status_code = 422
    code = "invalid_file"


class FileTooLarge(FileRejected):
    status_code = 413
    code = "too_large"


@dataclass
class Table:
    kind: str  # "csv" | "xlsx"
    header_row: int  # the spreadsheet row number of the header
    headers: list[str]
    # (spreadsheet row number, cells) for each non-blank data row.
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLarge(
            "Tệp quá lớn ({size} MB); giới hạn là {limit} MB",
            size=round(size / 1048576, 1),
            limit=round(max_bytes / 1048576, 1),
        )


def read_table(data: bytes, *, max_rows: int, max_bytes: int) -> Table:
    """Sniff the content (never the file name) and read the first sheet or the CSV text."""
    check_size(len(data), max_bytes)
    if not data.strip():
        raise FileRejected("Tệp trống")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        rows: Iterable[list[Any]] = _xlsx_rows(data, max_rows=max_rows)
        kind = "xlsx"
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            "Tệp Excel đời cũ (.xls) không được hỗ trợ; hãy lưu lại dạng .xlsx hoặc CSV"
        )
    elif data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!")):
        raise FileRejected("Định dạng tệp không được hỗ trợ; hãy dùng tệp .xlsx hoặc .csv")
    else:
        rows = _csv_rows(_decode(data))
        kind = "csv"
    return _collect(kind, rows, max_rows=max_rows)


def _collect(kind: str, rows: Iterable[list[Any]], *, max_rows: int) -> Table:
    table: Table | None = None
    blank_run = 0
    for number, cells in enumerate(rows, start=1):
        cells = cells[:MAX_COLUMNS]
        if all(is_blank(c) for c in cells):
            blank_run += 1
            if table is not None and blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if table is None:
            if _is_header(cells):
                headers = ["" if c is None else str(c).strip() for c in cells]
                table = Table(kind=kind, header_row=number, headers=headers)
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        if len(table.rows) >= max_rows:
            raise FileRejected(
                "Tệp có quá nhiều dòng; tối đa {max} dòng mỗi lần nhập", max=max_rows
            )
        table.rows.append((number, cells))
    if table is None:
        raise FileRejected(
            "Không tìm thấy dòng tiêu đề có cột «Họ và tên» trong {n} dòng đầu",
            n=HEADER_SEARCH_ROWS,
        )
    if not table.rows:
        raise FileRejected("Tệp không có dòng dữ liệu nào")
    return table


def _is_header(cells: list[Any]) -> bool:
    return any(
        (col := column_for_header(c)) is not None and col.field == "full_name" for c in cells
    )


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected("Định dạng tệp không được hỗ trợ; hãy dùng tệp .xlsx hoặc .csv")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export.
        encodings = ["utf-16"]
    else:
        # Vietnamese Windows software still writes Windows-1258 (with combining tone marks);
        # NFC normalisation later composes them.
        encodings = ["utf-8-sig", "cp1258"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise FileRejected(
        "Không đọc được tệp CSV: bảng mã không phải UTF-8 hay Windows-1258. "
        "Hãy lưu lại tệp dạng CSV UTF-8."
    )


def _csv_rows(text: str) -> Iterator[list[Any]]:
    first_line = text.split("\n", 1)[0]
    # Excel with Vietnamese regional settings separates with ";" (the comma is the decimal mark).
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    except csv.Error as exc:
        raise FileRejected("Tệp CSV bị lỗi cấu trúc: {reason}", reason=str(exc)) from exc


def _check_zip(data: bytes, *, max_rows: int) -> None:
    """Refuse anything that is not an XLSX, and zip bombs, before decompressing a byte."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileRejected("Tệp nén bị hỏng hoặc không phải tệp .xlsx") from exc
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise FileRejected("Tệp nén này không phải bảng tính .xlsx")
        cap = max(MIN_UNCOMPRESSED_CAP, max_rows * UNCOMPRESSED_BYTES_PER_ROW)
        total = sum(i.file_size for i in infos)
        if len(infos) > MAX_ZIP_ENTRIES or total > cap:
            raise FileRejected("Tệp .xlsx giải nén quá lớn; có thể là tệp độc hại")
        if any(i.flag_bits & 0x1 for i in infos):
            raise FileRejected("Tệp .xlsx được đặt mật khẩu; hãy bỏ mật khẩu rồi nhập lại")


def _xlsx_rows(data: bytes, *, max_rows: int) -> Iterator[list[Any]]:
    _check_zip(data, max_rows=max_rows)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a malformed workbook
        raise FileRejected("Không đọc được tệp .xlsx: tệp bị hỏng") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRejected("Tệp .xlsx không có trang tính nào")
        try:
            # openpyxl yields the empty rows in between too, so row numbers stay true.
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                yield list(row)
        except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
            raise FileRejected("Không đọc được tệp .xlsx: tệp bị hỏng") from exc
    finally:
        workbook.close()
