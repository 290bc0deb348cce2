"""Vietnamese display labels (gettext msgids) for member codes: status, gender, discipline."""

from __future__ import annotations

from app.members.models import DisciplineForm, Gender, MemberStatus

STATUS_LABELS: dict[str, str] = {
    MemberStatus.active: "Đang sinh hoạt",
    MemberStatus.transferred: "Đã chuyển sinh hoạt",
    MemberStatus.exempted: "Miễn công tác và sinh hoạt",
    MemberStatus.deceased: "Đã từ trần",
    MemberStatus.removed: "Đã ra khỏi Đảng",
}

GENDER_LABELS: dict[str, str] = {
    Gender.male: "Nam",
    Gender.female: "Nữ",
    Gender.other: "Khác",
}

DISCIPLINE_LABELS: dict[str, str] = {
    DisciplineForm.khien_trach: "Khiển trách",
    DisciplineForm.canh_cao: "Cảnh cáo",
    DisciplineForm.cach_chuc: "Cách chức",
    DisciplineForm.khai_tru: "Khai trừ",
}
