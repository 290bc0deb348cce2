"""JSON API for tasks (nhiệm vụ): assign, my tasks, unit board, start, complete, grade, stats."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.core.deps import AuditCtx, CurrentActor, DBSession, require_any
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.tasks import service
from app.tasks.models import TaskStatus
from app.tasks.schemas import BatchGradeIn, BatchGradeItem, GradeIn, TaskCreate, TaskOut, TaskStats

router = APIRouter(tags=["tasks"])

CanManageTasks = Annotated[Actor, Depends(require_any(Perm.task_manage))]


@router.post("/tasks", response_model=TaskOut, status_code=201)
def create_task(
    body: TaskCreate, actor: CanManageTasks, session: DBSession, ctx: AuditCtx
) -> TaskOut:
    task = service.create_task(session, ctx, actor=actor, data=body)
    return service.task_out(session, task.id)


@router.get("/tasks/mine", response_model=list[TaskOut])
def list_my_tasks(
    actor: CurrentActor, session: DBSession, status: TaskStatus | None = None
) -> list[TaskOut]:
    return service.list_my_tasks(session, actor=actor, status=status)


@router.get("/tasks", response_model=list[TaskOut])
def list_unit_tasks(
    actor: CurrentActor,
    session: DBSession,
    unit_id: Id,
    status: TaskStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[TaskOut]:
    return service.list_unit_tasks(
        session, actor=actor, unit_id=unit_id, status=status, limit=limit
    )


@router.get("/tasks/stats", response_model=TaskStats)
def get_task_stats(actor: CurrentActor, session: DBSession, unit_id: Id) -> TaskStats:
    return service.task_stats(session, actor=actor, unit_id=unit_id)


@router.post("/tasks/grade", response_model=list[TaskOut])
def grade_tasks(
    body: BatchGradeIn, actor: CanManageTasks, session: DBSession, ctx: AuditCtx
) -> list[TaskOut]:
    tasks = service.grade_tasks(session, ctx, actor=actor, items=body.items)
    return [service.task_out(session, t.id) for t in tasks]


@router.get("/tasks/{task_id}", response_model=TaskOut)
def get_task(task_id: Id, actor: CurrentActor, session: DBSession) -> TaskOut:
    service.load_task(session, actor=actor, task_id=task_id)
    return service.task_out(session, task_id)


@router.post("/tasks/{task_id}/start", response_model=TaskOut)
def start_task(task_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx) -> TaskOut:
    service.advance_task(session, ctx, actor=actor, task_id=task_id, to=TaskStatus.in_progress)
    return service.task_out(session, task_id)


@router.post("/tasks/{task_id}/complete", response_model=TaskOut)
def complete_task(task_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx) -> TaskOut:
    service.advance_task(session, ctx, actor=actor, task_id=task_id, to=TaskStatus.done)
    return service.task_out(session, task_id)


@router.post("/tasks/{task_id}/grade", response_model=TaskOut)
def grade_task(
    task_id: Id, body: GradeIn, actor: CanManageTasks, session: DBSession, ctx: AuditCtx
) -> TaskOut:
    item = BatchGradeItem(task_id=task_id, grade=body.grade, note=body.note)
    service.grade_tasks(session, ctx, actor=actor, items=[item])
    return service.task_out(session, task_id)
