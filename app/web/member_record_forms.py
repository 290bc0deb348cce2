"""What the member-record pages share: field labels, choices, and a refusal as per-field lines.

Split from routes_member_records.py so that module stays a list of thin routes; the edit and
end pages (member_record_edits.py) use the same tables.
"""

from __future__ import annotations

from starlette.datastructures import FormData

from app.core.errors import AppError, NotFound
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.members.models import DisciplineForm, Gender, MemberStatus, RatingGrade
from app.members.service_labels import DISCIPLINE_LABELS, GENDER_LABELS, STATUS_LABELS
from app.members.service_ratings import GRADE_LABELS
from app.members.service_records import RecordKind
from app.web.labels import MEMBER_RECORD_OPTIONS

MESSAGE_CODES = {"duplicate", "ended"}

# The lý lịch fields in the order of the paper form; labels as on the profile page.
PROFILE_FIELDS: dict[str, str] = {
    "full_name": N_("Họ và tên"),
    "birth_date": N_("Ngày sinh"),
    "gender": N_("Giới tính"),
    "hometown": N_("Quê quán"),
    "ethnicity": N_("Dân tộc"),
    "religion": N_("Tôn giáo"),
    "cccd": N_("Số CCCD"),
    "phone": N_("Điện thoại"),
    "address": N_("Địa chỉ"),
    "education_level": N_("Học vấn"),
    "political_theory": N_("Lý luận chính trị"),
    "professional_qualification": N_("Chuyên môn"),
    "admission_date": N_("Ngày vào Đảng"),
    "official_date": N_("Ngày chính thức"),
    "card_number": N_("Số thẻ đảng viên"),
    "dossier_number": N_("Số lý lịch"),
}
DATE_FIELDS = {"birth_date", "admission_date", "official_date"}
RECORD_LABELS: dict[str, str] = {
    "organisation": N_("Nơi công tác"),
    "position": N_("Chức vụ"),
    "end_date": N_("Ngày kết thúc"),
    "awarded_on": N_("Ngày"),
    "issued_by": N_("Cơ quan quyết định"),
    "decision_number": N_("Số quyết định"),
    "badge_years": N_("Số năm tuổi Đảng (huy hiệu)"),
    "course": N_("Khóa học"),
    "institution": N_("Cơ sở đào tạo"),
    "certificate": N_("Văn bằng, chứng chỉ"),
    "year": N_("Năm"),
    "grade": N_("Xếp loại"),
    "decided_on": N_("Ngày quyết định"),
    "form": N_("Hình thức kỷ luật"),
}
LABELS = {**PROFILE_FIELDS, **RECORD_LABELS, "status": N_("Tình trạng")}
CHOICES = {
    "gender_labels": GENDER_LABELS,
    "genders": list(Gender),
    "status_labels": STATUS_LABELS,
    "statuses": list(MemberStatus),
    "discipline_labels": DISCIPLINE_LABELS,
    "discipline_forms": list(DisciplineForm),
    "grade_labels": GRADE_LABELS,
    "grades": list(RatingGrade),
    **MEMBER_RECORD_OPTIONS,
}


def problems(exc: AppError) -> list[dict[str, str]]:
    """A service's refusal as one line per field; a code ("duplicate") reads as the message."""
    out = []
    for d in exc.details or []:
        key = str(d.get("field", ""))
        label = LABELS.get(key, "")
        message = str(d.get("message", ""))
        # Codes for API clients; the page says the whole sentence, its {year} filled in.
        text = exc.render() if message in MESSAGE_CODES else _(message)
        out.append({"field": _(label) if label else "", "key": key, "message": text})
    return out


def submitted(raw: FormData, names: list[str]) -> dict[str, str]:
    return {k: str(raw.get(k, "")) for k in names}


def record_kind(kind: str) -> RecordKind:
    try:
        return RecordKind(kind)
    except ValueError as exc:
        raise NotFound("Không tìm thấy trang") from exc
