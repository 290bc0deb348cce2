"""The minutes' history and exports: versions and their diffs, the review steps, the DOCX."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.errors import NotFound
from app.core.i18n import N_
from app.core.permissions import Actor
from app.meetings.models import Meeting
from app.minutes import service_text as text
from app.minutes.models import Minutes, MinutesReview, MinutesVersion
from app.minutes.service import (
    NO_MINUTES,
    audit_minutes,
    find,
    get_meeting,
    get_minutes,
    visible_text,
)
from pipelines.minutes.docx_export import render_docx


def list_versions(session: Session, *, actor: Actor, meeting_id: int) -> Sequence[MinutesVersion]:
    """Every version, newest first (managers only)."""
    meeting, _unit, _level = get_meeting(session, actor=actor, meeting_id=meeting_id)
    minutes = find(session, meeting.id)
    if minutes is None:
        return []
    return session.scalars(
        select(MinutesVersion)
        .where(MinutesVersion.minutes_id == minutes.id)
        .order_by(MinutesVersion.number.desc())
    ).all()


def diff_versions(
    session: Session, *, actor: Actor, meeting_id: int, number: int, against: int | None = None
) -> tuple[int, int, list[dict[str, Any]]]:
    """What changed from version `against` (default: the one before) to version `number`."""
    meeting, _unit, _level = get_meeting(session, actor=actor, meeting_id=meeting_id)
    minutes = find(session, meeting.id)
    missing = N_("Không tìm thấy phiên bản biên bản")
    if minutes is None:
        raise NotFound(missing)
    old_no = number - 1 if against is None else against
    rows = {
        v.number: v
        for v in session.scalars(
            select(MinutesVersion).where(
                MinutesVersion.minutes_id == minutes.id,
                MinutesVersion.number.in_({number, old_no}),
            )
        )
    }
    new = rows.get(number)
    if new is None or (old_no != 0 and old_no not in rows):
        raise NotFound(missing)
    old_sections = rows[old_no].sections if old_no in rows else {}
    return old_no, number, text.diff_sections(new.layout, old_sections, new.sections)


def reviews(session: Session, minutes: Minutes) -> Sequence[MinutesReview]:
    """The review chain's steps, oldest first."""
    return session.scalars(
        select(MinutesReview)
        .where(MinutesReview.minutes_id == minutes.id)
        .order_by(MinutesReview.id)
    ).all()


def export_docx(
    session: Session, ctx: AuditContext, *, actor: Actor, meeting_id: int
) -> tuple[Meeting, bytes]:
    """The minutes as a DOCX in the official layout (readers: the locked version); audited."""
    meeting, minutes, level = get_minutes(session, actor=actor, meeting_id=meeting_id)
    if minutes is None or not minutes.sections:
        raise NotFound(NO_MINUTES)
    audit_minutes(session, ctx, "minutes.export", minutes, {"format": "docx"})
    layout, sections = visible_text(session, minutes, level)
    draft = text.to_draft(
        layout,
        sections,
        minutes.provenance or {},
        mode=minutes.mode,
        fallback_reason=minutes.fallback_reason,
    )
    return meeting, render_docx(draft)
