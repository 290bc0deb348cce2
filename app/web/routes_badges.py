"""Web page for party badges (Huy hiệu Đảng): members due in a unit, and recording awards."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.badges import schemas, service
from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError, NotFound
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.localtime import local_today
from app.core.permissions import Actor, Perm, can_in_unit
from app.members.models import Member
from app.units.models import Unit
from app.web.guard import WebActor
from app.web.templating import render

router = APIRouter()

Year = Annotated[int | None, Query(ge=1960, le=2200)]


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    unit_id: Id,
    year: int,
    *,
    error: str | None = None,
    flash: str | None = None,
    status_code: int = 200,
) -> Response:
    rows = service.badges_due(session, actor=actor, unit_id=unit_id, year=year)
    unit = session.get(Unit, unit_id)
    this_year = local_today().year
    return render(
        request,
        "badges/due.html",
        {
            "unit": unit,
            "year": year,
            "years": list(range(this_year - 5, this_year + 6)),
            "rows": rows,
            "can_edit": can_in_unit(session, actor, Perm.member_edit, unit_id),
            "today": local_today().isoformat(),
            "error": error,
            "flash": flash,
        },
        status_code=status_code,
    )


@router.get("/units/{unit_id}/badges")
def badges_page(
    request: Request,
    unit_id: Id,
    session: DBSession,
    actor: WebActor,
    year: Year = None,
    saved: str = "",
) -> Response:
    flash = _("Đã ghi nhận huy hiệu") if saved else None
    return _page(request, session, actor, unit_id, year or local_today().year, flash=flash)


@router.post("/units/{unit_id}/badges")
def record_badge(
    request: Request,
    unit_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    member_id: Annotated[Id, Form()],
    badge_years: Annotated[int, Form()],
    awarded_on: Annotated[date, Form()],
    decision_number: Annotated[str, Form(max_length=64)] = "",
    year: Annotated[int | None, Form(ge=1960, le=2200)] = None,
) -> Response:
    year = year or local_today().year
    unit = service.unit_for_list(session, actor, unit_id)
    # The member must belong to this unit's subtree, or the form is being pointed elsewhere.
    in_unit = session.scalar(
        select(Member.id)
        .join(Unit, Unit.id == Member.unit_id)
        .where(Member.id == member_id, Unit.path.startswith(unit.path, autoescape=True))
    )
    if in_unit is None:
        raise NotFound("Không tìm thấy đảng viên")
    try:
        data = schemas.BadgeAwardIn(
            badge_years=badge_years,
            awarded_on=awarded_on,
            decision_number=decision_number or None,
        )
        service.record_badge(session, ctx, actor=actor, member_id=member_id, data=data)
    except ValidationError:
        return _page(
            request,
            session,
            actor,
            unit_id,
            year,
            error=_("Mốc huy hiệu không hợp lệ"),
            status_code=422,
        )
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        return _page(
            request, session, actor, unit_id, year, error=exc.render(), status_code=exc.status_code
        )
    return RedirectResponse(f"/units/{unit_id}/badges?year={year}&saved=1", status_code=303)
