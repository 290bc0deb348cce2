"""Writes a unit report as XLSX (one sheet per section) or CSV (sections one after another)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from app.core.i18n import gettext as _
from app.imports.service_format import csv_safe
from app.reports.schemas import UnitReport

Table = tuple[str, list[str], list[list[Any]]]


def _yes_no(value: bool) -> str:
    return _("Thông qua") if value else _("Không thông qua")


def tables(report: UnitReport) -> Iterator[Table]:
    """The report's sections as (title, header, rows), in the catalogue's language."""
    t = report.tasks
    yield (
        _("Tổng hợp"),
        [_("Chỉ tiêu"), _("Giá trị")],
        [
            [_("Đơn vị"), report.unit_name],
            [_("Từ ngày"), report.date_from],
            [_("Đến ngày"), report.date_to],
            [_("Nhiệm vụ: tổng số"), t.total],
            [_("Nhiệm vụ: hoàn thành đúng hạn"), t.on_time],
            [_("Nhiệm vụ: hoàn thành trễ hạn"), t.late],
            [_("Nhiệm vụ: chưa hoàn thành"), t.open],
            [_("Nhiệm vụ: chưa hoàn thành, đã quá hạn"), t.open_overdue],
            *[
                [_("Nhiệm vụ xếp loại {grade}").format(grade=g), n]
                for g, n in sorted(t.graded.items())
            ],
        ],
    )
    yield (
        _("Điểm danh theo buổi"),
        [
            _("Ngày"),
            _("Cuộc họp"),
            _("Phải dự"),
            _("Có mặt"),
            _("Vắng có phép"),
            _("Vắng không phép"),
            _("Miễn sinh hoạt"),
            _("Tỷ lệ có mặt (%)"),
        ],
        [
            [m.held_on, m.title, m.must_attend, m.present, m.excused, m.unexcused, m.exempt, m.rate]
            for m in report.meetings
        ],
    )
    yield (
        _("Điểm danh theo tháng"),
        [_("Tháng"), _("Số buổi"), _("Phải dự"), _("Có mặt"), _("Tỷ lệ có mặt (%)")],
        [[m.month, m.meetings, m.must_attend, m.present, m.rate] for m in report.months],
    )
    yield (
        _("Đọc văn bản"),
        [
            _("Ngày ban hành"),
            _("Số hiệu"),
            _("Trích yếu"),
            _("Số người nhận"),
            _("Số người đã đọc"),
            _("Tỷ lệ đọc (%)"),
        ],
        [
            [d.published_on, d.number, d.title, d.recipients, d.read, d.rate]
            for d in report.documents
        ],
    )
    yield (
        _("Biểu quyết"),
        [
            _("Ngày kết thúc"),
            _("Biểu quyết"),
            _("Nội dung"),
            _("Đồng ý"),
            _("Không đồng ý"),
            _("Ý kiến khác"),
            _("Kết quả"),
        ],
        [
            [v.closed_on, v.vote_title, v.item, v.agree, v.disagree, v.other, _yes_no(v.passed)]
            for v in report.votes
        ],
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return csv_safe(str(value))


def to_csv(report: UnitReport) -> bytes:
    """Sections one after another, each with its title row and header; UTF-8 with a BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, (title, header, rows) in enumerate(tables(report)):
        if index:
            writer.writerow([])
        writer.writerow([_text(title)])
        writer.writerow([_text(h) for h in header])
        for row in rows:
            writer.writerow([_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(report: UnitReport) -> bytes:
    """One sheet per section; text cells stay text, so nothing in them runs as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in tables(report):
        # Sheet titles are limited to 31 characters and a few forbidden symbols.
        sheet = workbook.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        head = []
        for h in header:
            cell = WriteOnlyCell(sheet, value=h)
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        for row in rows:
            out = []
            for value in row:
                if isinstance(value, str):
                    # XML cannot hold control characters; a stored one must not break the file.
                    text = ILLEGAL_CHARACTERS_RE.sub("", csv_safe(value))
                    cell = WriteOnlyCell(sheet, value=text)
                    cell.data_type = "s"
                else:
                    cell = WriteOnlyCell(sheet, value=value)
                    if isinstance(value, date):
                        cell.number_format = "DD/MM/YYYY"
                out.append(cell)
            sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
