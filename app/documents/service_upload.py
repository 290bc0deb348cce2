"""Reads a multipart document upload: the file streamed to staging, the metadata as fields."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from app.core.config import Settings
from app.core.deps import get_settings_dep
from app.core.errors import Invalid
from app.core.text import nfc
from app.documents.service_storage import CHUNK, Staged, Storage, TooLarge, stage_upload

FORM_OVERHEAD = 64 * 1024


async def upload_size_guard(
    request: Request, settings: Annotated[Settings, Depends(get_settings_dep)]
) -> None:
    """Refuse an oversize body from its Content-Length before anything parses it."""
    length = request.headers.get("content-length")
    limit = settings.documents.max_bytes
    if length and length.isdigit() and int(length) - FORM_OVERHEAD > limit:
        raise TooLarge("Tệp quá lớn (tối đa {limit} MB)", limit=max(1, limit // (1024 * 1024)))


DocumentSizeGuard = Annotated[None, Depends(upload_size_guard)]


@dataclass
class DocumentUpload:
    staged: Staged
    filename: str
    fields: dict[str, str] = field(default_factory=dict)


async def _chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(CHUNK):
        yield chunk


async def read_document_upload(
    request: Request, storage: Storage, max_bytes: int
) -> DocumentUpload:
    """The file (staged and hashed) and the other form fields; the caller discards the stage."""
    form = await request.form(max_files=1, max_fields=30)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise Invalid("Chưa chọn tệp để tải lên")
    staged = await stage_upload(storage, _chunks(file), max_bytes)
    # Multipart text escapes the NFC middleware; macOS browsers send file names decomposed.
    fields = {k: nfc(v) for k, v in form.items() if isinstance(v, str)}
    return DocumentUpload(staged=staged, filename=nfc(file.filename), fields=fields)
