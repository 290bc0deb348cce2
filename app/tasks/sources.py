"""Checks that a task's source (a meeting or a document) exists and belongs with the task's unit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import Invalid
from app.core.permissions import Actor, Perm
from app.documents.models import Document
from app.meetings.models import Meeting
from app.tasks.models import TaskSource
from app.units import service as units_service
from app.units.models import Unit


def check_source(
    session: Session, *, actor: Actor, unit: Unit, source_type: TaskSource, source_id: int | None
) -> None:
    """Refuse (422) a source that is missing, or not from this unit or a unit above it."""
    if source_type == TaskSource.other:
        return
    model = Meeting if source_type == TaskSource.meeting else Document
    row = session.execute(
        select(Unit).join(model, model.unit_id == Unit.id).where(model.id == source_id)
    ).scalar_one_or_none()
    # Sources come from this unit or above it (a committee's document, a ward meeting); a
    # document from elsewhere counts only if the actor can see its unit. Anything else reads
    # the same as a missing source, so ids of other units' meetings leak nothing.
    from_above = row is not None and unit.path.startswith(row.path)
    visible_doc = (
        row is not None
        and source_type == TaskSource.document
        and units_service.allowed_in(actor, Perm.unit_view, row)
    )
    if not (from_above or visible_doc):
        raise Invalid("Không tìm thấy cuộc họp hoặc văn bản làm nguồn của nhiệm vụ")
