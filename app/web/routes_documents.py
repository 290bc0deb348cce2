"""Web pages for documents: list with unread markers, upload form, document page with feedback."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.deps import AuditCtx, DBSession, SettingsDep
from app.core.errors import AppError, Forbidden, Invalid
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.documents import service
from app.documents import service_reads as reads
from app.documents.models import DocumentStatus
from app.documents.router import meta_from_fields
from app.documents.schemas import (
    CONFIDENTIALITY_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    AudienceIn,
)
from app.documents.service_reading import Unreadable, reading_of
from app.documents.service_storage import Storage, get_storage
from app.documents.service_upload import DocumentSizeGuard, DocumentUpload, read_document_upload
from app.feedback import service as feedback_service
from app.feedback.models import TargetType
from app.feedback.schemas import STATUS_LABELS as FEEDBACK_STATUS
from app.feedback.schemas import IdeaCreate
from app.knowledge import service as knowledge_service
from app.units import service as units_service
from app.units.models import Unit
from app.web.forms import IdeaFields, form_page, validated
from app.web.guard import WebActor
from app.web.summary_view import summary_context
from app.web.templating import render

router = APIRouter()

DONE = {
    "created": "Đã tải lên văn bản (bản nháp)",
    "audience": "Đã lưu nơi nhận",
    "published": "Đã ban hành và gửi thông báo đến nơi nhận",
    "withdrawn": "Đã thu hồi văn bản",
    "version": "Đã tải lên phiên bản mới",
}
NEW_PAGE = "documents/new.html"


def _managed_units(session: Session, actor: Actor) -> list[Unit]:
    return units_service.units_for_picker(session, actor=actor, perm=Perm.document_manage)


def _labels() -> dict[str, Any]:
    return {
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "conf_labels": CONFIDENTIALITY_LABELS,
    }


@router.get("/documents")
def documents_page(
    request: Request,
    session: DBSession,
    actor: WebActor,
    status: DocumentStatus | None = None,
) -> Response:
    rows = service.list_documents(session, actor=actor, status=status, limit=200)
    return render(
        request,
        "documents/list.html",
        {
            "rows": rows,
            "status": status.value if status else "",
            "can_upload": actor.has_any(Perm.document_manage),
            **_labels(),
        },
    )


def _new_context(session: Session, actor: Actor) -> dict[str, Any]:
    return {"units": _managed_units(session, actor), **_labels()}


@router.get("/documents/new")
def new_document_page(request: Request, session: DBSession, actor: WebActor) -> Response:
    if not actor.has_any(Perm.document_manage):
        raise Forbidden("Bạn không có quyền ban hành văn bản")
    return form_page(request, NEW_PAGE, _new_context(session, actor), form={})


@router.post("/documents/new")
async def upload_document(
    request: Request,
    _guard: DocumentSizeGuard,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    settings: SettingsDep,
) -> Response:
    if not actor.has_any(Perm.document_manage):
        raise Forbidden("Bạn không có quyền ban hành văn bản")
    storage = get_storage(settings)
    try:
        upload = await read_document_upload(request, storage, settings.documents.max_bytes)
    except AppError as exc:
        return await run_in_threadpool(_upload_failed, request, session, actor, {}, exc)
    # The database work may wait for SQLite's write lock: never on the event loop.
    return await run_in_threadpool(_create, request, session, actor, ctx, settings, storage, upload)


def _create(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    settings: Settings,
    storage: Storage,
    upload: DocumentUpload,
) -> Response:
    try:
        try:
            doc = service.create_document(
                session,
                ctx,
                actor=actor,
                storage=storage,
                limits=settings.documents,
                meta=meta_from_fields(upload.fields),
                staged=upload.staged,
                filename=upload.filename,
            )
        finally:
            upload.staged.discard()
    except AppError as exc:
        return _upload_failed(request, session, actor, upload.fields, exc)
    return RedirectResponse(f"/documents/{doc.id}?done=created", status_code=303)


def _upload_failed(
    request: Request, session: Session, actor: Actor, form: dict[str, str], exc: AppError
) -> Response:
    details = exc.details if isinstance(exc.details, list) else None
    return form_page(
        request,
        NEW_PAGE,
        _new_context(session, actor),
        form=form,
        error=exc.render(),
        details=details,
        status_code=exc.status_code,
    )


@router.get("/documents/{document_id}")
def document_page(
    request: Request,
    document_id: Id,
    session: DBSession,
    actor: WebActor,
    settings: SettingsDep,
    done: str = "",
    passage: Annotated[str, Query(max_length=6)] = "",
) -> Response:
    doc = service.get_document(session, actor=actor, document_id=document_id)
    # A Hỏi đáp citation links here with the passage's number: it is marked in the text.
    cited = (
        knowledge_service.passage_text(session, doc.id, int(passage)) if passage.isdigit() else None
    )
    try:
        reading, unreadable = reading_of(session, settings, doc, cited), None
    except Unreadable as exc:
        reading, unreadable = None, exc.render()
    # Opening the page is reading it: the member's first open is their read receipt.
    if actor.member_id is not None and doc.status == DocumentStatus.published.value:
        reads.mark_read(session, actor=actor, document_id=doc.id)
    manage = service.can_manage(session, actor, doc)
    rates = (
        reads.read_rates(session, actor=actor, document_id=doc.id)
        if actor.has_any(Perm.document_view) and doc.status != DocumentStatus.draft.value
        else []
    )
    audience_ids = {a.unit_id for a in service.audience_of(session, doc.id)}
    issuing = session.get(Unit, doc.unit_id)
    targets = (
        list(
            session.scalars(
                select(Unit)
                .where(Unit.path.startswith(issuing.path), Unit.dissolved_at.is_(None))
                .order_by(Unit.path)
                .limit(500)
            )
        )
        if manage and issuing is not None and doc.status == DocumentStatus.draft.value
        else []
    )
    threads = feedback_service.list_threads(
        session, actor=actor, target_type=TargetType.document, target_id=doc.id
    )
    # The summary above the text, its citations linked to anchors placed in `reading`.
    summary = summary_context(session, actor, doc.id, reading)
    return render(
        request,
        "documents/detail.html",
        {
            "doc": doc,
            "issuing": issuing,
            "versions": service.versions_of(session, doc.id),
            "audience": service.audience_of(session, doc.id),
            "audience_ids": audience_ids,
            "targets": targets,
            "manage": manage,
            "rates": rates,
            "threads": threads,
            "feedback_status": FEEDBACK_STATUS,
            "reading": reading,
            "unreadable": unreadable,
            "cited": cited,
            "flash": _(DONE[done]) if done in DONE else None,
            **summary,
            **_labels(),
        },
    )


@router.post("/documents/{document_id}/audience")
async def save_audience(
    request: Request, document_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    form = await request.form(max_fields=600)
    subtree = form.get("include_subtree") == "1"
    ids = [int(v) for v in form.getlist("unit_id") if isinstance(v, str) and v.isdigit()]
    if not ids:
        raise Invalid("Chọn ít nhất một nơi nhận")
    entries = [AudienceIn(unit_id=i, include_subtree=subtree) for i in ids]
    # The write may wait for SQLite's write lock: never on the event loop.
    await run_in_threadpool(
        lambda: service.set_audience(
            session, ctx, actor=actor, document_id=document_id, entries=entries
        )
    )
    return RedirectResponse(f"/documents/{document_id}?done=audience", status_code=303)


@router.post("/documents/{document_id}/publish")
def publish_document(
    request: Request, document_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    service.publish_document(session, ctx, actor=actor, document_id=document_id)
    return RedirectResponse(f"/documents/{document_id}?done=published", status_code=303)


@router.post("/documents/{document_id}/withdraw")
def withdraw_document(
    request: Request, document_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    service.withdraw_document(session, ctx, actor=actor, document_id=document_id)
    return RedirectResponse(f"/documents/{document_id}?done=withdrawn", status_code=303)


@router.post("/documents/{document_id}/comments")
def comment_document(
    request: Request,
    document_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    idea: IdeaFields,
) -> Response:
    data = validated(IdeaCreate, idea)
    thread = feedback_service.open_thread(
        session,
        ctx,
        actor=actor,
        target_type=TargetType.document,
        target_id=document_id,
        title=data.title,
        body=data.body,
    )
    return RedirectResponse(f"/feedback/{thread.id}?done=opened", status_code=303)
