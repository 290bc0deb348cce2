"""Documents: create with a checked file, add versions, set the audience, publish, withdraw, read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, null, or_, select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound, from_refusal
from app.core.permissions import Actor, Perm, accessible_unit_ids
from app.documents import service_audience as audience_q
from app.documents.models import (
    Document,
    DocumentAudience,
    DocumentDistribution,
    DocumentRead,
    DocumentStatus,
    DocumentVersion,
)
from app.documents.schemas import AudienceIn, DocumentMeta
from app.documents.service_storage import Staged, Storage, store_in_transaction
from app.knowledge import service_hooks as knowledge_hooks
from app.notifications import service as notifications
from app.units import service as units_service
from app.units.models import Unit
from pipelines.config import DocumentSettings
from pipelines.errors import Refused
from pipelines.sniff import FileType, check_file


def visible_condition(actor: Actor | None) -> Any:
    """Documents the actor may see: their subtree's documents (document_view, any status), and
    published documents addressed to them or to a unit in (or above, with subtree) that subtree."""
    in_scope = Document.unit_id.in_(accessible_unit_ids(actor, Perm.document_view))
    above = sorted(
        {a for p in (actor.paths_for(Perm.document_view) if actor else []) for a in _ids(p)[:-1]}
    )
    addressed_here = exists().where(
        DocumentAudience.document_id == Document.id,
        or_(
            DocumentAudience.unit_id.in_(accessible_unit_ids(actor, Perm.document_view)),
            DocumentAudience.include_subtree.is_(True) & DocumentAudience.unit_id.in_(above),
        ),
    )
    return or_(
        in_scope,
        (Document.status == DocumentStatus.published.value)
        & (Document.id.in_(audience_q.addressed_document_ids(actor)) | addressed_here),
    )


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def get_document(session: Session, *, actor: Actor | None, document_id: int) -> Document:
    """A document the actor may see, else 404."""
    doc = session.scalar(
        select(Document).where(Document.id == document_id, visible_condition(actor))
    )
    if doc is None:
        raise NotFound("Không tìm thấy văn bản")
    return doc


def can_manage(session: Session, actor: Actor | None, doc: Document) -> bool:
    unit = session.get(Unit, doc.unit_id)
    return unit is not None and units_service.allowed_in(actor, Perm.document_manage, unit)


def _managed(session: Session, *, actor: Actor, document_id: int) -> Document:
    doc = get_document(session, actor=actor, document_id=document_id)
    if not can_manage(session, actor, doc):
        raise Forbidden("Bạn không có quyền quản lý văn bản này")
    return doc


def _check_file(staged: Staged, filename: str, limits: DocumentSettings) -> FileType:
    """The upload's type by content (`pipelines.sniff`, as the indexer checks it); a refusal
    is the app's error with the same message, code and status (415 or 422)."""
    try:
        return check_file(staged.path, filename, staged.size, limits)
    except Refused as exc:
        raise from_refusal(exc) from exc


def _issuing_unit(session: Session, actor: Actor, unit_id: int) -> Unit:
    unit = units_service.get_unit(session, actor=actor, unit_id=unit_id)
    if not units_service.allowed_in(actor, Perm.document_manage, unit):
        raise Forbidden("Bạn không có quyền ban hành văn bản cho đơn vị này")
    return unit


def _add_version(
    session: Session,
    *,
    actor: Actor,
    storage: Storage,
    doc: Document,
    staged: Staged,
    filename: str,
    mime: str,
) -> DocumentVersion:
    last = session.scalar(
        select(func.max(DocumentVersion.version_no)).where(DocumentVersion.document_id == doc.id)
    )
    version = DocumentVersion(
        document_id=doc.id,
        version_no=(last or 0) + 1,
        sha256=staged.sha256,
        size=staged.size,
        mime=mime,
        original_filename=filename[-255:],
        uploaded_by=actor.account_id,
    )
    session.add(version)
    session.flush()
    store_in_transaction(session, storage, staged, DocumentVersion.sha256)
    return version


def create_document(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    storage: Storage,
    limits: DocumentSettings,
    meta: DocumentMeta,
    staged: Staged,
    filename: str,
) -> Document:
    """A draft document with its first version; the file is checked before any row is written."""
    unit = _issuing_unit(session, actor, meta.unit_id)
    ftype = _check_file(staged, filename, limits)
    doc = Document(
        **meta.model_dump(), status=DocumentStatus.draft.value, created_by=actor.account_id
    )
    doc.unit_id = unit.id
    session.add(doc)
    session.flush()
    version = _add_version(
        session,
        actor=actor,
        storage=storage,
        doc=doc,
        staged=staged,
        filename=filename,
        mime=ftype.mime,
    )
    audit.record(
        session,
        ctx,
        "document.create",
        object_type="document",
        object_id=doc.id,
        unit_id=unit.id,
        detail={"kind": doc.kind, "sha256": version.sha256, "size": version.size},
    )
    return doc


def add_version(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    storage: Storage,
    limits: DocumentSettings,
    document_id: int,
    staged: Staged,
    filename: str,
) -> DocumentVersion:
    """A new version of a document; earlier versions are kept."""
    doc = _managed(session, actor=actor, document_id=document_id)
    if doc.status == DocumentStatus.withdrawn.value:
        raise Conflict("Văn bản đã thu hồi, không thể thêm phiên bản")
    ftype = _check_file(staged, filename, limits)
    version = _add_version(
        session,
        actor=actor,
        storage=storage,
        doc=doc,
        staged=staged,
        filename=filename,
        mime=ftype.mime,
    )
    audit.record(
        session,
        ctx,
        "document.version",
        object_type="document",
        object_id=doc.id,
        unit_id=doc.unit_id,
        detail={"version": version.version_no, "sha256": version.sha256},
    )
    if doc.status == DocumentStatus.published.value:
        knowledge_hooks.document_changed(session, doc, actor)  # re-index the new version
    return version


def set_audience(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    document_id: int,
    entries: list[AudienceIn],
) -> list[DocumentAudience]:
    """Replace a draft's audience; every unit must lie in the issuing unit's subtree."""
    doc = _managed(session, actor=actor, document_id=document_id)
    if doc.status != DocumentStatus.draft.value:
        raise Conflict("Chỉ sửa được nơi nhận khi văn bản còn là bản nháp")
    issuing = session.get(Unit, doc.unit_id)
    assert issuing is not None
    ids = {e.unit_id for e in entries}
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    for uid in ids:
        unit = units.get(uid)
        if unit is None or not unit.path.startswith(issuing.path) or unit.dissolved_at:
            raise Invalid("Nơi nhận phải là đơn vị trực thuộc đơn vị ban hành")
    seen: set[tuple[int, str | None]] = set()
    rows: list[DocumentAudience] = []
    for row in session.scalars(
        select(DocumentAudience).where(DocumentAudience.document_id == doc.id)
    ):
        session.delete(row)
    session.flush()
    for e in entries:
        key = (e.unit_id, e.role.value if e.role else None)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            DocumentAudience(
                document_id=doc.id,
                unit_id=e.unit_id,
                include_subtree=e.include_subtree,
                role=key[1],
            )
        )
    session.add_all(rows)
    session.flush()
    audit.record(
        session,
        ctx,
        "document.audience",
        object_type="document",
        object_id=doc.id,
        unit_id=doc.unit_id,
        detail={"units": sorted(ids)},
    )
    return rows


@dataclass
class Published:
    document: Document
    distribution: DocumentDistribution


def publish_document(
    session: Session, ctx: AuditContext, *, actor: Actor, document_id: int
) -> Published:
    """Publish a draft and notify everyone in its audience, in bulk."""
    doc = _managed(session, actor=actor, document_id=document_id)
    if doc.status != DocumentStatus.draft.value:
        raise Conflict("Văn bản đã được ban hành hoặc đã thu hồi")
    version_no = session.scalar(
        select(func.max(DocumentVersion.version_no)).where(DocumentVersion.document_id == doc.id)
    )
    has_audience = session.scalar(
        select(func.count()).where(DocumentAudience.document_id == doc.id)
    )
    if not version_no or not has_audience:
        raise Invalid("Cần có tệp và nơi nhận trước khi ban hành văn bản")
    doc.status = DocumentStatus.published.value
    doc.published_at = utcnow()
    recipients = audience_q.recipient_ids(session, doc.id)
    title = f"{doc.number} — {doc.title}" if doc.number else doc.title
    count = notifications.notify(
        session,
        member_ids=recipients,
        kind="document.published",
        title=title[:300],
        body=doc.summary[:500],
        link=f"/documents/{doc.id}",
        unit_id=doc.unit_id,
    )
    dist = DocumentDistribution(
        document_id=doc.id,
        version_no=version_no,
        recipients=count,
        distributed_by=actor.account_id,
    )
    session.add(dist)
    session.flush()
    audit.record(
        session,
        ctx,
        "document.publish",
        object_type="document",
        object_id=doc.id,
        unit_id=doc.unit_id,
        detail={"recipients": count, "version": version_no},
    )
    knowledge_hooks.document_changed(session, doc, actor)  # index it for Hỏi đáp
    return Published(doc, dist)


def withdraw_document(
    session: Session, ctx: AuditContext, *, actor: Actor, document_id: int
) -> Document:
    """Withdraw a document: members no longer see it; its history is kept."""
    doc = _managed(session, actor=actor, document_id=document_id)
    if doc.status == DocumentStatus.withdrawn.value:
        raise Conflict("Văn bản đã được thu hồi")
    doc.status = DocumentStatus.withdrawn.value
    doc.withdrawn_at = utcnow()
    session.flush()
    audit.record(
        session,
        ctx,
        "document.withdraw",
        object_type="document",
        object_id=doc.id,
        unit_id=doc.unit_id,
    )
    knowledge_hooks.document_changed(session, doc, actor)  # remove it from the index
    return doc


def list_documents(
    session: Session,
    *,
    actor: Actor,
    status: DocumentStatus | None = None,
    unit_id: int | None = None,
    limit: int = 100,
) -> list[tuple[Document, Any]]:
    """Visible documents, newest first, each with the actor's own read time (or None)."""
    read_at = (
        select(DocumentRead.read_at)
        .where(DocumentRead.document_id == Document.id, DocumentRead.member_id == actor.member_id)
        .correlate(Document)
        .scalar_subquery()
        if actor.member_id
        else None
    )
    cols: list[Any] = [Document, read_at if read_at is not None else null()]
    q = select(*cols).where(visible_condition(actor))
    if status is not None:
        q = q.where(Document.status == status.value)
    if unit_id is not None:
        q = q.where(Document.unit_id == unit_id)
    q = q.order_by(
        func.coalesce(Document.published_at, Document.created_at).desc(), Document.id.desc()
    )
    return [(row[0], row[1]) for row in session.execute(q.limit(limit))]


def versions_of(session: Session, document_id: int) -> list[DocumentVersion]:
    return list(
        session.scalars(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.version_no)
        )
    )


def audience_of(session: Session, document_id: int) -> list[DocumentAudience]:
    return list(
        session.scalars(
            select(DocumentAudience)
            .where(DocumentAudience.document_id == document_id)
            .order_by(DocumentAudience.id)
        )
    )


def get_version(
    session: Session, *, actor: Actor, document_id: int, version_no: int | None = None
) -> tuple[Document, DocumentVersion]:
    """A version (default the latest) of a document the actor may see."""
    doc = get_document(session, actor=actor, document_id=document_id)
    q = select(DocumentVersion).where(DocumentVersion.document_id == doc.id)
    if version_no is not None:
        q = q.where(DocumentVersion.version_no == version_no)
    version = session.scalar(q.order_by(DocumentVersion.version_no.desc()).limit(1))
    if version is None:
        raise NotFound("Không tìm thấy phiên bản văn bản")
    return doc, version
