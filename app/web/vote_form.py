"""The "create a vote" web form: where it is created from, reading the fields, and errors in
plain Vietnamese. The vote itself is made by `votes_service.create_vote`, as over the API."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.errors import Forbidden, Invalid
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.permissions import Actor, Perm
from app.meetings import service as meetings_service
from app.meetings.models import Meeting
from app.units import service as units_service
from app.votes.models import ThresholdBase, VoteForm, VoteKind
from app.votes.schemas import VoteCreate
from app.web import form_errors
from app.web.local_time import parse_local

KINDS = {
    VoteKind.open.value: N_("Biểu quyết công khai"),
    VoteKind.secret.value: N_("Bỏ phiếu kín"),
}
FORMS = {
    VoteForm.motions.value: N_("Các nội dung biểu quyết"),
    VoteForm.candidates.value: N_("Danh sách ứng cử"),
}
BASES = {
    ThresholdBase.present.value: N_("Số đảng viên có mặt"),
    ThresholdBase.all.value: N_("Tổng số đảng viên"),
}
# The passing rule is data (num/den): these are the usual choices.
THRESHOLDS = {
    "1/2": N_("Quá 1/2 (quá bán)"),
    "2/3": N_("Quá 2/3"),
    "3/4": N_("Quá 3/4"),
}
FIELDS = {
    "unit_id": N_("Đơn vị"),
    "meeting_id": N_("Cuộc họp"),
    "title": N_("Tiêu đề"),
    "description": N_("Mô tả"),
    "kind": N_("Hình thức"),
    "form": N_("Loại biểu quyết"),
    "threshold_base": N_("Tính trên"),
    "threshold_num": N_("Ngưỡng thông qua"),
    "threshold_den": N_("Ngưỡng thông qua"),
    "opens_at": N_("Mở từ"),
    "closes_at": N_("Đóng lúc"),
    "items": N_("Các mục biểu quyết"),
}
# Messages of VoteCreate's own checks, so that they are extracted and translated.
SCHEMA_MESSAGES = (
    N_("Không được để trống"),
    N_("Ngưỡng thông qua phải nhỏ hơn 1"),
    N_("Thời điểm phải có múi giờ"),
    N_("Thời điểm đóng phải sau thời điểm mở"),
    N_("Các mục biểu quyết bị trùng nhau"),
)
LABELS = {"kinds": KINDS, "forms": FORMS, "bases": BASES, "thresholds": THRESHOLDS}
FIELD_NAMES = (
    "unit_id",
    "meeting_id",
    "agenda_item_id",
    "title",
    "description",
    "kind",
    "form",
    "threshold_base",
    "threshold",
    "opens_at",
    "closes_at",
    "items",
)


def int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def origin(
    session: Session, actor: Actor, *, meeting_id: int | None, unit_id: int | None
) -> dict[str, Any]:
    """Where the vote is created from: a meeting (a motion), one unit, or a choice of units.

    A meeting or unit out of sight answers 404; one the actor may not chair, 403.
    """
    if meeting_id is not None:
        meeting, unit = meetings_service.get_meeting(session, actor=actor, meeting_id=meeting_id)
        if not units_service.allowed_in(actor, Perm.vote_manage, unit):
            raise Forbidden("Bạn không có quyền tạo biểu quyết cho đơn vị này")
        return {
            "meeting": meeting,
            "unit": unit,
            "agenda": meetings_service.agenda(session, meeting.id),
            "units": [unit],
        }
    if unit_id is not None:
        unit = units_service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.vote_manage)
        return {"meeting": None, "unit": unit, "agenda": [], "units": [unit]}
    units = units_service.units_for_picker(session, actor=actor, perm=Perm.vote_manage)
    if not units:
        raise Forbidden("Bạn không có quyền tạo biểu quyết")
    return {"meeting": None, "unit": None, "agenda": [], "units": units}


def defaults(where: dict[str, Any]) -> dict[str, str]:
    meeting: Meeting | None = where["meeting"]
    return {
        "unit_id": str(where["unit"].id) if where["unit"] else "",
        "meeting_id": str(meeting.id) if meeting else "",
        "kind": VoteKind.open.value,
        "form": VoteForm.motions.value,
        "threshold_base": ThresholdBase.present.value,
        "threshold": "1/2",
    }


def to_schema(session: Session, form: dict[str, str]) -> VoteCreate:
    """VoteCreate from the submitted fields; raises ValidationError or Invalid."""
    num, _sep, den = (form.get("threshold") or "1/2").partition("/")
    description = form.get("description", "").strip()
    meeting_id = int_or_none(form.get("meeting_id"))
    agenda_item_id = int_or_none(form.get("agenda_item_id"))
    if meeting_id is not None and agenda_item_id is not None:
        # The motion is on one agenda item: say which at the top of its description.
        item = next(
            (a for a in meetings_service.agenda(session, meeting_id) if a.id == agenda_item_id),
            None,
        )
        if item is None:
            raise Invalid("Không tìm thấy nội dung chương trình họp")
        heading = _("Về nội dung chương trình") + f": {item.position}. {item.title}"
        description = f"{heading}\n{description}".strip()
    data = VoteCreate.model_validate(
        {
            "unit_id": form.get("unit_id", "").strip() or None,
            "meeting_id": meeting_id,
            "title": form.get("title", ""),
            "description": description,
            "kind": form.get("kind", ""),
            "form": form.get("form") or VoteForm.motions.value,
            "threshold_base": form.get("threshold_base") or ThresholdBase.present.value,
            "threshold_num": num.strip() or None,
            "threshold_den": den.strip() or None,
            "opens_at": parse_local(form.get("opens_at", "")),
            "closes_at": parse_local(form.get("closes_at", "")),
            "items": [t.strip() for t in form.get("items", "").splitlines() if t.strip()],
        }
    )
    if data.closes_at is not None and data.closes_at <= utcnow():
        raise Invalid("Thời điểm đóng phải ở sau hiện tại")
    return data


def error_details(exc: ValidationError) -> list[dict[str, str]]:
    """The form's problems, one Vietnamese line per field."""
    return form_errors.details(exc, FIELDS)
