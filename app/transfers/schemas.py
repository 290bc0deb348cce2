"""API schemas for transfers (chuyển sinh hoạt): the request, a new arrival's record, the answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.core.ids import Id
from app.core.text import NameStr, NFCStr
from app.corrections.service_fields import Reason, ValueProblem, clean_cccd, clean_phone, not_blank
from app.members.models import Gender
from app.transfers.models import TransferKind

Direction = Literal["incoming", "outgoing"]


def _cccd(value: str) -> str:
    try:
        return clean_cccd(value)
    except ValueProblem as exc:
        raise ValueError(str(exc)) from exc


def _phone(value: str) -> str:
    try:
        return clean_phone(value)
    except ValueProblem as exc:
        raise ValueError(str(exc)) from exc


Code = Annotated[NFCStr, Field(max_length=32), AfterValidator(not_blank)]


class NewMemberIn(BaseModel):
    """The basic record of a member arriving from outside the tree."""

    model_config = ConfigDict(extra="forbid")

    full_name: Annotated[NameStr, Field(max_length=255), AfterValidator(not_blank)]
    birth_date: date | None = None
    gender: Gender | None = None
    admission_date: date
    official_date: date | None = None
    card_number: Code | None = None
    dossier_number: Code | None = None
    cccd: Annotated[str, AfterValidator(_cccd)] | None = None
    phone: Annotated[str, Field(max_length=20), AfterValidator(_phone)] | None = None


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: TransferKind
    member_id: Id | None = None
    to_unit_id: Id | None = None
    external_org: Annotated[NFCStr, Field(max_length=255)] | None = None
    reason: Reason
    new_member: NewMemberIn | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> TransferCreate:
        if self.kind == TransferKind.internal:
            if self.member_id is None or self.to_unit_id is None:
                raise ValueError("Chuyển trong hệ thống cần đảng viên và đơn vị nhận")
            self.external_org = None
        elif self.kind == TransferKind.out:
            if self.member_id is None or not self.external_org:
                raise ValueError("Chuyển ra ngoài cần đảng viên và tổ chức nhận")
            self.to_unit_id = None
        else:
            if self.to_unit_id is None or not self.external_org:
                raise ValueError("Chuyển đến cần đơn vị nhận và tổ chức chuyển đi")
            if (self.member_id is None) == (self.new_member is None):
                raise ValueError("Chuyển đến cần đúng một trong hai: hồ sơ đã có hoặc hồ sơ mới")
        if self.kind != TransferKind.incoming:
            self.new_member = None
        return self


class UnitRef(BaseModel):
    id: int
    code: str
    name: str


class TransferOut(BaseModel):
    id: int
    member_id: int
    member_name: str
    kind: str
    status: str
    from_unit: UnitRef | None
    to_unit: UnitRef | None
    external_org: str | None
    reason: str | None
    requested_at: datetime
    requested_by: str | None
    decided_at: datetime | None
    decided_by: str | None
    decision_note: str | None
