"""The minutes as a PDF, and the printable meeting pack (notice, agenda, pre-reading and the
approved minutes) for members without a phone; both audited like the DOCX."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.errors import AppError, NotFound
from app.core.permissions import Actor
from app.documents.models import Document
from app.documents.service_reading import reading_of
from app.meetings import service as meetings_service
from app.meetings.models import Meeting
from app.minutes import service_text as text
from app.minutes.models import Minutes
from app.minutes.service import (
    NO_MINUTES,
    Access,
    audit_minutes,
    find,
    get_meeting,
    get_minutes,
    published,
    visible_text,
)
from app.minutes.service_input import build_record
from pipelines.minutes import MinutesDraft
from pipelines.minutes.pack import MeetingPack, PackAgendaItem, PackDocument, render_pack
from pipelines.minutes.pdf_export import render_pdf

FIRST_PAGE_CHARS = 2500  # about one printed page of a document's opening


def _draft(session: Session, minutes: Minutes, level: Access) -> MinutesDraft:
    layout, sections = visible_text(session, minutes, level)
    return text.to_draft(
        layout,
        sections,
        minutes.provenance or {},
        mode=minutes.mode,
        fallback_reason=minutes.fallback_reason,
    )


def export_pdf(
    session: Session, ctx: AuditContext, *, actor: Actor, meeting_id: int
) -> tuple[Meeting, bytes]:
    """The minutes as an A4 PDF in the official layout (readers: the locked version); audited."""
    meeting, minutes, level = get_minutes(session, actor=actor, meeting_id=meeting_id)
    if minutes is None or not minutes.sections:
        raise NotFound(NO_MINUTES)
    audit_minutes(session, ctx, "minutes.export", minutes, {"format": "pdf"})
    return meeting, render_pdf(_draft(session, minutes, level))


def _first_page(session: Session, settings: Settings, doc: Document) -> str:
    try:
        reading = reading_of(session, settings, doc)
    except AppError:
        return ""
    if reading is None:
        return ""
    out: list[str] = []
    size = 0
    for part in reading.parts:
        if size >= FIRST_PAGE_CHARS:
            break
        if part.text.strip():
            out.append(part.text.strip())
            size += len(part.text)
    return "\n".join(out)[:FIRST_PAGE_CHARS]


def _documents(session: Session, settings: Settings, meeting: Meeting) -> list[PackDocument]:
    out: list[PackDocument] = []
    for row in meetings_service.documents(session, meeting.id):
        doc = session.get(Document, row.document_id)
        if doc is None:
            continue
        title = row.title or doc.title
        if doc.summary.strip():
            out.append(PackDocument(title=title, symbol=doc.number or "", text=doc.summary.strip()))
            continue
        first = _first_page(session, settings, doc)
        if first:
            out.append(
                PackDocument(title=title, symbol=doc.number or "", kind="first_page", text=first)
            )
    return out


def meeting_pack(
    session: Session, ctx: AuditContext, settings: Settings, *, actor: Actor, meeting_id: int
) -> tuple[Meeting, bytes]:
    """The printable pack of a meeting as one PDF, for anyone who may read its minutes; the
    minutes in it are the approved (locked) version only, whoever asks."""
    meeting, unit, _level = get_meeting(
        session, actor=actor, meeting_id=meeting_id, need=Access.read
    )
    minutes = find(session, meeting.id)
    record = build_record(
        session, meeting=meeting, unit=unit, items=(minutes.items if minutes else None) or {}
    )
    approved = None
    if minutes is not None and published(session, minutes) is not None:
        approved = _draft(session, minutes, Access.read)
        audit_minutes(session, ctx, "minutes.export", minutes, {"format": "pack"})
    pack = MeetingPack(
        superior_committee=record.superior_committee,
        cell_name=record.cell_name,
        title=meeting.title,
        date=record.date,
        start=record.start,
        end=record.end if record.end != record.start else None,
        place=record.place,
        agenda=[PackAgendaItem(title=a.title, presenter=a.presenter) for a in record.agenda],
        documents=_documents(session, settings, meeting),
        minutes=approved,
    )
    return meeting, render_pack(pack)
