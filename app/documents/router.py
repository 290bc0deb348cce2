"""JSON API for documents: upload, versions, audience, publish, withdraw, download, read receipts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core import audit
from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.deps import AuditCtx, CurrentActor, DBSession, SettingsDep, require_any
from app.core.errors import Invalid
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.documents import service
from app.documents import service_reads as reads
from app.documents.models import Confidentiality, Document, DocumentStatus
from app.documents.schemas import (
    AudienceOut,
    AudienceSet,
    DistributionOut,
    DocumentDetail,
    DocumentMeta,
    DocumentOut,
    ReadReceiptOut,
    UnitReadRate,
    VersionOut,
)
from app.documents.service_storage import Storage, get_storage
from app.documents.service_upload import DocumentSizeGuard, DocumentUpload, read_document_upload
from pipelines.sniff import EXTENSIONS

router = APIRouter(tags=["documents"])

CanManageDocuments = Annotated[Actor, Depends(require_any(Perm.document_manage))]


def storage_dep(settings: SettingsDep) -> Storage:
    return get_storage(settings)


StorageDep = Annotated[Storage, Depends(storage_dep)]


def meta_from_fields(fields: dict[str, str]) -> DocumentMeta:
    """Form fields to metadata; empty strings mean "not given"."""
    data: dict[str, Any] = {k: v for k, v in fields.items() if v != "" and k != "csrf_token"}
    try:
        return DocumentMeta.model_validate(data)
    except ValidationError as exc:
        details = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        raise Invalid("Dữ liệu gửi lên không hợp lệ", details=details) from exc


def detail_out(session: Session, actor: Actor, doc: Document) -> DocumentDetail:
    return DocumentDetail(
        **DocumentOut.model_validate(doc).model_dump(),
        versions=[VersionOut.model_validate(v) for v in service.versions_of(session, doc.id)],
        audience=[AudienceOut.model_validate(a) for a in service.audience_of(session, doc.id)],
        can_manage=service.can_manage(session, actor, doc),
    )


@router.post("/documents", response_model=DocumentDetail, status_code=201)
async def create_document(
    request: Request,
    _guard: DocumentSizeGuard,
    actor: CanManageDocuments,
    session: DBSession,
    ctx: AuditCtx,
    settings: SettingsDep,
    storage: StorageDep,
) -> DocumentDetail:
    upload = await read_document_upload(request, storage, settings.documents.max_bytes)
    # The database work may wait for SQLite's write lock: never on the event loop.
    return await run_in_threadpool(_create, session, ctx, actor, settings, storage, upload)


def _create(
    session: Session,
    ctx: AuditContext,
    actor: Actor,
    settings: Settings,
    storage: Storage,
    upload: DocumentUpload,
) -> DocumentDetail:
    try:
        meta = meta_from_fields(upload.fields)
        doc = service.create_document(
            session,
            ctx,
            actor=actor,
            storage=storage,
            limits=settings.documents,
            meta=meta,
            staged=upload.staged,
            filename=upload.filename,
        )
    finally:
        upload.staged.discard()
    return detail_out(session, actor, doc)


@router.get("/documents", response_model=list[DocumentOut])
def list_documents(
    actor: CurrentActor,
    session: DBSession,
    status: DocumentStatus | None = None,
    unit_id: Id | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DocumentOut]:
    rows = service.list_documents(session, actor=actor, status=status, unit_id=unit_id, limit=limit)
    return [DocumentOut.model_validate(d).model_copy(update={"read_at": r}) for d, r in rows]


@router.get("/documents/{document_id}", response_model=DocumentDetail)
def get_document(document_id: Id, actor: CurrentActor, session: DBSession) -> DocumentDetail:
    doc = service.get_document(session, actor=actor, document_id=document_id)
    return detail_out(session, actor, doc)


@router.post("/documents/{document_id}/versions", response_model=VersionOut, status_code=201)
async def add_version(
    document_id: Id,
    request: Request,
    _guard: DocumentSizeGuard,
    actor: CanManageDocuments,
    session: DBSession,
    ctx: AuditCtx,
    settings: SettingsDep,
    storage: StorageDep,
) -> VersionOut:
    # Scope first: a document outside the actor's reach is 404 before its body is even read.
    # Every database call runs in the threadpool: it may wait for SQLite's write lock.
    await run_in_threadpool(
        lambda: service.get_document(session, actor=actor, document_id=document_id)
    )
    upload = await read_document_upload(request, storage, settings.documents.max_bytes)
    return await run_in_threadpool(
        _add_version, session, ctx, actor, settings, storage, document_id, upload
    )


def _add_version(
    session: Session,
    ctx: AuditContext,
    actor: Actor,
    settings: Settings,
    storage: Storage,
    document_id: Id,
    upload: DocumentUpload,
) -> VersionOut:
    try:
        version = service.add_version(
            session,
            ctx,
            actor=actor,
            storage=storage,
            limits=settings.documents,
            document_id=document_id,
            staged=upload.staged,
            filename=upload.filename,
        )
    finally:
        upload.staged.discard()
    return VersionOut.model_validate(version)


@router.put("/documents/{document_id}/audience", response_model=list[AudienceOut])
def set_audience(
    document_id: Id,
    body: AudienceSet,
    actor: CanManageDocuments,
    session: DBSession,
    ctx: AuditCtx,
) -> list[AudienceOut]:
    rows = service.set_audience(
        session, ctx, actor=actor, document_id=document_id, entries=body.audience
    )
    return [AudienceOut.model_validate(r) for r in rows]


@router.post("/documents/{document_id}/publish", response_model=DistributionOut)
def publish_document(
    document_id: Id, actor: CanManageDocuments, session: DBSession, ctx: AuditCtx
) -> DistributionOut:
    published = service.publish_document(session, ctx, actor=actor, document_id=document_id)
    return DistributionOut.model_validate(published.distribution)


@router.post("/documents/{document_id}/withdraw", response_model=DocumentOut)
def withdraw_document(
    document_id: Id, actor: CanManageDocuments, session: DBSession, ctx: AuditCtx
) -> DocumentOut:
    doc = service.withdraw_document(session, ctx, actor=actor, document_id=document_id)
    return DocumentOut.model_validate(doc)


def file_response(
    session: Session,
    ctx: AuditContext,
    settings: Settings,
    actor: Actor,
    document_id: Id,
    version: int | None,
) -> StreamingResponse:
    """Stream a version's bytes; a member's first download counts as reading it."""
    storage = get_storage(settings)
    doc, ver = service.get_version(
        session, actor=actor, document_id=document_id, version_no=version
    )
    if actor.member_id is not None and doc.status == DocumentStatus.published.value:
        reads.mark_read(session, actor=actor, document_id=doc.id)
    if doc.confidentiality != Confidentiality.normal.value:
        audit.record(
            session,
            ctx,
            "document.download",
            object_type="document",
            object_id=doc.id,
            unit_id=doc.unit_id,
            detail={"version": ver.version_no},
        )
    handle = storage.open(ver.sha256)

    def _iter() -> Iterator[bytes]:
        with handle:
            while chunk := handle.read(256 * 1024):
                yield chunk

    ascii_name = ver.original_filename.encode("ascii", "ignore").decode() or "document"
    from urllib.parse import quote

    disposition = (
        f'attachment; filename="{ascii_name.replace(chr(34), "")}"; '
        f"filename*=UTF-8''{quote(ver.original_filename)}"
    )
    return StreamingResponse(
        _iter(),
        media_type=ver.mime,
        headers={"Content-Disposition": disposition, "Content-Length": str(ver.size)},
    )


@router.get(
    "/documents/{document_id}/file",
    response_class=StreamingResponse,
    responses={200: {"content": {t.mime.split(";")[0]: {} for t in EXTENSIONS.values()}}},
)
def download_document(
    document_id: Id,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
    settings: SettingsDep,
    version: Annotated[Id | None, Query()] = None,
) -> StreamingResponse:
    return file_response(session, ctx, settings, actor, document_id, version)


@router.post("/documents/{document_id}/read", response_model=ReadReceiptOut)
def mark_read(document_id: Id, actor: CurrentActor, session: DBSession) -> ReadReceiptOut:
    read_at, first = reads.mark_read(session, actor=actor, document_id=document_id)
    return ReadReceiptOut(document_id=document_id, read_at=read_at, first=first)


@router.get("/documents/{document_id}/read-rates", response_model=list[UnitReadRate])
def get_read_rates(
    document_id: Id,
    actor: Annotated[Actor, Depends(require_any(Perm.document_view))],
    session: DBSession,
) -> list[UnitReadRate]:
    return reads.read_rates(session, actor=actor, document_id=document_id)
