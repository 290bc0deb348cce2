"""Command-line member import and export (`sotay import members`, `sotay export members`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer
from sqlalchemy import select

from app.core.audit import AuditContext
from app.core.db import Database
from app.core.errors import AppError
from app.imports.service import ON_DUPLICATE, ImportResult, import_members
from app.imports.service_export import FORMATS, export_members
from app.imports.service_files import check_size
from app.units.models import Unit

__all__ = ["cli_export", "cli_import", "export_members", "import_members"]

# The CLI runs as the system: no account, so the audit row says where it came from instead.
CLI_CONTEXT = AuditContext(actor_account_id=None, on_behalf_of_member_id=None, ip="cli")
MAX_PRINTED_ERRORS = 500


def cli_import(
    db: Database,
    file: Path,
    *,
    unit_code: str | None = None,
    on_duplicate: str = "refuse",
    dry_run: bool = False,
) -> int:
    """Import a CSV/XLSX file; prints the per-row errors and returns the exit code."""
    if on_duplicate not in ON_DUPLICATE:
        typer.echo("Lỗi: --on-duplicate phải là «update» hoặc «refuse»", err=True)
        return 2
    try:
        check_size(file.stat().st_size, db.settings.imports.max_bytes)
        data = file.read_bytes()
        with db.session() as session:
            unit_id = None
            if unit_code:
                unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
                if unit_id is None:
                    typer.echo(f"Lỗi: không có đơn vị mã «{unit_code}»", err=True)
                    return 1
            result = import_members(
                session,
                CLI_CONTEXT,
                actor=None,
                data=data,
                filename=file.name,
                settings=db.settings.imports,
                default_unit_id=unit_id,
                on_duplicate=on_duplicate,
                dry_run=dry_run,
            )
    except AppError as exc:
        typer.echo(f"Lỗi: {exc.render()}", err=True)
        return 1
    except OSError as exc:
        typer.echo(f"Lỗi: không đọc được tệp ({exc.strerror})", err=True)
        return 1
    if not result.ok:
        _print_errors(result)
        return 1
    typer.echo(summary(result))
    return 0


def summary(result: ImportResult) -> str:
    counts = (
        f"{result.created} đảng viên mới, {result.updated} cập nhật, "
        f"{result.unchanged} không thay đổi"
    )
    if result.dry_run:
        return f"Kiểm tra xong, không ghi gì ({result.rows} dòng): sẽ có {counts}."
    return f"Đã nhập {result.rows} dòng: {counts}."


def _print_errors(result: ImportResult) -> None:
    errors = result.errors
    width = max(len("Cột"), *(len(e.column or "") for e in errors[:MAX_PRINTED_ERRORS]))
    typer.echo(f"{'Dòng':>6}  {'Cột':<{width}}  Lỗi", err=True)
    for e in errors[:MAX_PRINTED_ERRORS]:
        row = "" if e.row is None else str(e.row)
        typer.echo(f"{row:>6}  {(e.column or ''):<{width}}  {e.render()}", err=True)
    if len(errors) > MAX_PRINTED_ERRORS:
        typer.echo(f"… và {len(errors) - MAX_PRINTED_ERRORS} lỗi khác", err=True)
    typer.echo(
        f"Không nhập dòng nào: {len(errors)} lỗi trong {result.rows} dòng. Sửa tệp rồi chạy lại.",
        err=True,
    )


def cli_export(db: Database, output: Path, *, unit_code: str | None = None) -> int:
    """Write every member (or a unit's subtree) to .csv or .xlsx; returns how many."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise typer.BadParameter("tệp xuất phải có đuôi .csv hoặc .xlsx", param_hint="--output")
    with db.session() as session:
        unit_id = None
        if unit_code:
            unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
            if unit_id is None:
                raise typer.BadParameter(f"không có đơn vị mã «{unit_code}»")
        export = export_members(session, CLI_CONTEXT, actor=None, unit_id=unit_id, fmt=fmt)
        # Write beside the target and rename, so a failed export never leaves half a file.
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=".sotay-export-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(export.content)
            os.replace(tmp, output)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return export.count
