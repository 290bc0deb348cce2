"""The demo's secretary's notes for the held meeting of Chi bộ Khu phố 1, so `sotay demo`
shows a meeting whose minutes can be drafted, edited, submitted, approved and exported."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.core.audit import AuditContext
from app.core.permissions import load_actor
from app.meetings import service as meetings_service
from app.meetings.models import Meeting, MeetingStatus
from app.minutes import service
from app.minutes.schemas import ItemMeta
from app.units.models import Unit

PRESENTER = re.compile(r"Trình bày:\s*(?:đồng chí\s+)?([^.]+)\.")
NOTES = (
    "[1] Chi bộ đánh giá các nhiệm vụ tháng trước cơ bản hoàn thành đúng hạn.\n"
    "[1] Công tác vận động hội viên tham gia vệ sinh môi trường còn chậm ở tổ dân phố 3.\n"
    "[2] Chi bộ thống nhất triển khai văn bản của Đảng ủy phường đến từng đảng viên.\n"
    "[3] Đồng chí được đề nghị công nhận đảng viên chính thức đã hoàn thành tốt nhiệm vụ.\n"
    "Chi bộ thống nhất cao các nội dung đã bàn."
)
CONCLUSIONS = (
    "Chi bộ thống nhất đánh giá kết quả tháng trước và giao nhiệm vụ tháng tới.",
    "Mỗi đảng viên nghiên cứu văn bản và thực hiện tại tổ dân phố nơi cư trú.",
    "Chi bộ đề nghị cấp trên xem xét, công nhận đảng viên chính thức.",
)


def add_demo_notes(session: Session, *, cell_code: str, secretary: str) -> bool:
    """Write the notes once (not over the demo secretary's own); True when written."""
    meeting = session.scalar(
        select(Meeting)
        .join(Unit, Unit.id == Meeting.unit_id)
        .where(Unit.code == cell_code, Meeting.status == MeetingStatus.closed)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    account = session.scalar(select(Account).where(Account.username == secretary))
    if meeting is None or account is None:
        return False
    found = service.find(session, meeting.id)
    if found is not None and found.notes.strip():
        return False
    actor = load_actor(session, account.id)
    if actor is None:
        return False
    items: dict[int, ItemMeta] = {}
    for n, item in enumerate(meetings_service.agenda(session, meeting.id)):
        who = PRESENTER.search(item.description or "")
        items[item.id] = ItemMeta(
            presenter=who.group(1).strip() if who else "",
            conclusion=CONCLUSIONS[n] if n < len(CONCLUSIONS) else "",
        )
    service.set_notes(
        session,
        AuditContext(ip="cli"),
        actor=actor,
        meeting_id=meeting.id,
        notes=NOTES,
        items=items,
    )
    return True
