"""Input and output shapes for documents, with labels and the number-and-symbol rule."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.accounts.models import Role
from app.core.i18n import N_
from app.core.ids import Id
from app.core.text import NFCStr
from app.documents.models import Confidentiality, DocumentKind, DocumentStatus

KIND_LABELS: dict[str, str] = {
    DocumentKind.chi_thi: N_("Chỉ thị"),
    DocumentKind.nghi_quyet: N_("Nghị quyết"),
    DocumentKind.ket_luan: N_("Kết luận"),
    DocumentKind.ke_hoach: N_("Kế hoạch"),
    DocumentKind.huong_dan: N_("Hướng dẫn"),
    DocumentKind.thong_bao: N_("Thông báo"),
    DocumentKind.bao_cao: N_("Báo cáo"),
    DocumentKind.cong_van: N_("Công văn"),
    DocumentKind.quyet_dinh: N_("Quyết định"),
    DocumentKind.quy_dinh: N_("Quy định"),
    DocumentKind.to_trinh: N_("Tờ trình"),
    DocumentKind.khac: N_("Văn bản khác"),
}
STATUS_LABELS: dict[str, str] = {
    DocumentStatus.draft: N_("Bản nháp"),
    DocumentStatus.published: N_("Đã ban hành"),
    DocumentStatus.withdrawn: N_("Đã thu hồi"),
}
CONFIDENTIALITY_LABELS: dict[str, str] = {
    Confidentiality.normal: N_("Thường"),
    Confidentiality.internal: N_("Lưu hành nội bộ"),
    Confidentiality.confidential: N_("Mật"),
}

# "50-CT/TW", "12-NQ/ĐU", "05/KH-CB", "123/QĐ-UBND": a number, then symbol parts of capitals.
_PART = r"[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*"
NUMBER_RE = re.compile(rf"^(\d{{1,6}})(?:-({_PART}))?/({_PART})(?:/({_PART}))*$")


def parse_number(value: str) -> tuple[int, str]:
    """Split "50-CT/TW" into (50, "CT/TW"); ValueError when it is not a document number."""
    text = re.sub(r"\s+", "", value).upper()
    m = NUMBER_RE.match(text)
    if m is None:
        raise ValueError("Số và ký hiệu văn bản không đúng dạng (ví dụ: 50-CT/TW, 05/KH-CB)")
    return int(m.group(1)), text[len(m.group(1)) :].lstrip("-")


class DocumentMeta(BaseModel):
    """Metadata of a new document (sent as form fields beside the file)."""

    model_config = ConfigDict(extra="forbid")

    unit_id: Id
    kind: DocumentKind
    title: Annotated[NFCStr, Field(min_length=3, max_length=500)]
    number: Annotated[NFCStr | None, Field(max_length=64)] = None
    summary: Annotated[NFCStr, Field(max_length=5000)] = ""
    issued_on: date | None = None
    effective_on: date | None = None
    confidentiality: Confidentiality = Confidentiality.normal

    @field_validator("number")
    @classmethod
    def _number(cls, v: str | None) -> str | None:
        if not v:
            return None
        parse_number(v)
        return re.sub(r"\s+", "", v).upper()

    @model_validator(mode="after")
    def _dates(self) -> DocumentMeta:
        if self.issued_on and self.effective_on and self.effective_on < self.issued_on:
            raise ValueError("Ngày hiệu lực không được trước ngày ban hành")
        return self


class AudienceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: Id
    include_subtree: bool = True
    role: Role | None = None


class AudienceSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    audience: Annotated[list[AudienceIn], Field(min_length=1, max_length=500)]


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version_no: int
    sha256: str
    size: int
    mime: str
    original_filename: str
    uploaded_at: datetime


class AudienceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    unit_id: int
    include_subtree: bool
    role: str | None


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    unit_id: int
    kind: str
    number: str | None
    title: str
    summary: str
    issued_on: date | None
    effective_on: date | None
    confidentiality: str
    status: str
    created_at: datetime
    published_at: datetime | None
    read_at: datetime | None = None


class DocumentDetail(DocumentOut):
    versions: list[VersionOut]
    audience: list[AudienceOut]
    can_manage: bool


class DistributionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    document_id: int
    version_no: int
    recipients: int
    distributed_at: datetime


class ReadReceiptOut(BaseModel):
    document_id: int
    read_at: datetime
    first: bool


class UnitReadRate(BaseModel):
    unit_id: int
    unit_code: str
    unit_name: str
    members: int
    read: int
    rate: float
