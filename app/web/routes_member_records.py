"""Web forms for member records: add a member, edit the profile, add, edit, end and remove records.

Thin: each form is validated with the API's schema and handed to the same service, so the
rules, permissions and audit rows are the API's.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError, Conflict, Forbidden, NotFound
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.imports import service_matching
from app.imports.service_format import BY_FIELD
from app.members import service as members_service
from app.members import service_profile as profile
from app.members import service_records as records
from app.members.schemas import MemberCreate, MemberUpdate
from app.members.service_records import SPECS
from app.units import service as units_service
from app.web import form_errors
from app.web import member_record_edits as edits
from app.web.forms import form_page
from app.web.guard import WebActor
from app.web.member_record_forms import (
    CHOICES,
    DATE_FIELDS,
    LABELS,
    PROFILE_FIELDS,
    problems,
    submitted,
)
from app.web.member_record_forms import record_kind as parse_kind
from app.web.templating import render

router = APIRouter()

_BY_HEADER = {c.header: c.field for c in BY_FIELD.values()}


def _form_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    form: dict[str, Any],
    member_id: int | None = None,
    error: str | None = None,
    details: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    units = units_service.units_for_picker(session, actor=actor, perm=Perm.member_edit)
    ctx = {
        "units": units,
        "fields": PROFILE_FIELDS,
        "date_fields": DATE_FIELDS,
        "member_id": member_id,
        **CHOICES,
    }
    return form_page(
        request,
        "members/form.html",
        ctx,
        form=form,
        error=error,
        details=details,
        status_code=status_code,
    )


@router.get("/members/new", response_class=HTMLResponse)
def new_member_page(
    request: Request, session: DBSession, actor: WebActor, unit_id: Id | None = None
) -> Response:
    if not actor.has_any(Perm.member_edit):
        raise Forbidden("Bạn không có quyền thêm đảng viên")
    return _form_page(request, session, actor, form={"unit_id": unit_id or ""})


@router.post("/members/new")
async def create_member_form(
    request: Request, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    raw = await request.form()
    return await run_in_threadpool(_create, request, session, actor, ctx, raw)


def _create(
    request: Request, session: Session, actor: Actor, ctx: AuditContext, raw: FormData
) -> Response:
    if not actor.has_any(Perm.member_edit):
        raise Forbidden("Bạn không có quyền thêm đảng viên")
    form = submitted(raw, ["unit_id", *PROFILE_FIELDS])
    try:
        data = MemberCreate.model_validate({k: v for k, v in form.items() if v.strip()})
    except ValidationError as exc:
        return _form_page(
            request, session, actor, form=form, error=_("Chưa thêm được đảng viên"),
            details=form_errors.details(exc, LABELS), status_code=422,
        )  # fmt: skip
    try:
        with session.begin_nested():
            unit = units_service.get_unit(
                session, actor=actor, unit_id=data.unit_id, perm=Perm.member_edit
            )
            values = data.model_dump(exclude={"unit_id", "status"})
            found = service_matching.duplicate_problems(session, unit=unit, values=values)
            if found:
                details = [
                    {"field": e.column or "", "key": _BY_HEADER.get(e.column or "", ""),
                     "message": e.render()}
                    for e in found
                ]  # fmt: skip
                raise Conflict("Đảng viên này có thể đã có trong hồ sơ", details=details)
            member = members_service.create_member(session, ctx, actor=actor, data=data)
    except AppError as exc:
        if isinstance(exc, NotFound):
            raise
        details = exc.details if isinstance(exc, Conflict) and exc.details and "key" in exc.details[0] else problems(exc)  # fmt: skip
        return _form_page(
            request, session, actor, form=form, error=exc.render(),
            details=[{k: str(v) for k, v in d.items()} for d in details],
            status_code=exc.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/members/{member.id}?saved=created", status_code=303)


@router.get("/members/{member_id}/edit", response_class=HTMLResponse)
def edit_member_page(
    request: Request, member_id: Id, session: DBSession, actor: WebActor
) -> Response:
    member, _unit = members_service.load_member(
        session, actor=actor, member_id=member_id, perm=Perm.member_edit
    )
    form: dict[str, Any] = {}
    for name in [*PROFILE_FIELDS, "status"]:
        value = getattr(member, name)
        form[name] = "" if value is None else str(getattr(value, "value", value))
    # The CCCD is never written into a page that is not the audited sensitive view: left
    # empty, it stays as it is.
    form["cccd"] = ""
    return _form_page(request, session, actor, form=form, member_id=member_id)


@router.post("/members/{member_id}/edit")
async def update_member_form(
    request: Request, member_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    raw = await request.form()
    return await run_in_threadpool(_update, request, session, actor, ctx, member_id, raw)


def _update(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    member_id: int,
    raw: FormData,
) -> Response:
    members_service.load_member(session, actor=actor, member_id=member_id, perm=Perm.member_edit)
    form = submitted(raw, [*PROFILE_FIELDS, "status"])
    # Only the fields sent change; an empty CCCD or status box keeps what is there.
    sent = {
        k: v
        for k, v in form.items()
        if k in raw and not (k in ("cccd", "status") and not v.strip())
    }
    try:
        data = MemberUpdate.model_validate(sent)
    except ValidationError as exc:
        return _form_page(
            request, session, actor, form=form, member_id=member_id,
            error=_("Chưa lưu được hồ sơ"), details=form_errors.details(exc, LABELS),
            status_code=422,
        )  # fmt: skip
    try:
        with session.begin_nested():
            members_service.update_member(session, ctx, actor=actor, member_id=member_id, data=data)
    except AppError as exc:
        if isinstance(exc, NotFound):
            raise
        return _form_page(
            request, session, actor, form=form, member_id=member_id, error=exc.render(),
            details=problems(exc), status_code=exc.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/members/{member_id}?saved=profile", status_code=303)


@router.post("/members/{member_id}/records/{kind}")
async def add_record_form(
    request: Request, member_id: Id, kind: str, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    raw = await request.form()
    return await run_in_threadpool(_add, request, session, actor, ctx, member_id, kind, raw)


def _add(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    member_id: int,
    kind: str,
    raw: FormData,
) -> Response:
    record_kind = parse_kind(kind)
    schema: type[BaseModel] = SPECS[record_kind].schema
    # The same answer as the API (404 hidden, 403 not allowed) before any input is judged.
    records.check_may_edit(session, actor=actor, member_id=member_id, kind=record_kind)
    form = submitted(raw, list(schema.model_fields))
    try:
        data = schema.model_validate({k: v for k, v in form.items() if v.strip()})
        with session.begin_nested():
            records.add_record(
                session, ctx, actor=actor, member_id=member_id, kind=record_kind, data=data
            )
    except ValidationError as exc:
        return _profile_page(
            request, session, actor, member_id, kind=kind, form=form,
            error=_("Chưa ghi được"), details=form_errors.details(exc, LABELS), status_code=422,
        )  # fmt: skip
    except AppError as exc:
        if isinstance(exc, NotFound | Forbidden):
            raise
        return _profile_page(
            request, session, actor, member_id, kind=kind, form=form, error=exc.render(),
            details=problems(exc), status_code=exc.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/members/{member_id}?saved={kind}#{kind}", status_code=303)


@router.post("/members/{member_id}/records/{kind}/{record_id}/delete")
def delete_record_form(
    member_id: Id, kind: str, record_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    record_kind = parse_kind(kind)
    records.delete_record(
        session, ctx, actor=actor, member_id=member_id, kind=record_kind, record_id=record_id
    )
    return RedirectResponse(f"/members/{member_id}?saved=deleted#{kind}", status_code=303)


# Editing and ending one record: the pages themselves live in member_record_edits.py.


@router.get("/members/{member_id}/records/{kind}/{record_id}/edit", response_class=HTMLResponse)
def edit_record_page(
    request: Request,
    member_id: Id,
    kind: str,
    record_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
) -> Response:
    return edits.edit_page(
        request, session, actor, ctx, member_id=member_id, kind=kind, record_id=record_id
    )


@router.post("/members/{member_id}/records/{kind}/{record_id}/edit")
async def update_record_form(
    request: Request,
    member_id: Id,
    kind: str,
    record_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
) -> Response:
    raw = await request.form()
    return await run_in_threadpool(
        lambda: edits.save_edit(
            request, session, actor, ctx, member_id=member_id, kind=kind, record_id=record_id,
            raw=raw,
        )
    )  # fmt: skip


@router.get("/members/{member_id}/records/{kind}/{record_id}/end", response_class=HTMLResponse)
def end_record_page(
    request: Request,
    member_id: Id,
    kind: str,
    record_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
) -> Response:
    return edits.end_page(
        request, session, actor, ctx, member_id=member_id, kind=kind, record_id=record_id
    )


@router.post("/members/{member_id}/records/{kind}/{record_id}/end")
async def end_record_form(
    request: Request,
    member_id: Id,
    kind: str,
    record_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
) -> Response:
    raw = await request.form()
    return await run_in_threadpool(
        lambda: edits.save_end(
            request, session, actor, ctx, member_id=member_id, kind=kind, record_id=record_id,
            raw=raw,
        )
    )  # fmt: skip


def _profile_page(
    request: Request,
    session: Session,
    actor: Actor,
    member_id: int,
    *,
    kind: str,
    form: dict[str, str],
    error: str,
    details: list[dict[str, str]],
    status_code: int,
) -> Response:
    data = profile.get_profile(session, actor=actor, member_id=member_id)
    ctx = {
        "p": data,
        "is_me": actor.member_id == member_id,
        "open_kind": kind,
        "form": form,
        "error": error,
        "details": details,
        **CHOICES,
    }
    return render(request, "members/profile.html", ctx, status_code=status_code)
