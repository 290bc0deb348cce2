"""JSON API for meeting outcomes: resolutions, the self-assessment, and a unit's criteria and bands."""

from __future__ import annotations

from fastapi import APIRouter

from app.core.deps import AuditCtx, CanManageUnits, CurrentActor, DBSession
from app.core.ids import Id
from app.outcomes import service, service_criteria
from app.outcomes.schemas import (
    AssessmentConfigOut,
    AssessmentIn,
    AssessmentOut,
    BandOut,
    BandsIn,
    CriteriaOrder,
    CriteriaOut,
    CriterionEdit,
    CriterionIn,
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


@router.get("/units/{unit_id}/assessment/criteria", response_model=AssessmentConfigOut)
def read_assessment_config(
    unit_id: Id, actor: CurrentActor, session: DBSession
) -> AssessmentConfigOut:
    """The unit's own criteria (inactive ones too) or those it inherits, and its grade bands."""
    return service_criteria.assessment_config(session, actor=actor, unit_id=unit_id)


@router.post(
    "/units/{unit_id}/assessment/criteria", response_model=AssessmentConfigOut, status_code=201
)
def add_assessment_criterion(
    unit_id: Id, body: CriterionIn, actor: CanManageUnits, session: DBSession, ctx: AuditCtx
) -> AssessmentConfigOut:
    return service_criteria.add_criterion(session, ctx, actor=actor, unit_id=unit_id, data=body)


@router.put("/units/{unit_id}/assessment/criteria/order", response_model=AssessmentConfigOut)
def reorder_assessment_criteria(
    unit_id: Id, body: CriteriaOrder, actor: CanManageUnits, session: DBSession, ctx: AuditCtx
) -> AssessmentConfigOut:
    return service_criteria.reorder_criteria(session, ctx, actor=actor, unit_id=unit_id, data=body)


@router.patch(
    "/units/{unit_id}/assessment/criteria/{criterion_id}", response_model=AssessmentConfigOut
)
def edit_assessment_criterion(
    unit_id: Id,
    criterion_id: Id,
    body: CriterionEdit,
    actor: CanManageUnits,
    session: DBSession,
    ctx: AuditCtx,
) -> AssessmentConfigOut:
    return service_criteria.edit_criterion(
        session, ctx, actor=actor, unit_id=unit_id, criterion_id=criterion_id, data=body
    )


@router.put("/units/{unit_id}/assessment/bands", response_model=AssessmentConfigOut)
def set_assessment_bands(
    unit_id: Id, body: BandsIn, actor: CanManageUnits, session: DBSession, ctx: AuditCtx
) -> AssessmentConfigOut:
    return service_criteria.set_bands(session, ctx, actor=actor, unit_id=unit_id, data=body)
