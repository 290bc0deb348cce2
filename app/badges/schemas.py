"""Request and response bodies of the badges API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.core.text import NFCStr

# Years of membership at which the badge is awarded (Huy hiệu 30, 40, 45 ... 80 năm tuổi Đảng).
BADGE_YEARS: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80)


def _badge_years(value: int) -> int:
    if value not in BADGE_YEARS:
        raise ValueError("Mốc huy hiệu không hợp lệ")
    return value


class BadgeDue(BaseModel):
    member_id: int
    full_name: str
    unit_id: int
    unit_name: str
    admission_date: date
    badge_years: int
    due_date: date
    overdue: bool


class BadgeAwardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    badge_years: Annotated[
        int, AfterValidator(_badge_years), Field(json_schema_extra={"enum": list(BADGE_YEARS)})
    ]
    awarded_on: date
    decision_number: Annotated[NFCStr, Field(max_length=64)] | None = None
    issued_by: Annotated[NFCStr, Field(max_length=255)] | None = None


class AwardOut(BaseModel):
    id: int
    member_id: int
    title: str
    badge_years: int | None
    awarded_on: date
    decision_number: str | None
    issued_by: str | None
