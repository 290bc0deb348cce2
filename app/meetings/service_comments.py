"""Comments and proposals (ý kiến, kiến nghị) sent before the meeting, grouped for the secretary."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.errors import Conflict, Forbidden, Invalid
from app.core.permissions import Actor
from app.meetings.models import Attendance, Meeting, MeetingComment, MeetingStatus
from app.meetings.schemas import CommentGroup, CommentIn, CommentOut
from app.meetings.service import agenda, can_manage, documents, get_meeting

OPEN_FOR_COMMENTS = (MeetingStatus.noticed, MeetingStatus.in_progress)


def add_comment(
    session: Session, ctx: AuditContext, *, actor: Actor, meeting_id: int, data: CommentIn
) -> MeetingComment:
    """An invited member sends an opinion or proposal, on an agenda item, a document or generally."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id)
    if meeting.status not in OPEN_FOR_COMMENTS:
        raise Conflict("Cuộc họp không nhận ý kiến ở trạng thái này")
    invited = actor.member_id is not None and session.scalar(
        select(Attendance.id).where(
            Attendance.meeting_id == meeting.id, Attendance.member_id == actor.member_id
        )
    )
    if not invited:
        raise Forbidden("Chỉ đảng viên được triệu tập mới gửi ý kiến")
    if data.agenda_item_id is not None and data.agenda_item_id not in {
        a.id for a in agenda(session, meeting.id)
    }:
        raise Invalid("Nội dung chương trình không thuộc cuộc họp này")
    if data.document_id is not None and data.document_id not in {
        d.document_id for d in documents(session, meeting.id)
    }:
        raise Invalid("Tài liệu không thuộc cuộc họp này")
    assert actor.member_id is not None
    comment = MeetingComment(
        meeting_id=meeting.id,
        member_id=actor.member_id,
        kind=data.kind,
        agenda_item_id=data.agenda_item_id,
        document_id=data.document_id,
        body=data.body.strip(),
    )
    session.add(comment)
    session.flush()
    record(
        session,
        ctx,
        "meeting.comment",
        object_type="meeting",
        object_id=meeting.id,
        unit_id=unit.id,
        detail={"comment_id": comment.id, "kind": comment.kind},
    )
    return comment


def grouped_comments(
    session: Session, *, actor: Actor, meeting_id: int
) -> tuple[Meeting, list[CommentGroup]]:
    """Officers see every comment, members their own; grouped by agenda item, then document."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id)
    q = select(MeetingComment).where(MeetingComment.meeting_id == meeting.id)
    if not can_manage(actor, unit):
        q = q.where(MeetingComment.member_id == (actor.member_id or 0))
    comments = session.scalars(q.order_by(MeetingComment.id)).all()
    groups: list[CommentGroup] = []
    for item in agenda(session, meeting.id):
        groups.append(
            CommentGroup(
                key=f"agenda:{item.id}", label=f"{item.position}. {item.title}", comments=[]
            )
        )
    for doc in documents(session, meeting.id):
        groups.append(CommentGroup(key=f"document:{doc.document_id}", label=doc.title, comments=[]))
    general = CommentGroup(key="general", label="Ý kiến chung", comments=[])
    by_key = {g.key: g for g in groups}
    for c in comments:
        if c.agenda_item_id is not None:
            key = f"agenda:{c.agenda_item_id}"
        elif c.document_id is not None:
            key = f"document:{c.document_id}"
        else:
            key = "general"
        by_key.get(key, general).comments.append(CommentOut.model_validate(c))
    return meeting, [g for g in [*groups, general] if g.comments]
