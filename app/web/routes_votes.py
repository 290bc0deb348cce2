"""Web pages for votes: list, the form that creates one, ballot page with big buttons, live tally
(htmx), open and close."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.units import service as units_service
from app.votes import service
from app.votes.models import Choice
from app.votes.schemas import Answer
from app.web import vote_form
from app.web.forms import form_page
from app.web.guard import WebActor
from app.web.templating import render

router = APIRouter()


CHOICE_LABELS = {
    Choice.agree.value: N_("Đồng ý"),
    Choice.disagree.value: N_("Không đồng ý"),
    Choice.other.value: N_("Ý kiến khác"),
}
STATUS_LABELS = {"draft": N_("Nháp"), "open": N_("Đang mở"), "closed": N_("Đã đóng")}
KIND_LABELS = {"open": N_("Biểu quyết công khai"), "secret": N_("Bỏ phiếu kín")}
NEW_PAGE = "votes/new.html"


def _labels() -> dict[str, dict[str, str]]:
    return {"choice": CHOICE_LABELS, "status": STATUS_LABELS, "kind": KIND_LABELS}


@router.get("/votes")
def list_votes_page(request: Request, actor: WebActor, session: DBSession) -> Response:
    votes = service.list_votes(session, actor=actor)
    return render(
        request,
        "votes/index.html",
        {"votes": votes, "labels": _labels(), "can_create": actor.has_any(Perm.vote_manage)},
    )


@router.get("/votes/new")
def new_vote_page(
    request: Request,
    actor: WebActor,
    session: DBSession,
    meeting_id: Id | None = None,
    unit_id: Id | None = None,
) -> Response:
    """Declared before /votes/{vote_id}, so that "new" is never read as a vote id."""
    where = vote_form.origin(session, actor, meeting_id=meeting_id, unit_id=unit_id)
    page = {**where, **vote_form.LABELS}
    return form_page(request, NEW_PAGE, page, form=vote_form.defaults(where))


@router.post("/votes")
async def create_vote_form(
    request: Request, actor: WebActor, session: DBSession, ctx: AuditCtx
) -> Response:
    raw = await request.form()
    form = {k: str(raw.get(k, "")) for k in vote_form.FIELD_NAMES}
    # The database work may wait for SQLite's write lock: never on the event loop.
    return await run_in_threadpool(_create, request, session, actor, ctx, form)


def _create(
    request: Request, session: Session, actor: Actor, ctx: AuditContext, form: dict[str, str]
) -> Response:
    meeting_id = vote_form.int_or_none(form["meeting_id"])
    unit_id = vote_form.int_or_none(form["unit_id"])
    # Re-checked on every post: the page's hidden fields are not trusted.
    where = vote_form.origin(session, actor, meeting_id=meeting_id, unit_id=unit_id)
    page = {**where, **vote_form.LABELS}
    try:
        data = vote_form.to_schema(session, form)
        with session.begin_nested():  # a refused vote leaves no row behind
            vote = service.create_vote(session, ctx=ctx, actor=actor, data=data)
    except ValidationError as exc:
        details = vote_form.error_details(exc)
        message = _("Chưa tạo được biểu quyết: hãy sửa các mục dưới đây.")
        return form_page(
            request, NEW_PAGE, page, form=form, error=message, details=details, status_code=422
        )
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        return form_page(
            request, NEW_PAGE, page, form=form, error=exc.render(), status_code=exc.status_code
        )
    return RedirectResponse(f"/votes/{vote.id}?done=created", status_code=303)


@router.get("/votes/{vote_id}")
def show_vote_page(request: Request, vote_id: Id, actor: WebActor, session: DBSession) -> Response:
    done = request.query_params.get("done")
    flash = {
        "1": _("Đã ghi nhận biểu quyết của đồng chí."),
        "created": _("Đã tạo biểu quyết. Bấm “Mở biểu quyết” khi sẵn sàng."),
    }.get(done or "")
    return _ballot_page(request, session, actor, vote_id, flash=flash)


def _ballot_page(
    request: Request,
    session: DBSession,
    actor: Actor,
    vote_id: Id,
    *,
    error: str | None = None,
    flash: str | None = None,
    status_code: int = 200,
) -> Response:
    vote, unit = service.get_vote(session, actor=actor, vote_id=vote_id)
    voted = service.has_voted(session, vote_id=vote.id, member_id=actor.member_id)
    reason = None if voted else service.eligibility(session, actor=actor, vote=vote)
    return render(
        request,
        "votes/ballot.html",
        {
            "vote": vote,
            "unit": unit,
            "items": service.list_items(session, vote_id=vote.id),
            "voted": voted,
            "reason": reason,
            "can_manage": units_service.allowed_in(actor, Perm.vote_manage, unit),
            "labels": _labels(),
            "error": error,
            "flash": flash,
        },
        status_code=status_code,
    )


@router.post("/votes/{vote_id}/cast")
async def cast_vote_form(
    request: Request, vote_id: Id, actor: WebActor, session: DBSession, ctx: AuditCtx
) -> Response:
    form = await request.form()
    # The database work may wait for SQLite's write lock: never on the event loop.
    return await run_in_threadpool(_cast, request, session, actor, ctx, vote_id, form)


def _cast(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    vote_id: Id,
    form: FormData,
) -> Response:
    items = service.list_items(session, vote_id=vote_id)
    try:
        answers = [
            Answer(
                item_id=item.id,
                choice=str(form.get(f"choice_{item.id}", "")),  # type: ignore[arg-type]
                comment=str(form.get(f"comment_{item.id}", "")),
            )
            for item in items
        ]
        service.cast(session, ctx=ctx, actor=actor, vote_id=vote_id, answers=answers)
    except ValidationError:
        return _ballot_page(
            request,
            session,
            actor,
            vote_id,
            error=_("Hãy chọn một ý kiến cho mỗi mục; ý kiến khác cần có nội dung."),
            status_code=422,
        )
    except AppError as exc:
        if exc.status_code == 404:
            raise
        return _ballot_page(
            request, session, actor, vote_id, error=exc.render(), status_code=exc.status_code
        )
    return RedirectResponse(f"/votes/{vote_id}?done=1", status_code=303)


@router.post("/votes/{vote_id}/open")
def open_vote_form(
    request: Request,
    vote_id: Id,
    actor: WebActor,
    session: DBSession,
    ctx: AuditCtx,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    service.open_vote(session, ctx=ctx, actor=actor, vote_id=vote_id)
    return RedirectResponse(f"/votes/{vote_id}/tally", status_code=303)


@router.post("/votes/{vote_id}/close")
def close_vote_form(
    request: Request,
    vote_id: Id,
    actor: WebActor,
    session: DBSession,
    ctx: AuditCtx,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    service.close_vote(session, ctx=ctx, actor=actor, vote_id=vote_id)
    return RedirectResponse(f"/votes/{vote_id}/tally", status_code=303)


@router.get("/votes/{vote_id}/tally")
def tally_page(request: Request, vote_id: Id, actor: WebActor, session: DBSession) -> Response:
    return _tally(request, session, actor, vote_id, "votes/tally.html")


@router.get("/votes/{vote_id}/tally/live")
def tally_fragment(request: Request, vote_id: Id, actor: WebActor, session: DBSession) -> Response:
    return _tally(request, session, actor, vote_id, "votes/_tally.html")


def _tally(request: Request, session: DBSession, actor: Actor, vote_id: Id, tpl: str) -> Response:
    vote, unit = service.get_vote(session, actor=actor, vote_id=vote_id)
    return render(
        request,
        tpl,
        {
            "vote": vote,
            "unit": unit,
            "tally": service.tally(session, actor=actor, vote_id=vote_id),
            "can_manage": units_service.allowed_in(actor, Perm.vote_manage, unit),
            "labels": _labels(),
        },
    )
