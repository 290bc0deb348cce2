"""Web pages for transfers (chuyển sinh hoạt): incoming and outgoing lists, requests, decisions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError, Forbidden
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.transfers import service
from app.transfers import service_queries as queries
from app.transfers.schemas import TransferCreate
from app.web import form_errors
from app.web.decisions import Actions, DecisionForm
from app.web.guard import WebActor
from app.web.home import Card, add_count_card
from app.web.templating import render

router = APIRouter()

KIND_LABELS = {
    "internal": N_("Trong hệ thống"),
    "out": N_("Ra ngoài hệ thống"),
    "in": N_("Từ ngoài vào"),
}
STATUS_LABELS = {
    "pending": N_("Đang chờ xử lý"),
    "accepted": N_("Đã chấp nhận"),
    "rejected": N_("Bị từ chối"),
    "cancelled": N_("Đã hủy"),
}
DONE_MESSAGES = {
    "requested": N_("Đã gửi yêu cầu chuyển sinh hoạt"),
    "accepted": N_("Đã chấp nhận yêu cầu chuyển sinh hoạt"),
    "rejected": N_("Đã từ chối yêu cầu chuyển sinh hoạt"),
    "cancelled": N_("Đã hủy yêu cầu chuyển sinh hoạt"),
}
DECISIONS: Actions = {
    "accept": (service.accept_transfer, "accepted"),
    "reject": (service.reject_transfer, "rejected"),
    "cancel": (service.cancel_transfer, "cancelled"),
}
CARD = Card(N_("Chuyển sinh hoạt"), N_("{n} yêu cầu chuyển đến đang chờ xử lý"), "/transfers")


def _require(actor: Actor) -> None:
    if not actor.has_any(Perm.transfer_manage):
        raise Forbidden("Bạn không có quyền quản lý chuyển sinh hoạt")


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    q: str = "",
    error: str | None = None,
    details: list[dict[str, str]] | None = None,
    form: dict[str, Any] | None = None,
    flash: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "transfers/index.html",
        {
            "incoming": queries.list_transfers(session, actor=actor, direction="incoming"),
            "outgoing": queries.list_transfers(session, actor=actor, direction="outgoing"),
            "members": queries.member_choices(session, actor, q=q),
            "destinations": queries.destination_choices(session),
            "arrival_units": queries.managed_units(session, actor),
            "kind_labels": KIND_LABELS,
            "status_labels": STATUS_LABELS,
            "q": q,
            "error": error,
            "details": details or [],
            "form": form or {},
            "flash": flash,
        },
        status_code=status_code,
    )


@router.get("/transfers")
def transfers_page(
    request: Request, session: DBSession, actor: WebActor, q: str = "", done: str = ""
) -> Response:
    _require(actor)
    flash = _(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None
    return _page(request, session, actor, q=q[:100], flash=flash)


def _int_or_none(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None


def _date_or_none(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


@router.post("/transfers")
def create_transfer(
    request: Request,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    kind: Annotated[str, Form(max_length=16)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    member_id: Annotated[str, Form(max_length=20)] = "",
    to_unit_id: Annotated[str, Form(max_length=20)] = "",
    external_org: Annotated[str, Form(max_length=255)] = "",
    full_name: Annotated[str, Form(max_length=255)] = "",
    birth_date: Annotated[str, Form(max_length=10)] = "",
    admission_date: Annotated[str, Form(max_length=10)] = "",
    card_number: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    _require(actor)
    form = {
        "kind": kind,
        "reason": reason,
        "member_id": member_id,
        "to_unit_id": to_unit_id,
        "external_org": external_org,
        "full_name": full_name,
        "birth_date": birth_date,
        "admission_date": admission_date,
        "card_number": card_number,
    }
    payload: dict[str, Any] = {
        "kind": kind,
        "reason": reason,
        "member_id": _int_or_none(member_id),
        "to_unit_id": _int_or_none(to_unit_id),
        "external_org": external_org or None,
    }
    if kind == "in":
        payload["member_id"] = None
        payload["new_member"] = {
            "full_name": full_name,
            "birth_date": _date_or_none(birth_date),
            "admission_date": _date_or_none(admission_date),
            "card_number": card_number or None,
        }
    try:
        data = TransferCreate.model_validate(payload)
        service.request_transfer(session, ctx, actor=actor, data=data)
    except ValidationError as exc:
        details = form_errors.details(exc)
        return _page(
            request,
            session,
            actor,
            error=_("Dữ liệu gửi lên không hợp lệ"),
            details=details,
            form=form,
            status_code=422,
        )
    except AppError as exc:
        return _page(
            request, session, actor, error=exc.render(), form=form, status_code=exc.status_code
        )
    return RedirectResponse("/transfers?done=requested", status_code=303)


@router.post("/transfers/{transfer_id}/accept")
@router.post("/transfers/{transfer_id}/reject")
@router.post("/transfers/{transfer_id}/cancel")
def decide_transfer(transfer_id: Id, decision: DecisionForm) -> Response:
    return decision.apply(DECISIONS, _require, "/transfers", transfer_id=transfer_id)


add_count_card(Perm.transfer_manage, queries.count_pending_incoming, CARD)
