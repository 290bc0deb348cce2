"""Web pages for the audit log: the filtered viewer and the hash-chain check."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.audit import service
from app.audit import service_words as words
from app.audit.schemas import PAGE_SIZES, AuditQuery
from app.core.deps import AuditCtx, DBSession
from app.core.errors import Forbidden
from app.core.i18n import gettext as _
from app.core.permissions import Actor, Perm
from app.web import form_errors
from app.web.guard import WebActor
from app.web.templating import render

router = APIRouter()

_FIELD_LABELS = {
    "actor": "Người thực hiện",
    "action": "Thao tác",
    "object_type": "Loại đối tượng",
    "object_id": "Mã đối tượng",
    "unit_id": "Đơn vị",
    "since": "Từ ngày",
    "until": "Đến ngày",
    "page": "Trang",
    "page_size": "Số dòng mỗi trang",
}

# verify_chain explains itself in English (it is also the CLI's output); the page speaks Vietnamese.
_VERIFY_REASONS = {
    "broken link: a row was removed or moved": "Đứt mắt xích: có dòng đã bị xóa hoặc bị chuyển chỗ",
    "content does not match its hash": "Nội dung dòng không khớp với mã băm của nó",
}


def _require_viewer(actor: Actor) -> None:
    if not actor.has_any(Perm.audit_view):
        raise Forbidden("Bạn không có quyền xem nhật ký")


def _page_url(params: dict[str, Any], page: int) -> str:
    return "/audit?" + urlencode({**params, "page": page})


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, session: DBSession, actor: WebActor, ctx: AuditCtx) -> Response:
    _require_viewer(actor)
    raw = {k: v for k, v in request.query_params.items() if k != "lang"}
    errors: list[dict[str, str]] = []
    try:
        query = AuditQuery.model_validate(raw)
    except ValidationError as exc:
        errors = form_errors.details(exc, _FIELD_LABELS)
        query = AuditQuery()
    result = service.list_entries(session, ctx, actor=actor, query=query) if not errors else None
    unit_names: dict[int, str] = {}
    sentences: dict[int, words.Sentence] = {}
    if result is not None:
        ids = {i.unit_id for i in result.items if i.unit_id is not None} | {query.unit_id or 0}
        unit_names = service.unit_names(session, ids)
        known = words.names(session, result.items)
        sentences = {e.id: words.describe(e, known) for e in result.items}
    params = {k: v for k, v in raw.items() if k != "page" and v}
    pages = None
    if result is not None:
        last = max(1, -(-result.total // result.page_size))
        pages = {
            "prev": _page_url(params, query.page - 1) if query.page > 1 else None,
            "next": _page_url(params, query.page + 1)
            if query.page < last
            or (not result.total_exact and len(result.items) == query.page_size)
            else None,
            "first_row": (query.page - 1) * query.page_size + 1 if result.items else 0,
            "last_row": (query.page - 1) * query.page_size + len(result.items),
        }
    return render(
        request,
        "audit/list.html",
        {
            "query": query,
            "raw": raw,
            "result": result,
            "errors": errors,
            "actions": [(a, words.action_label(a)) for a in service.distinct_actions(session)],
            "object_kinds": words.object_kind_choices(),
            "sentences": sentences,
            "page_sizes": PAGE_SIZES,
            "unit_names": unit_names,
            "pages": pages,
            "can_verify": service.can_verify(actor),
        },
        status_code=422 if errors else 200,
    )


@router.get("/audit/verify", response_class=HTMLResponse)
def verify_page(request: Request, session: DBSession, actor: WebActor, ctx: AuditCtx) -> Response:
    _require_viewer(actor)
    result = service.verify(session, ctx, actor=actor)
    reason = _(_VERIFY_REASONS.get(result.reason, result.reason)) if result.reason else ""
    return render(request, "audit/verify.html", {"result": result, "reason": reason})
