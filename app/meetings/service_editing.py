"""Editing a meeting before it starts: its fields, agenda and pre-reading, audited.

Members who already had the notice hear about a change of time or place.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.errors import Conflict, Invalid
from app.core.permissions import Actor
from app.core.tree import IN_TREE
from app.meetings.models import AgendaItem, Meeting, MeetingComment, MeetingDocument, MeetingStatus
from app.meetings.schemas import AgendaItemEdit, MeetingUpdate
from app.meetings.service import (
    agenda,
    check_officer,
    document_titles,
    documents,
    get_meeting,
    notify_attendees,
)
from app.members.models import Member

EDITABLE = (MeetingStatus.draft, MeetingStatus.noticed)
SIMPLE_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "chair_member_id",
    "secretary_member_id",
)
# A change to any of these is announced to those who already received the notice.
ANNOUNCED = {"starts_at", "ends_at", "place", "online_link"}


def update_meeting(
    session: Session, ctx: AuditContext, *, actor: Actor, meeting_id: int, data: MeetingUpdate
) -> Meeting:
    """Change a draft or noticed meeting; only the fields sent are touched."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id, manage=True)
    if meeting.status not in EDITABLE:
        raise Conflict("Chỉ sửa được cuộc họp ở trạng thái nháp hoặc đã thông báo")
    sent = data.model_fields_set
    new: dict[str, Any] = {
        name: getattr(data, name) if name in sent else getattr(meeting, name)
        for name in SIMPLE_FIELDS
    }
    new["title"] = new["title"].strip()
    new["place"] = (new["place"] or "").strip()
    if not new["place"] and not new["online_link"]:
        raise Invalid("Cần địa điểm hoặc đường dẫn họp trực tuyến")
    if new["ends_at"] is not None and new["ends_at"] < new["starts_at"]:
        raise Invalid("Giờ kết thúc phải sau giờ bắt đầu")
    if "chair_member_id" in sent:
        check_officer(session, unit, data.chair_member_id, "Chủ trì")
    if "secretary_member_id" in sent:
        check_officer(session, unit, data.secretary_member_id, "Thư ký")

    changed = [name for name in SIMPLE_FIELDS if new[name] != getattr(meeting, name)]
    for name in changed:
        setattr(meeting, name, new[name])
    if data.quorum is not None:
        rule = {
            "quorum_numerator": data.quorum.numerator,
            "quorum_denominator": data.quorum.denominator,
            "quorum_strict": data.quorum.strict,
            "quorum_base": data.quorum.base.value,
        }
        if any(getattr(meeting, k) != v for k, v in rule.items()):
            for k, v in rule.items():
                setattr(meeting, k, v)
            changed.append("quorum")
    if data.agenda is not None and _replace_agenda(session, meeting, data.agenda):
        changed.append("agenda")
    if data.document_ids is not None and _replace_documents(
        session, actor, meeting, data.document_ids
    ):
        changed.append("documents")
    if not changed:
        return meeting
    if "starts_at" in changed:
        # The reminder is about the time; a new time deserves a new reminder.
        meeting.reminded_at = None
    session.flush()
    record(
        session,
        ctx,
        "meeting.update",
        object_type="meeting",
        object_id=meeting.id,
        unit_id=unit.id,
        detail={"fields": changed, "status": meeting.status},
    )
    if meeting.status == MeetingStatus.noticed and ANNOUNCED.intersection(changed):
        notify_attendees(session, meeting, unit.id, "meeting.changed", "Thay đổi lịch họp")
    return meeting


def _snapshot(session: Session, meeting_id: int) -> list[tuple[int, int, str, str]]:
    return [(a.id, a.position, a.title, a.description) for a in agenda(session, meeting_id)]


def _replace_agenda(session: Session, meeting: Meeting, items: list[AgendaItemEdit]) -> bool:
    """Make the agenda exactly `items`, keeping the rows (and comments) of items sent with id."""
    current = {a.id: a for a in agenda(session, meeting.id)}
    keep = [i.id for i in items if i.id is not None]
    if len(keep) != len(set(keep)) or not set(keep) <= set(current):
        raise Invalid("Chương trình họp gửi lên không khớp với cuộc họp")
    removed = [a for a_id, a in current.items() if a_id not in keep]
    if removed:
        commented = session.scalar(
            select(MeetingComment.agenda_item_id)
            .where(MeetingComment.agenda_item_id.in_([a.id for a in removed]))
            .limit(1)
        )
        if commented is not None:
            # Removing the item would delete the members' comments on it with it.
            raise Conflict(
                "Không thể bỏ nội dung «{title}»: đảng viên đã gửi ý kiến về nội dung này",
                title=current[commented].title,
            )
    before = _snapshot(session, meeting.id)
    for a in removed:
        session.delete(a)
    # Park kept items at negative places first: (meeting, position) is unique at every step.
    for n, a_id in enumerate(keep, start=1):
        current[a_id].position = -n
    session.flush()
    for pos, item in enumerate(items, start=1):
        if item.id is None:
            session.add(
                AgendaItem(
                    meeting_id=meeting.id,
                    position=pos,
                    title=item.title.strip(),
                    description=item.description,
                )
            )
        else:
            row = current[item.id]
            row.position, row.title, row.description = pos, item.title.strip(), item.description
    session.flush()
    return _snapshot(session, meeting.id) != before


def _replace_documents(
    session: Session, actor: Actor, meeting: Meeting, document_ids: list[int]
) -> bool:
    """Make the pre-reading exactly `document_ids`.

    Newly attached documents must be visible to the editor (else refused like a missing id);
    one kept from before stays even if this editor cannot see it.
    """
    wanted = list(dict.fromkeys(document_ids))
    current = {d.document_id: d for d in documents(session, meeting.id)}
    added = [d for d in wanted if d not in current]
    titles = document_titles(session, actor, added)
    dropped = [row for doc_id, row in current.items() if doc_id not in wanted]
    for row in dropped:
        session.delete(row)
    for doc_id in added:
        session.add(
            MeetingDocument(meeting_id=meeting.id, document_id=doc_id, title=titles[doc_id])
        )
    session.flush()
    return bool(added or dropped)


def editable(meeting: Meeting) -> bool:
    return meeting.status in EDITABLE


def unit_members(session: Session, unit_id: int) -> list[Any]:
    """(id, full_name) of the unit's current members, for the chair and secretary pickers."""
    return list(
        session.execute(
            select(Member.id, Member.full_name)
            .where(Member.unit_id == unit_id, Member.status.in_(IN_TREE))
            .order_by(Member.name_folded)
        ).all()
    )
