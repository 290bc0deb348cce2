"""A meeting's minutes as files and history: the versions with their diffs, the DOCX and PDF
of the minutes, and the printable meeting pack."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.core.deps import AuditCtx, DBSession, SettingsDep
from app.core.ids import Id
from app.minutes import router as minutes_api
from app.minutes import service, service_export, service_versions
from app.web.guard import WebActor
from app.web.minutes_labels import VERSION_KINDS
from app.web.templating import render

router = APIRouter()

BASE = "/meetings/{meeting_id}/minutes"
PDF = "application/pdf"


@router.get(f"{BASE}/versions")
def minutes_versions_page(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor
) -> Response:
    rows = service_versions.list_versions(session, actor=actor, meeting_id=meeting_id)
    meeting, _unit, _level = service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    diffs = {
        v.number: service_versions.diff_versions(
            session, actor=actor, meeting_id=meeting_id, number=v.number
        )[2]
        for v in rows
        if v.number > 1
    }
    return render(
        request,
        "minutes/versions.html",
        {"meeting": meeting, "versions": rows, "diffs": diffs, "kinds": VERSION_KINDS},
    )


def _file(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get(f"{BASE}/docx")
def download_minutes_docx_page(
    meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    meeting, body = service_versions.export_docx(session, ctx, actor=actor, meeting_id=meeting_id)
    return _file(body, minutes_api.DOCX, f"bien-ban-{meeting.id}.docx")


@router.get(f"{BASE}/pdf")
def download_minutes_pdf(
    meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    meeting, body = service_export.export_pdf(session, ctx, actor=actor, meeting_id=meeting_id)
    return _file(body, PDF, f"bien-ban-{meeting.id}.pdf")


@router.get(f"{BASE}/pack")
def download_meeting_pack(
    meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx, settings: SettingsDep
) -> Response:
    meeting, body = service_export.meeting_pack(
        session, ctx, settings, actor=actor, meeting_id=meeting_id
    )
    return _file(body, PDF, f"tai-lieu-hop-{meeting.id}.pdf")
