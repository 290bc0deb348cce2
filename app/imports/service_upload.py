"""Reads a multipart member-file upload with size limits, for the API and the web form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from app.core.config import Settings
from app.core.deps import get_settings_dep
from app.core.errors import Invalid
from app.core.ids import MAX_ID
from app.imports.service_files import check_size

# Room for the multipart boundaries and the small form fields around the file.
FORM_OVERHEAD = 64 * 1024
_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"", "0", "false", "off", "no"}


async def upload_size_guard(
    request: Request, settings: Annotated[Settings, Depends(get_settings_dep)]
) -> None:
    """Refuse an oversize body from its Content-Length, before anything parses it."""
    length = request.headers.get("content-length")
    if length and length.isdigit():
        check_size(max(0, int(length) - FORM_OVERHEAD), settings.imports.max_bytes)


UploadSizeGuard = Annotated[None, Depends(upload_size_guard)]


@dataclass
class Upload:
    data: bytes
    filename: str
    unit_id: int | None
    on_duplicate: str
    dry_run: bool


async def read_upload(request: Request, max_bytes: int) -> Upload:
    """The file and the import options from a multipart form; bad values are 422."""
    form = await request.form(max_files=1, max_fields=20)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise Invalid("Chưa chọn tệp để nhập")
    data = await file.read(max_bytes + 1)
    check_size(len(data), max_bytes)
    raw_unit = str(form.get("unit_id") or "").strip()
    # ASCII digits only ("²".isdigit() is true), and a number that can be an id.
    if raw_unit and not (raw_unit.isascii() and raw_unit.isdigit() and 0 < int(raw_unit) <= MAX_ID):
        raise Invalid("Đơn vị mặc định không hợp lệ")
    on_duplicate = str(form.get("on_duplicate") or "refuse").strip()
    raw_dry = str(form.get("dry_run") or "").strip().lower()
    if raw_dry not in _TRUE | _FALSE:
        raise Invalid("Giá trị «dry_run» không hợp lệ")
    return Upload(
        data=data,
        filename=file.filename,
        unit_id=int(raw_unit) if raw_unit else None,
        on_duplicate=on_duplicate,
        dry_run=raw_dry in _TRUE,
    )
