"""JSON API for member import (multipart upload) and export (CSV/XLSX download)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BeforeValidator
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.audit import AuditContext
from app.core.config import ImportSettings
from app.core.deps import AuditCtx, CanImportMembers, CanListMembers, DBSession, SettingsDep
from app.core.errors import AppError, Invalid
from app.core.i18n import gettext
from app.core.ids import Id
from app.core.permissions import Actor
from app.imports import service as import_service
from app.imports import service_export as export_service
from app.imports.schemas import ImportErrorOut, ImportErrorsOut, ImportResultOut
from app.imports.service import ImportResult
from app.imports.service_files import FileRejected
from app.imports.service_upload import Upload, UploadSizeGuard, read_upload

router = APIRouter(tags=["members"])

_MULTIPART_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "unit_id": {"type": "integer"},
                        "on_duplicate": {"type": "string", "enum": ["refuse", "update"]},
                        "dry_run": {"type": "boolean"},
                    },
                }
            }
        },
    }
}


def _blank_to_none(value: Any) -> Any:
    # The web export form sends "unit_id=" for "everything in my scope".
    return None if value == "" else value


def rejected_body(exc: AppError) -> dict[str, Any]:
    message = exc.render()
    return {
        "error": exc.code,
        "message": message,
        "errors": [{"row": None, "column": None, "message": message}],
    }


async def run_import(
    session: Session, ctx: AuditContext, actor: Actor, upload: Upload, settings: ImportSettings
) -> ImportResult:
    """The import from an uploaded file, for this API and the web page alike."""
    # The database work may wait for SQLite's write lock: never on the event loop.
    return await run_in_threadpool(
        lambda: import_service.import_members(
            session,
            ctx,
            data=upload.data,
            filename=upload.filename,
            default_unit_id=upload.unit_id,
            on_duplicate=upload.on_duplicate,
            dry_run=upload.dry_run,
            actor=actor,
            settings=settings,
        )
    )


@router.post(
    "/imports/members",
    response_model=ImportResultOut,
    responses={413: {"model": ImportErrorsOut}, 422: {"model": ImportErrorsOut}},
    openapi_extra=_MULTIPART_DOC,
)
async def import_members_file(
    request: Request,
    _size: UploadSizeGuard,
    actor: CanImportMembers,
    session: DBSession,
    ctx: AuditCtx,
    settings: SettingsDep,
) -> Any:
    """Import members from CSV or XLSX: every row is validated, and all are written or none."""
    try:
        # A bad form (no file, a bad option) answers in the documented shape, `errors` included.
        upload = await read_upload(request, settings.imports.max_bytes)
        result = await run_import(session, ctx, actor, upload, settings.imports)
    except (FileRejected, Invalid) as exc:
        return JSONResponse(rejected_body(exc), status_code=exc.status_code)
    if not result.ok:
        body = ImportErrorsOut(
            error="invalid",
            message=gettext("Tệp có lỗi; chưa nhập dòng nào"),
            errors=[ImportErrorOut(**e.as_dict()) for e in result.errors],
        )
        return JSONResponse(body.model_dump(), status_code=422)
    return ImportResultOut(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        rows=result.rows,
        dry_run=result.dry_run,
    )


@router.get(
    "/exports/members",
    response_class=Response,
    responses={200: {"content": {k: {} for k in export_service.FORMATS.values()}}},
)
def export_members_file(
    actor: CanListMembers,
    session: DBSession,
    ctx: AuditCtx,
    unit_id: Annotated[Id | None, BeforeValidator(_blank_to_none)] = None,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "xlsx",
) -> Response:
    """Members of a unit's subtree (or the caller's whole scope) in the import layout.

    CCCD is included only when the caller may see it in every exported unit; the read is audited.
    """
    export = export_service.export_members(session, ctx, actor=actor, unit_id=unit_id, fmt=fmt)
    return Response(
        export.content,
        media_type=export.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            "Cache-Control": "no-store",
        },
    )
