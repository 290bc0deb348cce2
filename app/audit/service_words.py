"""The audit log in words: one sentence per kind of event, and the kinds of object by name.

Every action code written by `audit.record(...)` has a phrase here (a msgid, English in
audit.po); `tests/audit/test_words.py` finds the codes in the source and fails on one left out.
A phrase says what was done and to what; the page puts who did it (and for whom) in front.
Only names are looked up (a member's full name, a meeting's title); the sensitive fields the
log never holds are not read here either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.audit.schemas import AuditEntryOut
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.documents.models import Document
from app.meetings.models import Meeting
from app.members.models import Member
from app.units.models import Unit
from app.votes.models import Vote

# "{object}" is the object's name (or kind and number); a phrase without it names none.
ACTIONS = {
    "auth.login": N_("đã đăng nhập"),
    "account.throttled": N_("bị tạm khóa đăng nhập vì nhập sai mật khẩu nhiều lần"),
    "account.password_changed": N_("đã đổi mật khẩu"),
    "account.password_reset": N_("đã đặt lại mật khẩu cho tài khoản {object}"),
    "account.created": N_("đã tạo tài khoản {object}"),
    "account.code_issued": N_("đã cấp mã kích hoạt một lần cho tài khoản {object}"),
    "account.activated": N_("đã đặt mật khẩu bằng mã kích hoạt một lần"),
    "account.deactivated": N_("đã khóa tài khoản {object}"),
    "account.reactivated": N_("đã mở lại tài khoản {object}"),
    "account.unlocked": N_("đã gỡ tạm khóa đăng nhập của tài khoản {object}"),
    "role.granted": N_("đã cấp vai trò cho tài khoản {object}"),
    "role.revoked": N_("đã thu hồi vai trò của tài khoản {object}"),
    "audit.view": N_("đã xem nhật ký hoạt động"),
    "audit.verify": N_("đã kiểm tra tính toàn vẹn của nhật ký"),
    "calendar.token_rotate": N_("đã tạo lại đường dẫn lịch riêng"),
    "calendar_item.create": N_("đã thêm lịch riêng {object}"),
    "calendar_item.update": N_("đã sửa lịch riêng {object}"),
    "calendar_item.delete": N_("đã xóa lịch riêng {object}"),
    "correction.propose": N_("đã gửi đề nghị sửa hồ sơ {object}"),
    "correction.approve": N_("đã duyệt đề nghị sửa hồ sơ {object}"),
    "correction.reject": N_("đã từ chối đề nghị sửa hồ sơ {object}"),
    "correction.view_sensitive": N_("đã xem thông tin nhạy cảm trong đề nghị {object}"),
    "demo.create": N_("đã tạo tổ chức mẫu"),
    "demo.account": N_("đã tạo tài khoản mẫu {object}"),
    "document.create": N_("đã tạo văn bản {object}"),
    "document.version": N_("đã tải lên phiên bản mới của văn bản {object}"),
    "document.audience": N_("đã đặt nơi nhận văn bản {object}"),
    "document.publish": N_("đã ban hành văn bản {object}"),
    "document.withdraw": N_("đã thu hồi văn bản {object}"),
    "document.download": N_("đã tải về văn bản {object}"),
    "feedback.comment": N_("đã góp ý {object}"),
    "feedback.idea": N_("đã gửi kiến nghị {object}"),
    "feedback.reply": N_("đã trả lời góp ý {object}"),
    "feedback.status": N_("đã đổi trạng thái góp ý {object}"),
    "jobs.submit": N_("đã gửi tác vụ nền {object}"),
    "jobs.requeue": N_("đã chạy lại tác vụ nền {object} bị gián đoạn"),
    "jobs.fail_exhausted": N_("đã dừng tác vụ nền {object} sau nhiều lần lỗi"),
    "meeting.create": N_("đã tạo cuộc họp {object}"),
    "meeting.update": N_("đã sửa cuộc họp {object}"),
    "meeting.noticed": N_("đã gửi thông báo họp {object}"),
    "meeting.in_progress": N_("đã bắt đầu cuộc họp {object}"),
    "meeting.closed": N_("đã kết thúc cuộc họp {object}"),
    "meeting.draft": N_("đã đưa cuộc họp {object} về bản nháp"),
    "meeting.reminder": N_("đã nhắc lịch họp {object}"),
    "meeting.check_in": N_("đã điểm danh có mặt ở cuộc họp {object}"),
    "meeting.attendance_set": N_("đã ghi điểm danh cuộc họp {object}"),
    "meeting.all_present": N_("đã ghi tất cả có mặt ở cuộc họp {object}"),
    "meeting.guest_add": N_("đã thêm khách mời cuộc họp {object}"),
    "meeting.comment": N_("đã gửi ý kiến về cuộc họp {object}"),
    "meeting.assess": N_("đã tự đánh giá cuộc họp {object}"),
    "member.create": N_("đã thêm đảng viên {object}"),
    "member.update": N_("đã sửa hồ sơ đảng viên {object}"),
    "member.sensitive_read": N_("đã xem thông tin nhạy cảm của đảng viên {object}"),
    "member.badge_award": N_("đã ghi huy hiệu Đảng {object}"),
    "member.work_history.add": N_("đã thêm quá trình công tác {object}"),
    "member.work_history.delete": N_("đã xóa quá trình công tác {object}"),
    "member.award.add": N_("đã thêm khen thưởng {object}"),
    "member.award.delete": N_("đã xóa khen thưởng {object}"),
    "member.training.add": N_("đã thêm quá trình đào tạo {object}"),
    "member.training.delete": N_("đã xóa quá trình đào tạo {object}"),
    "member.rating.add": N_("đã thêm xếp loại {object}"),
    "member.rating.delete": N_("đã xóa xếp loại {object}"),
    "member.discipline.add": N_("đã thêm kỷ luật {object}"),
    "member.discipline.delete": N_("đã xóa kỷ luật {object}"),
    "member.work_history.update": N_("đã sửa quá trình công tác {object}"),
    "member.work_history.end": N_("đã ghi ngày kết thúc quá trình công tác {object}"),
    "member.award.update": N_("đã sửa khen thưởng {object}"),
    "member.training.update": N_("đã sửa quá trình đào tạo {object}"),
    "member.training.end": N_("đã ghi ngày kết thúc quá trình đào tạo {object}"),
    "member.rating.update": N_("đã sửa xếp loại {object}"),
    "member.discipline.update": N_("đã sửa kỷ luật {object}"),
    "members.import": N_("đã nhập danh sách đảng viên từ tệp"),
    "members.export": N_("đã xuất danh sách đảng viên ra tệp"),
    "bulletin.create": N_("đã soạn bản tin {object}"),
    "bulletin.update": N_("đã sửa bản tin {object}"),
    "bulletin.publish": N_("đã phát hành bản tin {object}"),
    "bulletin.withdraw": N_("đã thu hồi bản tin {object}"),
    "bulletin.listen": N_("đã nghe bản tin {object}"),
    "podcast.token_rotate": N_("đã tạo đường dẫn nghe bản tin riêng"),
    "podcast.token_revoke": N_("đã thu hồi đường dẫn nghe bản tin riêng"),
    "meeting.intent": N_("đã báo dự hay vắng {object}"),
    "recording.upload": N_("đã tải lên bản ghi âm {object}"),
    "recording.listen": N_("đã nghe bản ghi âm {object}"),
    "recording.transcript_read": N_("đã xem bản ghi lời {object}"),
    "recording.segment_edit": N_("đã sửa một đoạn bản ghi lời {object}"),
    "recording.policy": N_("đã đổi quyền nghe bản ghi âm của {object}"),
    "report.export": N_("đã xuất báo cáo của {object}"),
    "resolution.issue": N_("đã ban hành nghị quyết {object}"),
    "task.create": N_("đã giao nhiệm vụ {object}"),
    "task.start": N_("đã bắt đầu thực hiện nhiệm vụ {object}"),
    "task.complete": N_("đã báo hoàn thành nhiệm vụ {object}"),
    "task.grade": N_("đã đánh giá nhiệm vụ {object}"),
    "task.adopt": N_("đã giao nhiệm vụ {object} từ bản tóm tắt văn bản"),
    "transfer.request": N_("đã đề nghị chuyển sinh hoạt {object}"),
    "transfer.accept": N_("đã tiếp nhận chuyển sinh hoạt {object}"),
    "transfer.reject": N_("đã từ chối chuyển sinh hoạt {object}"),
    "transfer.cancel": N_("đã hủy đề nghị chuyển sinh hoạt {object}"),
    "unit.created": N_("đã tạo đơn vị {object}"),
    "unit.renamed": N_("đã đổi tên đơn vị {object}"),
    "unit.moved": N_("đã chuyển đơn vị {object} sang đơn vị cấp trên khác"),
    "unit.dissolved": N_("đã giải thể đơn vị {object}"),
    "unit.settings": N_("đã đổi cài đặt của đơn vị {object}"),
    "assessment.criterion_add": N_("đã thêm tiêu chí tự đánh giá của {object}"),
    "assessment.criterion_edit": N_("đã sửa tiêu chí tự đánh giá của {object}"),
    "assessment.criteria_order": N_("đã sắp xếp lại tiêu chí tự đánh giá của {object}"),
    "assessment.bands": N_("đã đặt thang xếp loại tự đánh giá của {object}"),
    "vote.created": N_("đã tạo biểu quyết {object}"),
    "vote.opened": N_("đã mở biểu quyết {object}"),
    "vote.closed": N_("đã kết thúc biểu quyết {object}"),
    "vote.participated": N_("đã tham gia biểu quyết {object}"),
    "vote.cast": N_("đã biểu quyết {object}"),
}
# The kinds of object the log names, for the filter and for "{object}" without a name.
OBJECTS = {
    "account": N_("tài khoản"),
    "audit_log": N_("nhật ký"),
    "award": N_("khen thưởng"),
    "calendar_item": N_("lịch riêng"),
    "correction": N_("đề nghị sửa hồ sơ"),
    "discipline": N_("kỷ luật"),
    "document": N_("văn bản"),
    "feedback_thread": N_("góp ý"),
    "job": N_("tác vụ nền"),
    "bulletin": N_("bản tin"),
    "meeting": N_("cuộc họp"),
    "member": N_("hồ sơ đảng viên"),
    "member_export": N_("tệp xuất đảng viên"),
    "member_import": N_("tệp nhập đảng viên"),
    "rating": N_("xếp loại"),
    "recording": N_("bản ghi âm"),
    "resolution": N_("nghị quyết"),
    "task": N_("nhiệm vụ"),
    "training": N_("đào tạo"),
    "transfer": N_("chuyển sinh hoạt"),
    "unit": N_("đơn vị"),
    "vote": N_("biểu quyết"),
    "work_history": N_("quá trình công tác"),
}
SYSTEM = N_("Hệ thống")
UNKNOWN_ACTION = N_("đã thực hiện thao tác {code} trên {object}")


@dataclass(frozen=True)
class Sentence:
    """One log row told in words: who, on whose behalf, what and to what."""

    who: str
    on_behalf_of: str | None
    what: str


def action_label(code: str) -> str:
    """What an action code means, without its object: for the filter's choices."""
    phrase = ACTIONS.get(code)
    if phrase is None:
        return code
    return _(phrase).replace("{object}", "").replace("  ", " ").strip()


def object_kind_choices() -> list[tuple[str, str]]:
    """The object kinds in words, in the reader's alphabetical order."""
    return sorted(((k, _(v)) for k, v in OBJECTS.items()), key=lambda kv: kv[1].casefold())


# Names worth showing instead of a number, by object type: (model, the column that names it).
_NAMED: dict[str, tuple[Any, Any]] = {
    "account": (Account.id, Account.username),
    "document": (Document.id, Document.title),
    "meeting": (Meeting.id, Meeting.title),
    "member": (Member.id, Member.full_name),
    "unit": (Unit.id, Unit.name),
    "vote": (Vote.id, Vote.title),
}


def names(session: Session, entries: Iterable[AuditEntryOut]) -> dict[tuple[str, int], str]:
    """Names of the objects and the represented members of a page of rows, in a few queries."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for e in entries:
        if e.object_type in _NAMED and e.object_id and e.object_id.isdigit():
            wanted[e.object_type].add(int(e.object_id))
        if e.on_behalf_of_member_id:
            wanted["member"].add(e.on_behalf_of_member_id)
    out: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        key, column = _NAMED[kind]
        rows = session.execute(select(key, column).where(key.in_(ids))).all()
        out.update({(kind, row[0]): row[1] for row in rows})
    return out


def _object(entry: AuditEntryOut, known: dict[tuple[str, int], str]) -> str:
    kind = entry.object_type or ""
    oid = entry.object_id or ""
    name = known.get((kind, int(oid))) if oid.isdigit() else None
    if name:
        return f"“{name}”"
    label = _(OBJECTS[kind]) if kind in OBJECTS else kind
    return f"{label} {_('số')} {oid}".strip() if oid else label


def describe(entry: AuditEntryOut, known: dict[tuple[str, int], str]) -> Sentence:
    """The row as a sentence in the reader's language."""
    phrase = ACTIONS.get(entry.action)
    obj = _object(entry, known)
    if phrase is None:
        what = _(UNKNOWN_ACTION).format(code=entry.action, object=obj or "—")
    else:
        what = _(phrase).format(object=obj).strip()
    behalf = entry.on_behalf_of_member_id
    on_behalf_of = (
        known.get(("member", behalf)) or _("đảng viên số {n}").format(n=behalf) if behalf else None
    )
    return Sentence(who=entry.actor or _(SYSTEM), on_behalf_of=on_behalf_of, what=what)
