"""Web page for a unit's report, with links to its XLSX and CSV exports."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.core.deps import AuditCtx, DBSession
from app.core.ids import Id
from app.reports import service
from app.web.guard import WebActor
from app.web.templating import render

router = APIRouter()


@router.get("/units/{unit_id}/report")
def unit_report_page(
    request: Request,
    unit_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Response:
    report = service.unit_report(
        session, ctx, actor=actor, unit_id=unit_id, date_from=date_from, date_to=date_to
    )
    period = {"date_from": report.date_from.isoformat(), "date_to": report.date_to.isoformat()}
    base = f"/api/v1/reports/units/{unit_id}/export?"
    return render(
        request,
        "reports/unit.html",
        {
            "report": report,
            "xlsx_url": base + urlencode({**period, "format": "xlsx"}),
            "csv_url": base + urlencode({**period, "format": "csv"}),
        },
    )
