"""Task factories: a task in any state, with done dates chosen by the test."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from app.members.models import Member
from app.tasks.models import Task, TaskStatus
from app.units.models import Unit


def make_task(
    session: Session,
    unit: Unit,
    assignee: Member,
    *,
    description: str = "Vận động hộ gia đình tham gia vệ sinh môi trường",
    start_date: date = date(2026, 3, 1),
    due_date: date = date(2026, 3, 31),
    status: TaskStatus = TaskStatus.assigned,
    done_on: date | None = None,
    grade: str | None = None,
) -> Task:
    done = status in (TaskStatus.done, TaskStatus.graded)
    if done and done_on is None:
        done_on = due_date
    task = Task(
        unit_id=unit.id,
        assignee_member_id=assignee.id,
        description=description,
        start_date=start_date,
        due_date=due_date,
        source_type="other",
        status=status.value,
        done_on=done_on if done else None,
        # Noon in Vietnam is 05:00 UTC, the same calendar day in both zones.
        done_at=datetime.combine(done_on, time(5, 0), tzinfo=UTC) if done and done_on else None,
        grade=grade if status == TaskStatus.graded else None,
    )
    if status == TaskStatus.graded and task.grade is None:
        task.grade = "HT"
    session.add(task)
    session.flush()
    return task
