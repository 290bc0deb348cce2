"""Input and output schemas for tasks (nhiệm vụ)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.ids import Id
from app.core.text import NFCStr
from app.tasks.models import TaskGrade, TaskSource, TaskStatus

Description = Annotated[NFCStr, Field(min_length=1, max_length=4000)]
Note = Annotated[NFCStr, Field(max_length=2000)]


class TaskCreate(BaseModel):
    unit_id: Id
    assignee_member_id: Id
    description: Description
    start_date: date
    due_date: date
    source_type: TaskSource = TaskSource.other
    source_id: Id | None = None

    @model_validator(mode="after")
    def _check(self) -> TaskCreate:
        if self.due_date < self.start_date:
            raise ValueError("Hạn hoàn thành không được trước ngày bắt đầu")
        if self.source_type != TaskSource.other and self.source_id is None:
            raise ValueError("Cần chọn cuộc họp hoặc văn bản làm nguồn của nhiệm vụ")
        if self.source_type == TaskSource.other:
            self.source_id = None
        return self


class GradeIn(BaseModel):
    grade: TaskGrade
    note: Note = ""


class BatchGradeItem(GradeIn):
    task_id: Id


class BatchGradeIn(BaseModel):
    items: list[BatchGradeItem] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _unique(self) -> BatchGradeIn:
        ids = [i.task_id for i in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("Mỗi nhiệm vụ chỉ được đánh giá một lần trong một lượt")
        return self


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    unit_id: int
    unit_name: str = ""
    assignee_member_id: int
    assignee_name: str = ""
    description: str
    start_date: date
    due_date: date
    source_type: TaskSource
    source_id: int | None
    status: TaskStatus
    done_at: datetime | None
    done_on: date | None
    grade: TaskGrade | None
    grade_note: str | None
    graded_at: datetime | None
    on_time: bool | None = None
    overdue: bool = False


class TaskStats(BaseModel):
    unit_id: int
    total: int
    on_time: int  # done (or graded) no later than the due date
    late: int  # done after the due date
    open: int  # not done yet
    open_overdue: int  # not done and past the due date (a subset of open)
    graded: dict[str, int]
