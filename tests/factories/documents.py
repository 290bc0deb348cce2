"""Document factories: small real files (PDF, DOCX, hostile variants) and stored documents."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.permissions import load_actor
from app.documents import service
from app.documents.models import Document
from app.documents.schemas import AudienceIn, DocumentMeta
from app.documents.service_storage import Staged, get_storage
from app.units.models import Unit


def pdf_bytes(text_pages: int = 1, password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(text_pages):
        writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(password)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def docx_bytes(body: bytes = b"<w:document/>") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", body)
    return buf.getvalue()


def zip_bomb_docx() -> bytes:
    """A DOCX whose document.xml inflates a thousandfold (5 MB of zeros)."""
    return docx_bytes(b"\0" * (5 * 1024 * 1024))


def stored_files(settings: Settings) -> set[Path]:
    root = settings.files_dir / "documents"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def stage_bytes(settings: Settings, data: bytes) -> Staged:
    import hashlib

    storage = get_storage(settings)
    path = storage.stage_dir() / f"t-{hashlib.sha256(data).hexdigest()[:16]}"
    path.write_bytes(data)
    return Staged(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def make_document(
    session: Session,
    settings: Settings,
    *,
    by: Account,
    unit: Unit,
    audience: list[Unit] | None = None,
    publish: bool = False,
    title: str = "Kế hoạch học tập nghị quyết",
    content: bytes | None = None,
    include_subtree: bool = True,
) -> Document:
    actor = load_actor(session, by.id)
    assert actor is not None
    ctx = AuditContext(actor_account_id=by.id)
    data = content or f"Nội dung {title}\n".encode()
    staged = stage_bytes(settings, data)
    doc = service.create_document(
        session,
        ctx,
        actor=actor,
        storage=get_storage(settings),
        limits=settings.documents,
        meta=DocumentMeta(unit_id=unit.id, kind="ke_hoach", title=title, number="05-KH/ĐU"),
        staged=staged,
        filename="ke-hoach.txt",
    )
    staged.discard()
    if audience:
        service.set_audience(
            session,
            ctx,
            actor=actor,
            document_id=doc.id,
            entries=[AudienceIn(unit_id=u.id, include_subtree=include_subtree) for u in audience],
        )
    if publish:
        service.publish_document(session, ctx, actor=actor, document_id=doc.id)
    return doc
