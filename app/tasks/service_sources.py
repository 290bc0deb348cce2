"""A task's source (a meeting or a document): the check that it belongs with the task's unit,
the choices the task form offers, and the links shown on tasks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import Invalid
from app.core.permissions import Actor, Perm, unit_scope
from app.documents.models import Document
from app.meetings.models import Meeting, MeetingStatus
from app.tasks.models import TaskSource
from app.units import service as units_service
from app.units.models import Unit

# How many recent meetings and documents the task form offers as a source.
CHOICES = 30


def check_source(
    session: Session, *, actor: Actor, unit: Unit, source_type: TaskSource, source_id: int | None
) -> None:
    """Refuse (422) a source that is missing, out of the actor's sight, or not from this unit or
    a unit above it; every refusal reads the same, so ids of unseen meetings and documents (a
    parent ward's drafts included) leak nothing."""
    if source_type == TaskSource.other:
        return
    from app.documents.service import visible_condition as document_visible
    from app.meetings.service import visible_condition as meeting_visible

    if source_type == TaskSource.meeting:
        found = select(Unit).join(Meeting, Meeting.unit_id == Unit.id)
        found = found.where(Meeting.id == source_id, meeting_visible(actor))
    else:
        found = select(Unit).join(Document, Document.unit_id == Unit.id)
        found = found.where(Document.id == source_id, document_visible(actor))
    row = session.execute(found).scalar_one_or_none()
    # Sources come from this unit or above it (a committee's document, a ward meeting); a
    # document from elsewhere counts when the actor can see its unit.
    from_above = row is not None and unit.path.startswith(row.path)
    visible_doc = (
        row is not None
        and source_type == TaskSource.document
        and units_service.allowed_in(actor, Perm.unit_view, row)
    )
    if not (from_above or visible_doc):
        raise Invalid("Không tìm thấy cuộc họp hoặc văn bản làm nguồn của nhiệm vụ")


def _self_and_above(unit: Unit) -> list[int]:
    return [int(p) for p in unit.path.strip("/").split("/") if p]


def choices(session: Session, *, actor: Actor, unit: Unit) -> dict[str, list[Any]]:
    """What the task form offers as a source: recent meetings and documents of the unit or a
    unit above it, only those the actor can see (the permission helper decides)."""
    from app.documents.service import visible_condition

    units = _self_and_above(unit)
    meetings = session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at)
        .join(Unit, Unit.id == Meeting.unit_id)
        .where(
            Meeting.unit_id.in_(units),
            Meeting.status != MeetingStatus.draft,
            unit_scope(actor, Perm.unit_view),
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(CHOICES)
    ).all()
    documents = session.execute(
        select(Document.id, Document.title, Document.number)
        .where(Document.unit_id.in_(units), visible_condition(actor))
        .order_by(Document.id.desc())
        .limit(CHOICES)
    ).all()
    return {"meetings": list(meetings), "documents": list(documents)}


def parse_choice(value: str) -> tuple[TaskSource, int | None]:
    """ "meeting:12", "document:5" or "" (no source) from the form's one picker."""
    kind, _sep, raw = value.partition(":")
    if kind in (TaskSource.meeting, TaskSource.document) and raw.isdigit():
        return TaskSource(kind), int(raw)
    return TaskSource.other, None


def labels(
    session: Session, *, actor: Actor, refs: Iterable[tuple[str, int | None]]
) -> dict[str, dict[str, str]]:
    """ "meeting:12" -> {"title", "href"} for the sources among `refs` that the actor can see;
    a source out of the actor's sight gets no entry, so its title never shows."""
    from app.documents.service import visible_condition

    wanted: dict[str, set[int]] = {"meeting": set(), "document": set()}
    for kind, source_id in refs:
        if kind in wanted and source_id is not None:
            wanted[kind].add(source_id)
    out: dict[str, dict[str, str]] = {}
    if wanted["meeting"]:
        managed = select(Unit.id).where(unit_scope(actor, Perm.meeting_manage))
        for m_id, title in session.execute(
            select(Meeting.id, Meeting.title)
            .join(Unit, Unit.id == Meeting.unit_id)
            .where(
                Meeting.id.in_(wanted["meeting"]),
                unit_scope(actor, Perm.unit_view),
                (Meeting.status != MeetingStatus.draft) | Meeting.unit_id.in_(managed),
            )
        ):
            out[f"meeting:{m_id}"] = {"title": title, "href": f"/meetings/{m_id}"}
    if wanted["document"]:
        for d_id, title in session.execute(
            select(Document.id, Document.title).where(
                Document.id.in_(wanted["document"]), visible_condition(actor)
            )
        ):
            out[f"document:{d_id}"] = {"title": title, "href": f"/documents/{d_id}"}
    return out
