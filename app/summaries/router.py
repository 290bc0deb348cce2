"""JSON API for document summaries: read a document's summary, adopt one of its tasks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from app.core.deps import AuditCtx, CurrentActor, DBSession, require_any
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.summaries import service
from app.summaries.schemas import AdoptedTaskOut, AdoptTaskIn, SummaryView

router = APIRouter(tags=["summaries"])

CanManageTasks = Annotated[Actor, Depends(require_any(Perm.task_manage))]
# A summary holds a few dozen tasks at most; a larger index names nothing (404 in the service).
TaskIndex = Annotated[int, Path(ge=0, le=10_000)]


@router.get("/documents/{document_id}/summary", response_model=SummaryView)
def get_document_summary(document_id: Id, actor: CurrentActor, session: DBSession) -> SummaryView:
    return service.document_summary(session, actor=actor, document_id=document_id)


@router.post(
    "/documents/{document_id}/summary/tasks/{task_index}/adopt",
    response_model=AdoptedTaskOut,
    status_code=201,
)
def adopt_summary_task(
    document_id: Id,
    task_index: TaskIndex,
    body: AdoptTaskIn,
    actor: CanManageTasks,
    session: DBSession,
    ctx: AuditCtx,
) -> AdoptedTaskOut:
    task = service.adopt_task(
        session,
        ctx,
        actor=actor,
        document_id=document_id,
        task_index=task_index,
        unit_id=body.unit_id,
        assignee_member_id=body.assignee_member_id,
        due_date=body.due_date,
    )
    return AdoptedTaskOut.model_validate(task)
