"""JSON API for meeting outcomes: resolutions issued from a meeting and its self-assessment."""

from __future__ import annotations

from fastapi import APIRouter

from app.core.deps import AuditCtx, CurrentActor, DBSession
from app.core.ids import Id
from app.outcomes import service
from app.outcomes.schemas import (
    AssessmentIn,
    AssessmentOut,
    BandOut,
    CriteriaOut,
    CriterionOut,
    ResolutionCreate,
    ResolutionOut,
)

router = APIRouter(tags=["meeting outcomes"])


@router.post("/meetings/{meeting_id}/resolutions", response_model=ResolutionOut, status_code=201)
def issue_resolution(
    meeting_id: Id, body: ResolutionCreate, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> ResolutionOut:
    resolution = service.issue_resolution(
        session, ctx, actor=actor, meeting_id=meeting_id, data=body
    )
    return ResolutionOut.model_validate(resolution)


@router.get("/meetings/{meeting_id}/resolutions", response_model=list[ResolutionOut])
def list_resolutions(
    meeting_id: Id, actor: CurrentActor, session: DBSession
) -> list[ResolutionOut]:
    rows = service.list_resolutions(session, actor=actor, meeting_id=meeting_id)
    return [ResolutionOut.model_validate(r) for r in rows]


@router.get("/units/{unit_id}/assessment-criteria", response_model=CriteriaOut)
def get_assessment_criteria(unit_id: Id, actor: CurrentActor, session: DBSession) -> CriteriaOut:
    criteria, bands = service.unit_criteria(session, actor=actor, unit_id=unit_id)
    return CriteriaOut(
        criteria=[CriterionOut.model_validate(c) for c in criteria],
        bands=[BandOut.model_validate(b) for b in bands],
        max_total=sum(c.max_score for c in criteria),
    )


@router.post("/meetings/{meeting_id}/assessment", response_model=AssessmentOut, status_code=201)
def assess_meeting(
    meeting_id: Id, body: AssessmentIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> AssessmentOut:
    service.assess_meeting(session, ctx, actor=actor, meeting_id=meeting_id, data=body)
    out = service.get_assessment(session, actor=actor, meeting_id=meeting_id)
    assert out is not None
    return out


@router.get("/meetings/{meeting_id}/assessment", response_model=AssessmentOut | None)
def get_assessment(meeting_id: Id, actor: CurrentActor, session: DBSession) -> AssessmentOut | None:
    return service.get_assessment(session, actor=actor, meeting_id=meeting_id)
