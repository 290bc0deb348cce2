"""Tasks: assign, start, complete, grade (one or many at once), list, and unit statistics."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.localtime import LOCAL_TZ, local_today
from app.core.permissions import Actor, Perm, unit_scope
from app.members.models import Member, MemberStatus
from app.notifications.service import notify
from app.tasks import service_sources as sources
from app.tasks.models import Task, TaskSource, TaskStatus
from app.tasks.schemas import BatchGradeItem, TaskCreate, TaskOut, TaskStats
from app.units import service as units_service
from app.units.models import Unit

DONE = (TaskStatus.done.value, TaskStatus.graded.value)
OPEN = (TaskStatus.assigned.value, TaskStatus.in_progress.value)
# Which status each member-side step starts from.
_STEPS = {
    TaskStatus.in_progress: (TaskStatus.assigned,),
    TaskStatus.done: (TaskStatus.assigned, TaskStatus.in_progress),
}


def _oversees(actor: Actor, unit: Unit) -> bool:
    return units_service.allowed_in(actor, Perm.task_manage, unit) or units_service.allowed_in(
        actor, Perm.report_view, unit
    )


def load_task(
    session: Session, *, actor: Actor, task_id: int, lock: bool = False
) -> tuple[Task, Unit]:
    """A task the actor may see (its assignee, or an officer over its unit), else 404."""
    q = select(Task, Unit).join(Unit, Unit.id == Task.unit_id).where(Task.id == task_id)
    if lock:
        q = q.with_for_update(of=Task)
    row = session.execute(q).first()
    if row is None:
        raise NotFound("Không tìm thấy nhiệm vụ")
    task, unit = row
    if task.assignee_member_id != actor.member_id and not _oversees(actor, unit):
        raise NotFound("Không tìm thấy nhiệm vụ")
    return task, unit


def create_task(session: Session, ctx: AuditContext, *, actor: Actor, data: TaskCreate) -> Task:
    """Assign a task to a member of the unit (or of a unit below it), and tell them."""
    unit = units_service.get_unit(session, actor=actor, unit_id=data.unit_id, perm=Perm.task_manage)
    assignee = session.execute(
        select(Member)
        .join(Unit, Unit.id == Member.unit_id)
        .where(
            Member.id == data.assignee_member_id,
            Unit.path.startswith(unit.path, autoescape=True),
        )
    ).scalar_one_or_none()
    if assignee is None or assignee.status != MemberStatus.active:
        raise Invalid("Người được giao phải là đảng viên đang sinh hoạt trong đơn vị")
    sources.check_source(
        session, actor=actor, unit=unit, source_type=data.source_type, source_id=data.source_id
    )
    task = Task(
        unit_id=unit.id,
        assignee_member_id=assignee.id,
        description=data.description,
        start_date=data.start_date,
        due_date=data.due_date,
        source_type=data.source_type.value,
        source_id=data.source_id,
        status=TaskStatus.assigned.value,
        created_by_account_id=actor.account_id,
    )
    session.add(task)
    session.flush()
    record(
        session,
        ctx,
        "task.create",
        object_type="task",
        object_id=task.id,
        unit_id=unit.id,
        detail={
            "assignee_member_id": assignee.id,
            "due_date": data.due_date.isoformat(),
            "source_type": data.source_type.value,
            "source_id": data.source_id,
        },
    )
    notify(
        session,
        member_ids=[assignee.id],
        kind="task.assigned",
        title="Bạn được giao nhiệm vụ mới",
        body=data.description[:500],
        link="/tasks/mine",
        unit_id=unit.id,
    )
    return task


def advance_task(
    session: Session, ctx: AuditContext, *, actor: Actor, task_id: int, to: TaskStatus
) -> Task:
    """The assignee (or an officer of the unit) starts or completes a task."""
    if to not in _STEPS:
        raise Invalid("Trạng thái không hợp lệ")
    task, unit = load_task(session, actor=actor, task_id=task_id, lock=True)
    is_assignee = task.assignee_member_id == actor.member_id
    if not is_assignee and not units_service.allowed_in(actor, Perm.task_manage, unit):
        raise Forbidden("Chỉ người được giao hoặc cấp ủy mới cập nhật được nhiệm vụ")
    if task.status not in _STEPS[to]:
        raise Conflict(
            "Không thể chuyển nhiệm vụ từ trạng thái {old} sang {new}",
            old=task.status,
            new=to.value,
        )
    old = task.status
    task.status = to.value
    if to == TaskStatus.done:
        now = utcnow()
        task.done_at = now
        task.done_on = now.astimezone(LOCAL_TZ).date()
    session.flush()
    record(
        session,
        ctx,
        f"task.{'start' if to == TaskStatus.in_progress else 'complete'}",
        object_type="task",
        object_id=task.id,
        unit_id=unit.id,
        detail={"from": old, "to": to.value, "by_assignee": is_assignee},
    )
    return task


def grade_tasks(
    session: Session, ctx: AuditContext, *, actor: Actor, items: Sequence[BatchGradeItem]
) -> list[Task]:
    """Grade many done tasks at once: every item is checked first, so it is all or nothing."""
    loaded: list[tuple[Task, Unit, BatchGradeItem]] = []
    for item in sorted(items, key=lambda i: i.task_id):  # one lock order, no deadlocks
        task, unit = load_task(session, actor=actor, task_id=item.task_id, lock=True)
        if not units_service.allowed_in(actor, Perm.task_manage, unit):
            raise Forbidden("Bạn không có quyền đánh giá nhiệm vụ này")
        loaded.append((task, unit, item))
    not_done = [t.id for t, _, _ in loaded if t.status != TaskStatus.done]
    if not_done:
        raise Conflict(
            "Chỉ đánh giá được nhiệm vụ đã hoàn thành; chưa hoàn thành: {ids}",
            ids=", ".join(str(i) for i in not_done),
            details={"task_ids": not_done},
        )
    now = utcnow()
    for task, unit, item in loaded:
        task.status = TaskStatus.graded.value
        task.grade = item.grade.value
        task.grade_note = item.note or None
        task.graded_by_account_id = actor.account_id
        task.graded_at = now
        record(
            session,
            ctx,
            "task.grade",
            object_type="task",
            object_id=task.id,
            unit_id=unit.id,
            detail={"grade": item.grade.value, "batch": len(loaded)},
        )
    session.flush()
    return [t for t, _, _ in loaded]


def _rows_to_out(rows: Sequence[Any]) -> list[TaskOut]:
    today = local_today()
    out = []
    for task, unit_name, member_name in rows:
        item = TaskOut.model_validate(task)
        item.unit_name = unit_name
        item.assignee_name = member_name
        if task.done_on is not None:
            item.on_time = task.done_on <= task.due_date
        item.overdue = task.status in OPEN and task.due_date < today
        out.append(item)
    return out


def _listing() -> Any:
    return (
        select(Task, Unit.name, Member.full_name)
        .join(Unit, Unit.id == Task.unit_id)
        .join(Member, Member.id == Task.assignee_member_id)
    )


def task_out(session: Session, task_id: int) -> TaskOut:
    """One task with its unit's and assignee's names (after the caller checked access)."""
    return _rows_to_out(session.execute(_listing().where(Task.id == task_id)).all())[0]


def list_my_tasks(
    session: Session, *, actor: Actor, status: TaskStatus | None = None
) -> list[TaskOut]:
    """The caller's own tasks, open ones first by due date."""
    if actor.member_id is None:
        return []
    q = _listing().where(Task.assignee_member_id == actor.member_id)
    if status is not None:
        q = q.where(Task.status == status.value)
    q = q.order_by(case((Task.status.in_(OPEN), 0), else_=1), Task.due_date, Task.id)
    return _rows_to_out(session.execute(q).all())


def _overseen_unit(session: Session, actor: Actor, unit_id: int) -> Unit:
    unit = units_service.get_unit(session, actor=actor, unit_id=unit_id)
    if not _oversees(actor, unit):
        raise Forbidden("Bạn không có quyền xem nhiệm vụ của đơn vị này")
    return unit


def list_unit_tasks(
    session: Session,
    *,
    actor: Actor,
    unit_id: int,
    status: TaskStatus | None = None,
    limit: int = 500,
) -> list[TaskOut]:
    """Tasks of a unit and the units below it, for its officers and overseers."""
    unit = _overseen_unit(session, actor, unit_id)
    q = _listing().where(Unit.path.startswith(unit.path, autoescape=True))
    if status is not None:
        q = q.where(Task.status == status.value)
    q = q.order_by(case((Task.status.in_(OPEN), 0), else_=1), Task.due_date, Task.id).limit(limit)
    return _rows_to_out(session.execute(q).all())


def task_stats(session: Session, *, actor: Actor, unit_id: int) -> TaskStats:
    """On time / late / open counts for a unit's subtree (on time: done on or before the due date)."""
    unit = _overseen_unit(session, actor, unit_id)
    return stats_for_unit(session, unit=unit)


def stats_for_unit(session: Session, *, unit: Unit, today: date | None = None) -> TaskStats:
    """Counts for a unit already authorised by the caller."""
    today = today or local_today()

    def count(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    in_unit = (
        select(Task.id, Task.status, Task.done_on, Task.due_date, Task.grade)
        .join(Unit, Unit.id == Task.unit_id)
        .where(Unit.path.startswith(unit.path, autoescape=True))
        .subquery()
    )
    t = in_unit.c
    done = t.status.in_(DONE)
    is_open = t.status.in_(OPEN)
    row = session.execute(
        select(
            func.count(),
            count(and_(done, t.done_on <= t.due_date)),
            count(and_(done, t.done_on > t.due_date)),
            count(is_open),
            count(and_(is_open, t.due_date < today)),
        ).select_from(in_unit)
    ).one()
    graded: dict[str, int] = dict(
        session.execute(
            select(t.grade, func.count())
            .select_from(in_unit)
            .where(t.grade.is_not(None))
            .group_by(t.grade)
        ).all()
    )
    return TaskStats(
        unit_id=unit.id,
        total=int(row[0]),
        on_time=int(row[1]),
        late=int(row[2]),
        open=int(row[3]),
        open_overdue=int(row[4]),
        graded={str(k): int(v) for k, v in graded.items()},
    )


def list_source_tasks(
    session: Session, *, actor: Actor, source_type: TaskSource, source_id: int
) -> list[TaskOut]:
    """Tasks given from one meeting or document: all of them for the officers over the task's
    unit, a member's own for a member (as `load_task` decides for a single task)."""
    overseen = or_(unit_scope(actor, Perm.task_manage), unit_scope(actor, Perm.report_view))
    mine = Task.assignee_member_id == actor.member_id if actor.member_id else false()
    q = (
        _listing()
        .where(Task.source_type == source_type.value, Task.source_id == source_id)
        .where(or_(overseen, mine))
        .order_by(Task.due_date, Task.id)
    )
    return _rows_to_out(session.execute(q).all())
