"""Web pages for importing members from a file (admins) and downloading the member list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, DBSession, SettingsDep
from app.core.errors import Forbidden
from app.core.i18n import gettext as _
from app.core.permissions import Actor, Perm
from app.imports.router import run_import
from app.imports.service import ImportResult, RowError
from app.imports.service_files import FileRejected
from app.imports.service_format import COLUMNS
from app.imports.service_upload import UploadSizeGuard, read_upload
from app.units import service as units_service
from app.units.models import Unit
from app.web.guard import WebActor
from app.web.home import HOME_CARDS
from app.web.templating import render

router = APIRouter()

PAGE = "/imports/members"
# Beyond this the page gets long to scroll on a phone; the count says how many were left out.
MAX_SHOWN_ERRORS = 500
MAX_UNITS_IN_PICKER = 1000


def _units(session: Session, actor: Actor, perm: Perm) -> list[Unit]:
    return units_service.units_for_picker(
        session, actor=actor, perm=perm, limit=MAX_UNITS_IN_PICKER
    )


def _form_context(session: Session, actor: Actor) -> dict[str, Any]:
    return {
        "units": _units(session, actor, Perm.member_import),
        "export_units": _units(session, actor, Perm.member_list),
        "columns": COLUMNS,
    }


@router.get(PAGE)
def import_form(request: Request, session: DBSession, actor: WebActor) -> Response:
    if not actor.has_any(Perm.member_import):
        raise Forbidden("Bạn không có quyền nhập danh sách đảng viên")
    return render(request, "imports/members.html", _form_context(session, actor))


@router.post(PAGE)
async def import_upload(
    request: Request,
    _size: UploadSizeGuard,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    settings: SettingsDep,
) -> Response:
    if not actor.has_any(Perm.member_import):
        raise Forbidden("Bạn không có quyền nhập danh sách đảng viên")
    upload = await read_upload(request, settings.imports.max_bytes)
    try:
        result = await run_import(session, ctx, actor, upload, settings.imports)
        status = 200 if result.ok else 422
    except FileRejected as exc:
        result = ImportResult(errors=[RowError(None, None, exc.message, exc.params)])
        status = exc.status_code
    return render(
        request,
        "imports/result.html",
        {
            "result": result,
            "filename": upload.filename,
            "shown_errors": result.errors[:MAX_SHOWN_ERRORS],
            "hidden_errors": max(0, len(result.errors) - MAX_SHOWN_ERRORS),
        },
        status_code=status,
    )


def _home_card(session: Session, actor: Actor) -> list[dict[str, str]]:
    if not actor.has_any(Perm.member_import):
        return []
    return [
        {
            "title": _("Nhập, xuất danh sách"),
            "text": _("Nhập đảng viên từ tệp Excel hoặc CSV, tải danh sách về máy"),
            "href": PAGE,
        }
    ]


HOME_CARDS.append(_home_card)
