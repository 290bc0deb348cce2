"""Audit viewer schemas: the filter query, one log row, a page of rows, the chain check."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from app.core.ids import Id
from app.core.text import NFCStr

PAGE_SIZES = (20, 50, 100, 200)


def _parse_moment(value: Any) -> Any:
    # "2025-01-02" is a day; anything longer is a point in time. Pydantic alone would read
    # "2025-01-02T00:00" as a day too, or "2025-01-02" as midnight, depending on union order.
    if isinstance(value, str):
        value = value.strip()
        try:
            return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValueError("Ngày giờ không hợp lệ") from exc
    return value


Moment = Annotated[date | datetime, BeforeValidator(_parse_moment)]


class AuditQuery(BaseModel):
    """Filters for the audit log; shared by the API and the web page (a GET form)."""

    model_config = ConfigDict(extra="ignore")

    actor: NFCStr | None = Field(default=None, max_length=64, description="username of the actor")
    action: NFCStr | None = Field(default=None, max_length=64, pattern=r"^[a-z0-9_.]+$")
    object_type: NFCStr | None = Field(default=None, max_length=32)
    object_id: NFCStr | None = Field(default=None, max_length=64)
    # The unit and its sub-units.
    unit_id: Id | None = None
    # A bare date means the whole day in Vietnam; a datetime without offset is Vietnam's clock.
    since: Moment | None = None
    until: Moment | None = None
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=50, ge=1, le=200)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        # An HTML GET form sends every field, empty or not.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data

    def filters(self) -> dict[str, Any]:
        """The filters that were set, as plain JSON values (for the audit.view record)."""
        out = self.model_dump(exclude={"page", "page_size"}, exclude_none=True, mode="json")
        return out


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: str | None
    on_behalf_of_member_id: int | None
    action: str
    object_type: str | None
    object_id: str | None
    unit_id: int | None
    ip: str | None
    detail: dict[str, Any]


class AuditPageOut(BaseModel):
    items: list[AuditEntryOut]
    # Counting stops at a cap so that a page of a huge log stays fast; see total_exact.
    total: int
    total_exact: bool
    page: int
    page_size: int


class VerifyOut(BaseModel):
    ok: bool
    checked: int
    first_bad_id: int | None
    reason: str
