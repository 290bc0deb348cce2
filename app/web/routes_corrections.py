"""Web pages for self-service corrections: a member's own proposals and the officers' queue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError, Forbidden
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.corrections import service
from app.corrections.service_fields import FIELD_RULES
from app.members.models import CorrectionStatus
from app.web.decisions import Actions, DecisionForm
from app.web.guard import WebActor
from app.web.home import Card, add_count_card
from app.web.templating import render

router = APIRouter()

STATUS_LABELS = {
    "pending": N_("Đang chờ duyệt"),
    "approved": N_("Đã duyệt"),
    "rejected": N_("Bị từ chối"),
}
DONE_MESSAGES = {
    "sent": N_("Đã gửi đề nghị; bí thư chi bộ sẽ xem xét"),
    "approved": N_("Đã duyệt và cập nhật hồ sơ"),
    "rejected": N_("Đã từ chối đề nghị"),
}
FIELD_LABELS = {k: rule.label for k, rule in FIELD_RULES.items()}
DECISIONS: Actions = {
    "approve": (service.approve_correction, "approved"),
    "reject": (service.reject_correction, "rejected"),
}
CARD = Card(N_("Đề nghị sửa thông tin"), N_("{n} đề nghị đang chờ duyệt"), "/corrections")


def _common() -> dict[str, Any]:
    return {"field_labels": FIELD_LABELS, "status_labels": STATUS_LABELS}


def _own_page(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: Any,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    flash: str | None = None,
    status_code: int = 200,
) -> Response:
    rows = service.list_own_corrections(session, ctx, actor=actor)
    return render(
        request,
        "corrections/mine.html",
        {**_common(), "rows": rows, "error": error, "form": form or {}, "flash": flash},
        status_code=status_code,
    )


@router.get("/me/corrections")
def my_corrections_page(
    request: Request, session: DBSession, actor: WebActor, ctx: AuditCtx, done: str = ""
) -> Response:
    flash = _(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None
    return _own_page(request, session, actor, ctx, flash=flash)


@router.post("/me/corrections")
def propose_correction(
    request: Request,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    field: Annotated[str, Form(max_length=64)],
    new_value: Annotated[str, Form(max_length=500)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    form = {"field": field, "new_value": new_value, "reason": reason}
    try:
        service.propose_correction(
            session, ctx, actor=actor, field=field, new_value=new_value, reason=reason
        )
    except AppError as exc:
        if exc.status_code in (401, 403, 404):
            raise
        return _own_page(
            request, session, actor, ctx, error=exc.render(), form=form, status_code=exc.status_code
        )
    return RedirectResponse("/me/corrections?done=sent", status_code=303)


def _require(actor: Actor) -> None:
    if not actor.has_any(Perm.correction_decide):
        raise Forbidden("Bạn không có quyền duyệt đề nghị sửa thông tin")


@router.get("/corrections")
def corrections_queue_page(
    request: Request,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    status: CorrectionStatus = CorrectionStatus.pending,
    done: str = "",
) -> Response:
    _require(actor)
    rows = service.list_corrections(session, ctx, actor=actor, status=status)
    flash = _(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None
    return render(
        request,
        "corrections/queue.html",
        {**_common(), "rows": rows, "status": status.value, "flash": flash},
    )


@router.post("/corrections/{correction_id}/approve")
@router.post("/corrections/{correction_id}/reject")
def decide_correction(correction_id: Id, decision: DecisionForm) -> Response:
    return decision.apply(DECISIONS, _require, "/corrections", correction_id=correction_id)


add_count_card(Perm.correction_decide, service.count_pending, CARD)
