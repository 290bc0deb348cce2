"""Member import: validates every row of a file, then writes all of them or none."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core import audit
from app.core.config import ImportSettings
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.permissions import Actor, Perm, can_in_unit
from app.core.text import fold
from app.imports.service_files import Table, read_table
from app.imports.service_format import (
    CellError,
    Column,
    column_for_header,
    is_blank,
    parse_cell,
)
from app.imports.service_matching import (
    MEMBER_FIELDS,
    Row,
    RowError,
    Validation,
    chunks,
    match_existing,
    permitted_unit_ids,
)
from app.members.models import Member, MemberStatus, UnitMembership
from app.units.models import Unit

__all__ = ["ON_DUPLICATE", "ImportResult", "RowError", "import_members"]

ON_DUPLICATE = ("refuse", "update")


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_members(
    session: Session,
    ctx: audit.AuditContext,
    *,
    actor: Actor | None,
    data: bytes,
    filename: str,
    settings: ImportSettings,
    default_unit_id: int | None = None,
    on_duplicate: str = "refuse",
    dry_run: bool = False,
    today: date | None = None,
) -> ImportResult:
    """Import members from CSV/XLSX bytes; `actor` None is the system (CLI) and may import anywhere."""
    if on_duplicate not in ON_DUPLICATE:
        raise Invalid("Cách xử lý trùng lặp phải là «update» hoặc «refuse»")
    today = today or date.today()
    default_unit = _default_unit(session, actor, default_unit_id)
    table = read_table(data, max_rows=settings.max_rows, max_bytes=settings.max_bytes)
    check = Validation(session, actor, on_duplicate)
    rows = _parse_rows(check, table, today)
    _resolve_units(check, rows, default_unit)
    match_existing(check, rows)
    _check_dates(check, rows)
    result = ImportResult(rows=len(table.rows), dry_run=dry_run)
    if check.errors:
        result.errors = sorted(check.errors, key=lambda e: e.row or 0)
        return result
    new_rows = [r for r in rows if r.target is None]
    result.created = len(new_rows)
    result.updated = sum(1 for r in rows if r.target is not None and r.changes)
    result.unchanged = sum(1 for r in rows if r.target is not None and not r.changes)
    if dry_run:
        return result
    _apply(session, rows, new_rows, today=today, filename=filename)
    audit.record(
        session,
        ctx,
        "members.import",
        object_type="member_import",
        unit_id=default_unit.id if default_unit else None,
        detail={
            "file_name": filename[:200],
            "sha256": hashlib.sha256(data).hexdigest(),
            "format": table.kind,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "on_duplicate": on_duplicate,
        },
    )
    return result


def _default_unit(session: Session, actor: Actor | None, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = session.get(Unit, unit_id)
    if unit is None or unit.dissolved_at is not None:
        raise NotFound("Không tìm thấy đơn vị")
    if actor is not None and not permitted_unit_ids(session, actor, [unit.id]):
        # A unit the actor cannot even see answers as if it did not exist.
        if not can_in_unit(session, actor, Perm.unit_view, unit.id):
            raise NotFound("Không tìm thấy đơn vị")
        raise Forbidden("Bạn không có quyền nhập đảng viên vào đơn vị này")
    return unit


def _parse_rows(check: Validation, table: Table, today: date) -> list[Row]:
    columns: dict[int, Column] = {}
    headers: dict[str, str] = {}
    for index, text in enumerate(table.headers):
        col = column_for_header(text)
        if col is None:
            continue  # STT, notes and other columns of a lý lịch export are not imported
        if col.field in headers:
            check.errors.append(
                RowError(
                    table.header_row,
                    text,
                    "Cột «{column}» xuất hiện hai lần",
                    {"column": col.header},
                )
            )
            continue
        columns[index] = col
        headers[col.field] = text
    rows: list[Row] = []
    for number, cells in table.rows:
        row = Row(number=number, headers=headers)
        for index, col in columns.items():
            raw = cells[index] if index < len(cells) else None
            if is_blank(raw):
                continue
            try:
                value = parse_cell(col, raw, today=today)
            except CellError as exc:
                check.error(row, col.field, exc.message, **exc.params)
                continue
            if value is not None:
                row.values[col.field] = value
        if "full_name" not in row.values and not any(
            e.row == number and e.column == row.header("full_name") for e in check.errors
        ):
            check.error(row, "full_name", "Thiếu họ và tên")
        rows.append(row)
    return rows


def _resolve_units(check: Validation, rows: list[Row], default_unit: Unit | None) -> None:
    codes = {r.values["unit_code"] for r in rows if "unit_code" in r.values}
    units: dict[str, Unit] = {}
    for chunk in chunks(sorted(codes)):
        for unit in check.session.scalars(select(Unit).where(Unit.code.in_(chunk))):
            if unit.dissolved_at is None:
                units[unit.code] = unit
    allowed = permitted_unit_ids(check.session, check.actor, (u.id for u in units.values()))
    for row in rows:
        code = row.values.get("unit_code")
        if code is None:
            row.unit = default_unit
            continue
        found = units.get(code)
        # One message for "no such unit" and "not yours", so codes outside scope stay hidden.
        if found is None or found.id not in allowed:
            check.error(
                row,
                "unit_code",
                "Không tìm thấy đơn vị «{code}» hoặc bạn không có quyền nhập vào đơn vị này",
                code=code,
            )
        else:
            row.unit = found


def _check_dates(check: Validation, rows: list[Row]) -> None:
    for row in rows:
        stored = row.target
        merged = {
            name: row.values.get(name, getattr(stored, name) if stored else None)
            for name in ("birth_date", "admission_date", "official_date")
        }
        birth, admitted, official = (
            merged["birth_date"],
            merged["admission_date"],
            merged["official_date"],
        )
        if birth and admitted and admitted < date(birth.year + 16, 1, 1):
            check.error(row, "admission_date", "Ngày vào Đảng không hợp lý: khi đó chưa đủ 16 tuổi")
        if official and admitted is None:
            check.error(row, "admission_date", "Có ngày chính thức nhưng thiếu ngày vào Đảng")
        elif official and admitted and official < admitted:
            check.error(row, "official_date", "Ngày chính thức phải sau ngày vào Đảng")


def _apply(
    session: Session, rows: list[Row], new_rows: list[Row], *, today: date, filename: str
) -> None:
    created: list[tuple[Member, int]] = []
    for row in new_rows:
        assert row.unit is not None
        values = {k: v for k, v in row.values.items() if k in MEMBER_FIELDS}
        values.setdefault("status", MemberStatus.active.value)
        member = Member(unit_id=row.unit.id, name_folded=fold(values["full_name"]), **values)
        created.append((member, row.unit.id))
    for row in rows:
        if row.target is not None and row.changes:
            for name, value in row.changes.items():
                setattr(row.target, name, value)
            if "full_name" in row.changes:
                row.target.name_folded = fold(row.changes["full_name"])
    try:
        session.add_all([m for m, _ in created])
        session.flush()
        # Stored data stays in Vietnamese whatever the caller's display language.
        note = f"Nhập từ tệp {filename[:200]}"
        session.add_all(
            UnitMembership(member_id=m.id, unit_id=unit_id, start_date=today, note=note)
            for m, unit_id in created
        )
        session.flush()
    except IntegrityError as exc:
        # Another writer took a number between validation and writing; nothing is kept.
        raise Conflict("Dữ liệu đã thay đổi trong lúc nhập; hãy thử lại") from exc
