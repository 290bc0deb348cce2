"""What the minutes pages say in words: the states, the job's progress, version kinds, review
actions, the record's tables, and a consistency-check mismatch as a Vietnamese sentence."""

from __future__ import annotations

import re
from typing import Any

from app.core.i18n import N_
from app.core.i18n import gettext as _

STATES = {
    "none": N_("Chưa soạn"),
    "draft": N_("Dự thảo"),
    "submitted": N_("Đã trình, chờ chủ trì duyệt"),
    "returned": N_("Chủ trì trả lại để sửa"),
    "locked": N_("Đã duyệt và khóa"),
}
JOB_LABELS = {
    "queued": N_("Đang chờ soạn dự thảo"),
    "running": N_("Đang soạn dự thảo"),
    "succeeded": N_("Đã soạn xong dự thảo"),
    "failed": N_("Soạn dự thảo không thành công"),
}
VERSION_KINDS = {
    "draft": N_("Dự thảo"),
    "redraft": N_("Soạn lại"),
    "edit": N_("Sửa"),
    "correction": N_("Đính chính sau khi khóa"),
}
REVIEW_ACTIONS = {
    "submit": N_("Trình duyệt"),
    "approve": N_("Duyệt và khóa"),
    "return": N_("Trả lại"),
}
DONE = {
    "notes": N_("Đã lưu ghi chép của thư ký"),
    "drafting": N_("Đã gửi yêu cầu soạn dự thảo"),
    "saved": N_("Đã lưu mục; đã tạo phiên bản mới"),
    "submitted": N_("Đã trình biên bản cho chủ trì"),
    "approved": N_("Đã duyệt và khóa biên bản"),
    "returned": N_("Đã trả lại biên bản cho thư ký"),
    "corrected": N_("Đã ghi đính chính; biên bản chờ chủ trì duyệt lại"),
}
TABLES = {
    "meeting": N_("Cuộc họp"),
    "attendance": N_("Điểm danh"),
    "guest": N_("Khách mời"),
    "agenda_item": N_("Nội dung họp"),
    "document": N_("Tài liệu"),
    "vote": N_("Biểu quyết"),
    "resolution": N_("Nghị quyết"),
    "task": N_("Nhiệm vụ"),
}
# What a mismatch's field names ("vote[2].agree", "attendance.present"), in words.
FIELDS = {
    "attendance.total": N_("tổng số đảng viên"),
    "attendance.present": N_("số đảng viên có mặt"),
    "attendance.absent_with_leave": N_("số vắng mặt có lý do"),
    "attendance.absent_without_leave": N_("số vắng mặt không lý do"),
    "attendance.exempt": N_("số miễn sinh hoạt"),
    "guests": N_("khách mời"),
    "votes.count": N_("số lần biểu quyết"),
    "date": N_("ngày họp"),
    "time": N_("giờ họp"),
    "agree": N_("số tán thành"),
    "disagree": N_("số không tán thành"),
    "abstain": N_("số ý kiến khác"),
    "present": N_("số có mặt khi biểu quyết"),
    "adopted": N_("kết quả thông qua"),
    "kind": N_("hình thức biểu quyết"),
    "names": N_("danh sách tên"),
    "assignee": N_("người được giao"),
    "due": N_("hạn hoàn thành"),
}
_INDEXED = re.compile(r"^(vote|task)\[(\d+)\]\.([a-z_]+)(?:\.([a-z_]+))?$")
_ATT_NAMES = re.compile(r"^(attendance\.[a-z_]+)\.names$")


def _field_words(field: str) -> str:
    if field in FIELDS:
        return _(FIELDS[field])
    if _ATT_NAMES.match(field):
        return _("tên đảng viên trong phần điểm danh")
    if m := _INDEXED.match(field):
        kind, n, what, extra = m.groups()
        words = _(FIELDS.get(what, N_("một số liệu")))
        if extra == "percent":
            words = _("tỉ lệ {what}").format(what=words)
        if kind == "vote":
            return _("{what} của lần biểu quyết thứ {n}").format(what=words, n=n)
        return _("{what} của nhiệm vụ").format(what=words)
    return _("một số liệu")


def mismatch_sentence(m: dict[str, Any]) -> str:
    """One mismatch as a Vietnamese sentence: what, what the text says, what the record says."""
    what = _field_words(str(m.get("field", "")))
    found, expected = str(m.get("found") or ""), str(m.get("expected") or "")
    if not found:
        return _("Thiếu {what}: theo hồ sơ cuộc họp là {expected}.").format(
            what=what, expected=expected
        )
    return _("Ghi {what} là {found}, nhưng hồ sơ cuộc họp ghi {expected}.").format(
        what=what, found=found, expected=expected
    )
