"""The demo's bulletin: a short monthly bulletin of the demo cell, published by its secretary
and spoken offline (espeak-ng) in the `sotay demo` process itself, so a fresh demo has one to
play from the member's home page."""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.bulletins import service
from app.bulletins.models import Bulletin
from app.bulletins.schemas import BulletinIn, SectionIn
from app.core.audit import AuditContext
from app.core.db import Database
from app.core.localtime import local_today
from app.core.permissions import load_actor

log = logging.getLogger(__name__)

# About 150 words: short enough to speak in a second or two on two cores.
SECTIONS = [
    SectionIn(
        title="Tin chi bộ",
        text=(
            "Tháng này, chi bộ đã tổ chức sinh hoạt thường kỳ với chủ đề học tập và làm theo "
            "tư tưởng, đạo đức, phong cách Hồ Chí Minh. Các đồng chí đảng viên tham gia đầy đủ. "
            "Chi bộ biểu dương các đồng chí đã giúp đỡ hộ nghèo trong khu phố."
        ),
    ),
    SectionIn(
        title="Việc cần làm",
        text=(
            "Các đồng chí nộp đảng phí trước ngày mười của tháng. "
            "Mỗi đảng viên đọc văn bản mới của Đảng ủy phường trên ứng dụng Sổ Tay. "
            "Đồng chí nào có ý kiến đóng góp, xin gửi qua mục Góp ý."
        ),
    ),
    SectionIn(
        title="Lịch sinh hoạt",
        text=(
            "Buổi sinh hoạt chi bộ tháng tới được tổ chức tại nhà văn hóa khu phố. "
            "Đồng chí nào không dự được, xin báo trước cho đồng chí Bí thư và nêu lý do. "
            "Xin cảm ơn các đồng chí đã lắng nghe."
        ),
    ),
]


def add_demo_bulletin(session: Session, db: Database, *, secretary: str) -> int | None:
    """Publish the demo cell's bulletin as its secretary unless the cell has one; the id of the
    speech job to run, or None."""
    account_id = session.scalar(
        select(Account.id).where(func.lower(Account.username) == secretary.lower())
    )
    actor = load_actor(session, account_id) if account_id is not None else None
    if actor is None or actor.member_unit_id is None:
        return None
    if session.scalar(select(Bulletin.id).where(Bulletin.unit_id == actor.member_unit_id)):
        return None
    ctx = AuditContext(actor_account_id=actor.account_id, ip="cli")
    today = local_today()
    b = service.create_bulletin(
        session,
        ctx,
        actor=actor,
        data=BulletinIn(
            unit_id=actor.member_unit_id,
            title=f"Bản tin chi bộ tháng {today.month} năm {today.year}",
            sections=SECTIONS,
        ),
    )
    service.publish_bulletin(
        session, ctx, actor=actor, bulletin_id=b.id, settings=db.settings, dispatcher=None
    )
    return b.audio_job_id


def speak_now(db: Database, job_id: int) -> str:
    """Run the queued speech job in this process (the demo must work with no worker)."""
    from app.bulletins import tasks  # noqa: F401 - registers bulletins.speak
    from app.jobs.service_engine import execute_job

    outcome = execute_job(db, db.settings.jobs, job_id, worker="sotay-demo")
    if outcome != "succeeded":
        log.warning("demo bulletin: speech job %s ended %s", job_id, outcome)
    return outcome
