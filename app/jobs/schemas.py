"""API shapes for jobs: what a client submits and what it reads back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.ids import Id
from app.core.text import NFCStr


class JobSubmit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_.]*$")]
    unit_id: Id
    params: dict[str, Any] = Field(default_factory=dict)
    # A client-chosen key: sending the same request twice returns the first job.
    idempotency_key: Annotated[NFCStr, Field(min_length=1, max_length=100)] | None = None

    @field_validator("idempotency_key")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and not value.isprintable():
            raise ValueError("khóa chống gửi trùng chỉ gồm ký tự in được")
        return value


class JobSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    unit_id: int | None
    status: str
    progress: int
    message: str | None
    error: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobOut(JobSummary):
    result: dict[str, Any] | None


class JobPage(BaseModel):
    items: list[JobSummary]
    total: int
    page: int
    per_page: int
