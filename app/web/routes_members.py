"""Web pages for members: the searchable list, a profile, the sensitive fragment and one's own profile."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.core.deps import AuditCtx, DBSession
from app.core.errors import Forbidden, Invalid
from app.core.ids import Id
from app.core.permissions import Perm
from app.members import service as members_service
from app.members import service_profile as profile
from app.members import service_sensitive as sensitive
from app.members.models import MemberStatus
from app.members.service_labels import GENDER_LABELS, STATUS_LABELS
from app.units import service as units_service
from app.web.guard import WebActorKeepingQuery
from app.web.labels import MEMBER_RECORD_OPTIONS
from app.web.templating import render

router = APIRouter()

PAGE_SIZE = 50
_LABELS = {
    "status_labels": STATUS_LABELS,
    "gender_labels": GENDER_LABELS,
    **MEMBER_RECORD_OPTIONS,
}


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _optional_int(value: str | None, field: str) -> int | None:
    """Filter forms send "" for "any"; anything else must be a number."""
    if value is None or not value.strip():
        return None
    if not value.strip().isdigit():
        raise Invalid("Giá trị lọc không hợp lệ", details=[{"field": field, "message": "number"}])
    return int(value)


def _optional_status(value: str | None) -> MemberStatus | None:
    if not value:
        return None
    try:
        return MemberStatus(value)
    except ValueError as exc:
        raise Invalid(
            "Giá trị lọc không hợp lệ", details=[{"field": "status", "message": "status"}]
        ) from exc


@router.get("/members", response_class=HTMLResponse)
def members_page(
    request: Request,
    session: DBSession,
    actor: WebActorKeepingQuery,
    q: Annotated[str, Query(max_length=100)] = "",
    unit_id: Annotated[str | None, Query(max_length=12)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    if not actor.has_any(Perm.member_list):
        raise Forbidden("Bạn không có quyền xem danh sách đảng viên")
    unit = _optional_int(unit_id, "unit_id")
    state = _optional_status(status)
    result = members_service.list_members(
        session, actor=actor, unit_id=unit, q=q, status=state, page=page, page_size=PAGE_SIZE
    )
    filters = {"q": q, "unit_id": unit or "", "status": state.value if state else ""}

    def page_url(n: int) -> str:
        return "/members?" + urlencode({**{k: v for k, v in filters.items() if v}, "page": n})

    last = max((result.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if not result.total_exact:
        # Past the count cap the last page is unknown: offer the next one while pages are full.
        last = page + 1 if len(result.items) == PAGE_SIZE else page
    ctx: dict[str, Any] = {
        "result": result,
        "filters": filters,
        "prev_url": page_url(page - 1) if page > 1 else None,
        "next_url": page_url(page + 1) if page < last else None,
        "last_page": last,
        **_LABELS,
    }
    if _is_htmx(request) and request.headers.get("hx-target") == "results":
        resp = render(request, "members/_results.html", ctx)
    else:
        units = units_service.list_units(session, actor=actor, perm=Perm.member_list)
        base = min((u.depth for u in units), default=0)
        ctx |= {"units": units, "base_depth": base, "statuses": list(MemberStatus)}
        resp = render(request, "members/list.html", ctx)
    # The same URL answers a whole page or the results fragment; caches must keep them apart.
    resp.headers["Vary"] = "HX-Request, HX-Target"
    return resp


@router.get("/me", response_class=HTMLResponse)
def my_profile_page(request: Request, session: DBSession, actor: WebActorKeepingQuery) -> Response:
    data = profile.get_my_profile(session, actor=actor)
    return render(request, "members/profile.html", {"p": data, "is_me": True, **_LABELS})


@router.get("/members/{member_id}", response_class=HTMLResponse)
def member_page(
    request: Request, member_id: Id, session: DBSession, actor: WebActorKeepingQuery
) -> Response:
    data = profile.get_profile(session, actor=actor, member_id=member_id)
    is_me = actor.member_id == member_id
    return render(request, "members/profile.html", {"p": data, "is_me": is_me, **_LABELS})


@router.get("/members/{member_id}/sensitive", response_class=HTMLResponse)
def member_sensitive_page(
    request: Request, member_id: Id, session: DBSession, actor: WebActorKeepingQuery, ctx: AuditCtx
) -> Response:
    """CCCD and discipline, through the same audited service as the API."""
    data = sensitive.read_sensitive(session, ctx, actor=actor, member_id=member_id)
    context = {"s": data, "member_id": member_id}
    if _is_htmx(request):
        resp = render(request, "members/_sensitive.html", context)
    else:
        context["p"] = profile.get_profile(session, actor=actor, member_id=member_id)
        resp = render(request, "members/sensitive.html", context)
    resp.headers["Vary"] = "HX-Request"
    # Sensitive: never kept in a shared or browser cache.
    resp.headers["Cache-Control"] = "no-store"
    return resp
