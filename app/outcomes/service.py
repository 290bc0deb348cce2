"""After the meeting: issue its resolution (nghị quyết) and score its quality against data criteria."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.db import utcnow
from app.core.errors import Conflict, Invalid
from app.core.permissions import Actor
from app.documents import service as documents_service
from app.documents.models import DocumentKind, DocumentStatus
from app.documents.schemas import AudienceIn
from app.meetings import service as meetings_service
from app.meetings.models import Meeting, MeetingStatus
from app.members.models import Member, MemberStatus
from app.notifications.service import notify
from app.outcomes.models import (
    AssessmentBand,
    AssessmentCriterion,
    AssessmentScore,
    MeetingAssessment,
    Resolution,
)
from app.outcomes.schemas import AssessmentIn, AssessmentOut, ResolutionCreate, ScoreOut
from app.units import service as units_service
from app.units.models import Unit

# A resolution or a score only makes sense once the meeting has been held.
HELD = (MeetingStatus.in_progress.value, MeetingStatus.closed.value)


def _held_meeting(session: Session, actor: Actor, meeting_id: int) -> tuple[Meeting, Unit]:
    meeting, unit = meetings_service.get_meeting(
        session, actor=actor, meeting_id=meeting_id, manage=True
    )
    if meeting.status not in HELD:
        raise Conflict("Cuộc họp chưa diễn ra")
    return meeting, unit


def issue_resolution(
    session: Session, ctx: AuditContext, *, actor: Actor, meeting_id: int, data: ResolutionCreate
) -> Resolution:
    """Record the meeting's resolution and distribute it like any document.

    With a `document_id` (the file uploaded as a document of kind nghị quyết) the documents
    service distributes it: a draft gets the meeting's unit as audience and is published, which
    notifies its members and records read receipts. Without a file, the unit's members are told
    directly and the resolution's text is its summary.
    """
    meeting, unit = _held_meeting(session, actor, meeting_id)
    doc = None
    if data.document_id is not None:
        doc = documents_service.get_document(session, actor=actor, document_id=data.document_id)
        if doc.kind != DocumentKind.nghi_quyet.value or doc.unit_id != unit.id:
            raise Invalid("Tệp nghị quyết phải là văn bản loại nghị quyết của chính đơn vị")
    resolution = Resolution(
        unit_id=unit.id,
        meeting_id=meeting.id,
        number=data.number,
        issued_on=data.issued_on,
        title=data.title,
        summary=data.summary,
        document_id=data.document_id,
        created_by_account_id=actor.account_id,
    )
    try:
        with session.begin_nested():
            session.add(resolution)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("Số nghị quyết {number} đã được dùng", number=data.number) from exc
    record(
        session,
        ctx,
        "resolution.issue",
        object_type="resolution",
        object_id=resolution.id,
        unit_id=unit.id,
        detail={"meeting_id": meeting.id, "number": data.number, "document_id": data.document_id},
    )
    if doc is not None and doc.source_type is None:
        # The file's basis is the meeting too, so the document page can link back to it.
        doc.source_type, doc.source_id = "meeting", meeting.id
    if doc is not None and doc.status == DocumentStatus.draft.value:
        documents_service.set_audience(
            session,
            ctx,
            actor=actor,
            document_id=doc.id,
            entries=[AudienceIn(unit_id=unit.id, include_subtree=True)],
        )
        documents_service.publish_document(session, ctx, actor=actor, document_id=doc.id)
    elif doc is None:
        notify(
            session,
            member_ids=_unit_member_ids(session, unit),
            kind="resolution.issued",
            title=f"Nghị quyết {data.number}: {data.title}"[:300],
            body=data.summary[:500],
            link=f"/meetings/{meeting.id}/outcomes",
            unit_id=unit.id,
        )
    return resolution


def _unit_member_ids(session: Session, unit: Unit) -> list[int]:
    return list(
        session.scalars(
            select(Member.id)
            .join(Unit, Unit.id == Member.unit_id)
            .where(
                Unit.path.startswith(unit.path, autoescape=True),
                Member.status.in_([MemberStatus.active.value, MemberStatus.exempted.value]),
            )
        )
    )


def list_resolutions(session: Session, *, actor: Actor, meeting_id: int) -> Sequence[Resolution]:
    """Resolutions issued from a meeting the actor may see."""
    meetings_service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    return session.scalars(
        select(Resolution).where(Resolution.meeting_id == meeting_id).order_by(Resolution.id)
    ).all()


def criteria_for(
    session: Session, unit: Unit
) -> tuple[list[AssessmentCriterion], list[AssessmentBand]]:
    """The unit's own criteria and bands where it has any, else the nearest ancestor's, else global."""
    ancestor_ids = [int(p) for p in unit.path.strip("/").split("/") if p]

    depth = {uid: i for i, uid in enumerate(ancestor_ids)}

    def nearest(rows: Sequence[Any]) -> list[Any]:
        # The deepest unit on the path that defines any rows wins; global rows have depth -1.
        best = max((depth.get(r.unit_id, -1) for r in rows), default=-1)
        return [r for r in rows if depth.get(r.unit_id, -1) == best]

    in_path = (AssessmentCriterion.unit_id.in_(ancestor_ids)) | (
        AssessmentCriterion.unit_id.is_(None)
    )
    all_criteria = session.scalars(
        select(AssessmentCriterion).where(in_path, AssessmentCriterion.active.is_(True))
    ).all()
    all_bands = session.scalars(
        select(AssessmentBand).where(
            AssessmentBand.unit_id.in_(ancestor_ids) | AssessmentBand.unit_id.is_(None)
        )
    ).all()
    criteria = sorted(nearest(all_criteria), key=lambda c: (c.position, c.id))
    bands = sorted(nearest(all_bands), key=lambda b: -b.min_percent)
    return criteria, bands


def unit_criteria(
    session: Session, *, actor: Actor, unit_id: int
) -> tuple[list[AssessmentCriterion], list[AssessmentBand]]:
    """The criteria and grade bands that apply to a unit the actor may see."""
    unit = units_service.get_unit(session, actor=actor, unit_id=unit_id)
    return criteria_for(session, unit)


def grade_for(total: int, max_total: int, bands: Sequence[AssessmentBand]) -> AssessmentBand:
    """The highest band whose threshold the total reaches (bands sorted high to low)."""
    for band in bands:
        # Integer arithmetic: 80% of 100 is reached by exactly 80, with no rounding surprises.
        if total * 100 >= band.min_percent * max_total:
            return band
    raise Invalid("Chưa cấu hình thang xếp loại cho đơn vị")


def assess_meeting(
    session: Session, ctx: AuditContext, *, actor: Actor, meeting_id: int, data: AssessmentIn
) -> MeetingAssessment:
    """Score a held meeting once against every criterion that applies to its unit."""
    meeting, unit = _held_meeting(session, actor, meeting_id)
    criteria, bands = criteria_for(session, unit)
    by_id = {c.id: c for c in criteria}
    given = {s.criterion_id: s.score for s in data.scores}
    if set(given) != set(by_id):
        raise Invalid("Cần chấm đủ và đúng các tiêu chí đánh giá của đơn vị")
    for cid, score in given.items():
        if score > by_id[cid].max_score:
            raise Invalid(
                "Điểm của tiêu chí {code} vượt quá mức tối đa {max}",
                code=by_id[cid].code,
                max=by_id[cid].max_score,
            )
    total = sum(given.values())
    max_total = sum(c.max_score for c in criteria)
    band = grade_for(total, max_total, bands)
    if session.scalar(
        select(MeetingAssessment.id).where(MeetingAssessment.meeting_id == meeting.id)
    ):
        raise Conflict("Cuộc họp này đã được đánh giá")
    assessment = MeetingAssessment(
        unit_id=unit.id,
        meeting_id=meeting.id,
        total=total,
        max_total=max_total,
        grade=band.grade,
        grade_label=band.label,
        note=data.note,
        assessed_by_account_id=actor.account_id,
        assessed_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(assessment)
            session.flush()
    except IntegrityError as exc:  # a concurrent assessment of the same meeting
        raise Conflict("Cuộc họp này đã được đánh giá") from exc
    session.add_all(
        AssessmentScore(
            assessment_id=assessment.id,
            criterion_id=cid,
            score=score,
            max_score=by_id[cid].max_score,
        )
        for cid, score in given.items()
    )
    session.flush()
    record(
        session,
        ctx,
        "meeting.assess",
        object_type="meeting",
        object_id=meeting.id,
        unit_id=unit.id,
        detail={"total": total, "max_total": max_total, "grade": band.grade},
    )
    return assessment


def get_assessment(session: Session, *, actor: Actor, meeting_id: int) -> AssessmentOut | None:
    """The meeting's assessment with its per-criterion scores, if it has been scored."""
    meetings_service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    a = session.scalar(select(MeetingAssessment).where(MeetingAssessment.meeting_id == meeting_id))
    if a is None:
        return None
    rows = session.execute(
        select(AssessmentScore, AssessmentCriterion)
        .join(AssessmentCriterion, AssessmentCriterion.id == AssessmentScore.criterion_id)
        .where(AssessmentScore.assessment_id == a.id)
        .order_by(AssessmentCriterion.position, AssessmentCriterion.id)
    ).all()
    return AssessmentOut(
        id=a.id,
        unit_id=a.unit_id,
        meeting_id=a.meeting_id,
        total=a.total,
        max_total=a.max_total,
        grade=a.grade,
        grade_label=a.grade_label,
        note=a.note,
        assessed_at=a.assessed_at,
        scores=[
            ScoreOut(
                criterion_id=c.id, code=c.code, text=c.text, score=s.score, max_score=s.max_score
            )
            for s, c in rows
        ],
    )
