"""Labels that more than one group of pages shows, so that page modules never import each other."""

from __future__ import annotations

from app.core.i18n import N_
from app.meetings.models import AttendanceState, MeetingKind, MeetingStatus
from app.members.service_labels import DISCIPLINE_LABELS
from app.members.service_ratings import GRADE_LABELS
from app.tasks.models import TaskStatus

MEETING_KIND_LABELS = {
    MeetingKind.regular: N_("Thường kỳ"),
    MeetingKind.thematic: N_("Chuyên đề"),
    MeetingKind.extraordinary: N_("Bất thường"),
}
MEETING_STATUS_LABELS = {
    MeetingStatus.draft: N_("Bản nháp"),
    MeetingStatus.noticed: N_("Đã thông báo"),
    MeetingStatus.in_progress: N_("Đang họp"),
    MeetingStatus.closed: N_("Đã kết thúc"),
}
ATTENDANCE_STATE_LABELS = {
    AttendanceState.present: N_("Có mặt"),
    AttendanceState.excused: N_("Vắng có phép"),
    AttendanceState.unexcused: N_("Vắng không phép"),
    AttendanceState.exempt: N_("Miễn sinh hoạt"),
}
# The meeting pages' context: the calendar and the meeting editor show the same words.
MEETING_LABELS = {
    "kinds": MEETING_KIND_LABELS,
    "statuses": MEETING_STATUS_LABELS,
    "states": ATTENDANCE_STATE_LABELS,
}
# The meeting forms' fields, for the messages put next to them (app/web/form_errors.py).
MEETING_FIELDS = {
    "unit_id": N_("Đơn vị"),
    "kind": N_("Loại sinh hoạt"),
    "title": N_("Tiêu đề"),
    "starts_at": N_("Bắt đầu"),
    "ends_at": N_("Kết thúc"),
    "place": N_("Địa điểm"),
    "online_link": N_("Đường dẫn họp trực tuyến"),
    "chair_member_id": N_("Chủ trì"),
    "secretary_member_id": N_("Thư ký"),
    "agenda": N_("Chương trình họp"),
    "document_ids": N_("Tài liệu đọc trước"),
}
# The meeting schema's own checks have no field; these are the fields they are about.
MEETING_CHECKS = {
    "Cần địa điểm hoặc đường dẫn họp trực tuyến": "place",
    "Giờ kết thúc phải sau giờ bắt đầu": "ends_at",
}

TASK_STATUS_LABELS = {
    TaskStatus.assigned: "Mới giao",
    TaskStatus.in_progress: "Đang thực hiện",
    TaskStatus.done: "Đã hoàn thành",
    TaskStatus.graded: "Đã đánh giá",
}

# The choices of a member's record forms (profile page): (value, msgid) pairs.
_CHOOSE = N_("Chọn")
MEMBER_RECORD_OPTIONS = {
    "grade_options": [("", _CHOOSE), *((str(k), v) for k, v in GRADE_LABELS.items())],
    "discipline_forms_options": [
        ("", _CHOOSE),
        *((str(k), v) for k, v in DISCIPLINE_LABELS.items()),
    ],
}
