"""API schemas for the unit tree."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.core.ids import Id
from app.core.text import NameStr, NFCStr, clean_name, no_controls
from app.meetings.schemas import QuorumRule
from app.units.models import UnitKind

# Codes are short identifiers typed by staff ("CB-KP1"): letters, digits, dot, dash, underscore.
UnitCode = Annotated[NFCStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
UnitName = Annotated[NameStr, Field(min_length=2, max_length=255)]


class UnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    path: str
    depth: int
    dissolved_at: datetime | None


class UnitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: UnitCode
    name: UnitName
    kind: UnitKind
    parent_id: Id


class UnitRename(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: UnitName


class UnitMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parent_id: Id


# A printed name may be left empty ("" = derive it as before from the unit's and parent's names).
# The length is checked on the text as sent, so that a long one reads "too long", not "too many".
PrintedName = Annotated[
    str, StringConstraints(max_length=255), AfterValidator(clean_name), AfterValidator(no_controls)
]


class UnitSettingsIn(BaseModel):
    """The whole of a unit's settings: a field left out goes back to its derived default."""

    model_config = ConfigDict(extra="forbid")

    full_name: PrintedName = ""
    superior_name: PrintedName = ""
    # None: the product's rule (more than 2/3 of those who must attend).
    quorum: QuorumRule | None = None


class UnitSettingsOut(BaseModel):
    unit_id: int
    full_name: str
    superior_name: str
    quorum: QuorumRule | None
    # What documents, minutes and new meetings actually use, defaults filled in.
    printed_full_name: str
    printed_superior_name: str
    quorum_in_use: QuorumRule


class UnitEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    old_value: str | None
    new_value: str | None
    at: datetime
    actor_account_id: int | None


# Display labels (gettext msgids) for the web pages.
KIND_LABELS: dict[str, str] = {
    UnitKind.city_committee: "Thành ủy / Tỉnh ủy",
    UnitKind.ward_committee: "Đảng ủy phường",
    UnitKind.commune_committee: "Đảng ủy xã",
    UnitKind.grassroots_committee: "Đảng bộ cơ sở",
    UnitKind.intermediate_committee: "Đảng bộ bộ phận",
    UnitKind.bloc_committee: "Đảng ủy khối",
    UnitKind.cell: "Chi bộ",
    UnitKind.other: "Khác",
}
EVENT_LABELS: dict[str, str] = {
    "created": "Thành lập",
    "renamed": "Đổi tên",
    "moved": "Chuyển sang đơn vị cấp trên khác",
    "dissolved": "Giải thể",
}
