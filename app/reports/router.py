"""JSON API for unit reports and their XLSX/CSV exports."""

from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Response

from app.core.deps import AuditCtx, CurrentActor, DBSession
from app.core.ids import Id
from app.reports import service as service
from app.reports import service_exports as exports
from app.reports.schemas import UnitReport

router = APIRouter(tags=["reports"])

MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@router.get("/reports/units/{unit_id}", response_model=UnitReport)
def get_unit_report(
    unit_id: Id,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
    date_from: date | None = None,
    date_to: date | None = None,
) -> UnitReport:
    return service.unit_report(
        session, ctx, actor=actor, unit_id=unit_id, date_from=date_from, date_to=date_to
    )


@router.get(
    "/reports/units/{unit_id}/export",
    response_class=Response,
    responses={200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()}}},
)
def export_unit_report(
    unit_id: Id,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
    format: Literal["xlsx", "csv"] = "xlsx",
    date_from: date | None = None,
    date_to: date | None = None,
) -> Response:
    report = service.unit_report(
        session,
        ctx,
        actor=actor,
        unit_id=unit_id,
        date_from=date_from,
        date_to=date_to,
        purpose=format,
    )
    body = exports.to_xlsx(report) if format == "xlsx" else exports.to_csv(report)
    name = f"bao-cao-don-vi-{unit_id}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}.{format}"
    return Response(
        body,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
