"""Minutes of a meeting: who may draft, edit and read them, the notes, the draft job, section
edits with versions, and the consistency check. The review chain and the lock are in
`service_review`."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.i18n import N_
from app.core.permissions import Actor
from app.jobs.models import JobStatus
from app.meetings import service as meetings_service
from app.meetings.models import AgendaItem, Meeting, MeetingStatus
from app.minutes import service_text as text
from app.minutes.models import (
    Minutes,
    MinutesState,
    MinutesVersion,
    VersionKind,
)
from app.minutes.schemas import ItemMeta
from app.minutes.service_input import build_input
from app.units.models import Unit
from pipelines import minutes as pm

DRAFT_KIND = "minutes.draft"
MISSING_MEETING = "Không tìm thấy cuộc họp"
NOT_APPROVED = N_("Biên bản chưa được duyệt")
NO_MINUTES = N_("Cuộc họp chưa có biên bản")
DENIED = N_("Chỉ thư ký, chủ trì cuộc họp và cấp trên được soạn và duyệt biên bản")
NOT_HELD = N_("Cuộc họp chưa diễn ra: chưa thể soạn biên bản")
NOT_EDITABLE = N_("Biên bản đang chờ duyệt hoặc đã khóa: không sửa được")
UNKNOWN_SECTION = N_("Không có mục này trong biên bản: {keys}")
EDITABLE = (MinutesState.draft, MinutesState.returned)
OPEN_JOB = (JobStatus.queued, JobStatus.running)


class Access(enum.IntEnum):
    none = 0
    read = 1  # a member of the meeting's cell: the approved (locked) minutes only
    manage = 2  # the meeting's secretary or chair, and meeting managers of the unit and above


def access(actor: Actor | None, meeting: Meeting, unit: Unit) -> Access:
    """What `actor` may do with the minutes of a meeting they can already see."""
    if actor is None:
        return Access.none
    officers = {meeting.secretary_member_id, meeting.chair_member_id} - {None}
    if actor.member_id in officers or meetings_service.can_manage(actor, unit):
        return Access.manage
    if actor.member_unit_id == unit.id:
        return Access.read
    return Access.none


def get_meeting(
    session: Session, *, actor: Actor | None, meeting_id: int, need: Access = Access.manage
) -> tuple[Meeting, Unit, Access]:
    """The meeting, for an actor with at least `need` on its minutes. Anyone with no access to
    the minutes gets exactly the answer a missing meeting gives; a reader asking to write, 403."""
    try:
        meeting, unit = meetings_service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    except NotFound:
        raise NotFound(MISSING_MEETING) from None
    level = access(actor, meeting, unit)
    if level is Access.none:
        raise NotFound(MISSING_MEETING)
    if level < need:
        raise Forbidden(DENIED)
    return meeting, unit, level


def find(session: Session, meeting_id: int) -> Minutes | None:
    return session.scalar(select(Minutes).where(Minutes.meeting_id == meeting_id))


def get_minutes(
    session: Session, *, actor: Actor | None, meeting_id: int
) -> tuple[Meeting, Minutes | None, Access]:
    """The minutes as the actor may see them: managers any state (None before anything was
    written), readers only once locked (else 404)."""
    meeting, _unit, level = get_meeting(
        session, actor=actor, meeting_id=meeting_id, need=Access.read
    )
    minutes = find(session, meeting.id)
    if level is Access.read and (minutes is None or minutes.locked_version_id is None):
        raise NotFound(NOT_APPROVED)
    return meeting, minutes, level


def read_minutes(
    session: Session, ctx: AuditContext, *, actor: Actor | None, meeting_id: int
) -> tuple[Meeting, Minutes | None, Access]:
    """`get_minutes` for showing them: the minutes name absent members and their reasons, so
    every read of the text is audited."""
    meeting, minutes, level = get_minutes(session, actor=actor, meeting_id=meeting_id)
    if minutes is not None:
        audit_minutes(session, ctx, "minutes.read", minutes, {"manage": level is Access.manage})
    return meeting, minutes, level


def published(session: Session, minutes: Minutes) -> MinutesVersion | None:
    """The version members read: the last one locked."""
    if minutes.locked_version_id is None:
        return None
    return session.get(MinutesVersion, minutes.locked_version_id)


def ensure_minutes(session: Session, meeting: Meeting) -> Minutes:
    minutes = find(session, meeting.id)
    if minutes is None:
        now = utcnow()
        minutes = Minutes(
            meeting_id=meeting.id,
            unit_id=meeting.unit_id,
            state=MinutesState.draft,
            notes="",
            items={},
            layout={},
            sections={},
            provenance={},
            edited_keys=[],
            mismatches=[],
            created_at=now,
            updated_at=now,
        )
        session.add(minutes)
        session.flush()
    return minutes


def require_editable(minutes: Minutes) -> None:
    if minutes.state not in EDITABLE:
        raise Conflict(NOT_EDITABLE)


def require_held(meeting: Meeting) -> None:
    if meeting.status not in (MeetingStatus.in_progress, MeetingStatus.closed):
        raise Conflict(NOT_HELD)


def audit_minutes(
    session: Session,
    ctx: AuditContext,
    action: str,
    minutes: Minutes,
    detail: dict[str, Any] | None = None,
) -> None:
    record(
        session,
        ctx,
        action,
        object_type="minutes",
        object_id=minutes.id,
        unit_id=minutes.unit_id,
        detail={"meeting_id": minutes.meeting_id, **(detail or {})},
    )


def set_notes(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    notes: str,
    items: dict[int, ItemMeta] | None = None,
) -> Minutes:
    """Save the secretary's notes (and each agenda item's presenter, conclusion, documents)."""
    meeting, _unit, _level = get_meeting(session, actor=actor, meeting_id=meeting_id)
    require_held(meeting)
    minutes = ensure_minutes(session, meeting)
    require_editable(minutes)
    minutes.notes = text.normalise(notes)
    if items is not None:
        known = set(
            session.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id))
        )
        unknown = sorted(set(items) - known)
        if unknown:
            raise Invalid(
                N_("Không có nội dung này trong chương trình họp: {ids}"),
                ids=", ".join(map(str, unknown)),
            )
        merged = dict(minutes.items or {})
        for item_id, meta in items.items():
            merged[str(item_id)] = meta.model_dump()
        minutes.items = merged
    minutes.updated_at = utcnow()
    audit_minutes(session, ctx, "minutes.notes", minutes, {"items": sorted(items or {})})
    session.flush()
    return minutes


def minutes_input(session: Session, minutes: Minutes) -> pm.MinutesInput:
    """The pipeline's input for these minutes, from the record as it is now."""
    meeting = session.get(Meeting, minutes.meeting_id)
    unit = session.get(Unit, minutes.unit_id)
    assert meeting is not None and unit is not None
    return build_input(
        session, meeting=meeting, unit=unit, notes=minutes.notes, items=minutes.items or {}
    )


def check(
    session: Session, minutes: Minutes, sections: dict[str, Any] | None = None
) -> list[pm.Mismatch]:
    """The consistency check of the working text (or of `sections`, a proposed text) against
    the record as it is now."""
    text_ = minutes.sections if sections is None else sections
    if not text_:
        return []
    return pm.check_minutes(text_, minutes_input(session, minutes).record)


def proposed(minutes: Minutes, sections: dict[str, str]) -> dict[str, Any]:
    """The working text with `sections` written in, without changing the record."""
    return {**(minutes.sections or {}), **{k: text.normalise(v) for k, v in sections.items()}}


def current_mismatches(session: Session, minutes: Minutes) -> list[dict[str, Any]]:
    """What the page lists next to the sentences: the check run again while the minutes can
    still change (the record may have changed since the last edit), the stored one after."""
    if minutes.state == MinutesState.locked:
        return list(minutes.mismatches or [])
    return [m.model_dump() for m in check(session, minutes)]


def _next_number(session: Session, minutes_id: int) -> int:
    last = session.scalar(
        select(func.max(MinutesVersion.number)).where(MinutesVersion.minutes_id == minutes_id)
    )
    return int(last or 0) + 1


def latest_number(session: Session, minutes_id: int) -> int:
    """The number of the newest version (0 before the first draft)."""
    return _next_number(session, minutes_id) - 1


def add_version(
    session: Session,
    minutes: Minutes,
    *,
    kind: VersionKind,
    author_account_id: int | None,
    changed: Sequence[str],
    reason: str = "",
) -> MinutesVersion:
    """A new version row holding the full working text as it is now."""
    version = MinutesVersion(
        minutes_id=minutes.id,
        number=_next_number(session, minutes.id),
        kind=kind,
        author_account_id=author_account_id,
        created_at=utcnow(),
        reason=reason,
        changed_keys=sorted(changed),
        layout=dict(minutes.layout),
        sections=dict(minutes.sections),
        locked=False,
    )
    session.add(version)
    session.flush()
    return version


def apply_sections(minutes: Minutes, sections: dict[str, str]) -> list[str]:
    """Write new text into the working sections; the keys that changed."""
    editable = set((minutes.layout or {}).get("order", []))
    unknown = sorted(set(sections) - editable)
    if unknown:
        raise Invalid(UNKNOWN_SECTION, keys=", ".join(unknown))
    current = dict(minutes.sections or {})
    provenance = dict(minutes.provenance or {})
    changed: list[str] = []
    for key, value in sections.items():
        new = text.normalise(value)
        if new == current.get(key):
            continue
        provenance[key] = text.keep_provenance(provenance.get(key, []), new)
        current[key] = new
        changed.append(key)
    minutes.sections, minutes.provenance = current, provenance
    minutes.edited_keys = sorted(set(minutes.edited_keys or []) | set(changed))
    return changed


def edit_sections(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    sections: dict[str, str],
    reason: str = "",
) -> Minutes:
    """The secretary's edit of one or more sections: a new version, the check run again and
    its findings stored."""
    meeting, _unit, _level = get_meeting(session, actor=actor, meeting_id=meeting_id)
    minutes = find(session, meeting.id)
    if minutes is None or not minutes.sections:
        raise Conflict(NO_MINUTES)
    require_editable(minutes)
    changed = apply_sections(minutes, sections)
    if not changed:
        return minutes
    minutes.mismatches = [m.model_dump() for m in check(session, minutes)]
    minutes.updated_at = utcnow()
    version = add_version(
        session,
        minutes,
        kind=VersionKind.correction if minutes.correction_reason else VersionKind.edit,
        author_account_id=actor.account_id,
        changed=changed,
        reason=reason,
    )
    audit_minutes(
        session,
        ctx,
        "minutes.edit",
        minutes,
        {"version": version.number, "sections": changed, "mismatches": len(minutes.mismatches)},
    )
    session.flush()
    return minutes


def visible_text(
    session: Session, minutes: Minutes, level: Access
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Layout and sections as this caller reads them: managers the working text, readers the
    locked version."""
    if level is Access.manage:
        return minutes.layout or {}, minutes.sections or {}
    locked = published(session, minutes)
    if locked is None:
        raise NotFound(NOT_APPROVED)
    return locked.layout, locked.sections
