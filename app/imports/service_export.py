"""Member export in the import's own layout (CSV with BOM, or XLSX), scoped and audited."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.errors import Invalid, NotFound
from app.core.i18n import N_
from app.core.permissions import Actor, Perm, can_in_unit, require_in_unit, unit_scope
from app.core.text import fold
from app.imports.service_format import (
    CCCD_MASK,
    COLUMNS,
    GENDER_LABELS,
    STATUS_LABELS,
    csv_safe,
    format_date,
)
from app.members.models import Member
from app.units.models import Unit

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class ExportFile:
    content: bytes
    filename: str
    media_type: str
    count: int
    with_cccd: bool


def export_members(
    session: Session,
    ctx: audit.AuditContext,
    *,
    actor: Actor | None,
    unit_id: int | None = None,
    fmt: str = "xlsx",
    today: date | None = None,
) -> ExportFile:
    """Members of a unit's subtree (or of the whole scope); `actor` None is the system."""
    if fmt not in FORMATS:
        raise Invalid("Định dạng xuất phải là csv hoặc xlsx")
    unit = _export_unit(session, actor, unit_id)
    query = (
        select(Member, Unit.code)
        .join(Unit, Unit.id == Member.unit_id)
        .order_by(Unit.path, Member.name_folded, Member.id)
    )
    if actor is not None:
        query = query.where(unit_scope(actor, Perm.member_list))
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    records = session.execute(query).all()
    with_cccd = _may_see_cccd(session, actor, unit)
    rows = [_row(m, code, with_cccd) for m, code in records]
    content = _xlsx(rows) if fmt == "xlsx" else _csv(rows)
    audit.record(
        session,
        ctx,
        "members.export",
        object_type="member_export",
        unit_id=unit.id if unit else None,
        detail={"count": len(rows), "format": fmt, "with_cccd": with_cccd},
    )
    stamp = (today or date.today()).strftime("%Y%m%d")
    scope = fold(unit.code).replace(" ", "-") if unit else "tat-ca"
    return ExportFile(
        content=content,
        filename=f"dang-vien-{scope}-{stamp}.{fmt}",
        media_type=FORMATS[fmt],
        count=len(rows),
        with_cccd=with_cccd,
    )


def _export_unit(session: Session, actor: Actor | None, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị")
    if actor is not None:
        require_in_unit(
            session,
            actor,
            Perm.member_list,
            unit.id,
            see=Perm.unit_view,
            missing=N_("Không tìm thấy đơn vị"),
            denied=N_("Bạn không có quyền xem danh sách đảng viên của đơn vị này"),
        )
    return unit


def _may_see_cccd(session: Session, actor: Actor | None, unit: Unit | None) -> bool:
    """CCCD only when the actor may see it in every unit the export covers."""
    if actor is None:
        return True
    if unit is not None:
        return can_in_unit(session, actor, Perm.member_view_sensitive, unit.id)
    sensitive = actor.paths_for(Perm.member_view_sensitive)
    return all(
        any(path.startswith(s) for s in sensitive) for path in actor.paths_for(Perm.member_list)
    )


def _row(m: Member, unit_code: str, with_cccd: bool) -> dict[str, Any]:
    values: dict[str, Any] = {c.field: getattr(m, c.field, None) for c in COLUMNS}
    values["unit_code"] = unit_code
    values["gender"] = GENDER_LABELS.get(m.gender, m.gender) if m.gender else None
    values["status"] = STATUS_LABELS.get(m.status, m.status)
    if m.cccd and not with_cccd:
        values["cccd"] = CCCD_MASK
    return values


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    for values in rows:
        writer.writerow(
            [
                format_date(values[c.field])
                if c.kind == "date"
                else csv_safe("" if values[c.field] is None else str(values[c.field]))
                for c in COLUMNS
            ]
        )
    # The BOM makes Excel read the file as UTF-8 instead of the system code page.
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đảng viên")
    sheet.freeze_panes = "A2"
    for index, col in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            12 if col.kind in ("date", "gender") else 22
        )
    bold = Font(bold=True)
    header = []
    for col in COLUMNS:
        cell = WriteOnlyCell(sheet, value=col.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for values in rows:
        out = []
        for col in COLUMNS:
            value = values[col.field]
            if isinstance(value, str):
                # XML cannot hold control characters; a stored one must not break the file.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, str):
                # Text stays text: no formulas, and numbers like CCCD keep their leading zeros.
                cell.data_type = "s"
            out.append(cell)
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
