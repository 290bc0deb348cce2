"""A monthly bulletin started from the unit's record: the month's documents and resolutions,
deadlines falling due, and the meetings ahead, as sections the editor then rewrites."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bulletins import service
from app.bulletins.models import Bulletin
from app.bulletins.schemas import BulletinIn, SectionIn
from app.core.audit import AuditContext
from app.core.i18n import gettext as _
from app.core.localtime import LOCAL_TZ, local_today
from app.core.permissions import Actor
from app.documents import service as documents_service
from app.documents.models import Document, DocumentKind, DocumentStatus
from app.meetings import service as meetings_service
from app.meetings.models import Meeting, MeetingStatus
from app.tasks.models import Task

AHEAD = timedelta(days=45)
MOST = 12


def _month_bounds(month: str) -> tuple[date, date]:
    today = local_today()
    year, mon = (int(month[:4]), int(month[5:7])) if month else (today.year, today.month)
    first = date(year, mon, 1)
    nxt = date(year + (mon == 12), mon % 12 + 1, 1)
    return first, nxt


def _d(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)


def monthly_sections(
    session: Session, *, actor: Actor, unit_id: int, month: str = ""
) -> tuple[str, list[SectionIn]]:
    """The title and sections of a month's bulletin for a unit, from what the actor may see."""
    unit = service.issuing_unit(session, actor, unit_id)
    first, nxt = _month_bounds(month)
    docs = session.scalars(
        select(Document)
        .where(
            documents_service.visible_condition(actor),
            Document.status == DocumentStatus.published.value,
            Document.published_at >= _utc(first),
            Document.published_at < _utc(nxt),
        )
        .order_by(Document.published_at)
        .limit(MOST * 2)
    ).all()
    resolutions = [d for d in docs if d.kind == DocumentKind.nghi_quyet.value]
    others = [d for d in docs if d.kind != DocumentKind.nghi_quyet.value]

    def doc_line(d: Document) -> str:
        name = f"{d.number} {d.title}" if d.number else d.title
        when = _(" ban hành ngày {day}").format(day=_d(d.issued_on)) if d.issued_on else ""
        return f"- {name}{when}."

    sections: list[SectionIn] = []
    if others:
        sections.append(
            SectionIn(
                title=_("Văn bản mới trong tháng"), text="\n".join(map(doc_line, others[:MOST]))
            )
        )
    if resolutions:
        sections.append(
            SectionIn(title=_("Nghị quyết"), text="\n".join(map(doc_line, resolutions[:MOST])))
        )
    tasks = session.execute(
        select(Task.description, Task.due_date)
        .where(Task.unit_id == unit.id, Task.due_date >= first, Task.due_date < nxt)
        .order_by(Task.due_date)
        .limit(MOST)
    ).all()
    if tasks:
        lines = [
            _("- {what}, hạn ngày {day}.").format(
                what=t.description.rstrip(". "), day=_d(t.due_date)
            )
            for t in tasks
        ]
        sections.append(SectionIn(title=_("Nhiệm vụ đến hạn"), text="\n".join(lines)))
    now = datetime.now(UTC)
    meetings = session.scalars(
        select(Meeting)
        .where(
            Meeting.unit_id == unit.id,
            meetings_service.visible_condition(actor),
            Meeting.status == MeetingStatus.noticed,
            Meeting.starts_at >= now,
            Meeting.starts_at < now + AHEAD,
        )
        .order_by(Meeting.starts_at)
        .limit(MOST)
    ).all()
    if meetings:
        lines = []
        for m in meetings:
            local = m.starts_at.astimezone(LOCAL_TZ)
            where = _(", tại {place}").format(place=m.place) if m.place else ""
            lines.append(
                _("- {title}: {hour} giờ {minute:02d} ngày {day}{where}.").format(
                    title=m.title,
                    hour=local.hour,
                    minute=local.minute,
                    day=_d(local.date()),
                    where=where,
                )
            )
        sections.append(SectionIn(title=_("Lịch sinh hoạt sắp tới"), text="\n".join(lines)))
    if not sections:
        sections.append(SectionIn(title=_("Tin trong tháng"), text=_("Nội dung bản tin.")))
    title = _("Bản tin {unit} tháng {month}/{year}").format(
        unit=unit.name, month=first.month, year=first.year
    )
    return title, sections


def start_monthly(
    session: Session, ctx: AuditContext, *, actor: Actor, unit_id: int, month: str = ""
) -> Bulletin:
    """A draft monthly bulletin prefilled from the unit's month, for the editor to edit."""
    title, sections = monthly_sections(session, actor=actor, unit_id=unit_id, month=month)
    return service.create_bulletin(
        session, ctx, actor=actor, data=BulletinIn(unit_id=unit_id, title=title, sections=sections)
    )
