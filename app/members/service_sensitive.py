"""Sensitive member data (CCCD and discipline): shown only to those allowed, every read audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.audit import AuditContext
from app.core.i18n import gettext
from app.core.permissions import Actor, Perm
from app.members.models import Discipline
from app.members.schemas import DisciplineOut, SensitiveOut
from app.members.service import load_member
from app.members.service_labels import DISCIPLINE_LABELS
from app.units import service as units_service

SENSITIVE_READ_FIELDS = ["cccd", "disciplines"]


def read_sensitive(
    session: Session, ctx: AuditContext, *, actor: Actor, member_id: int
) -> SensitiveOut:
    """CCCD and discipline records of a member; writes one `member.sensitive_read` audit row."""
    member, unit = load_member(
        session, actor=actor, member_id=member_id, perm=Perm.member_view_sensitive
    )
    rows = session.scalars(
        select(Discipline)
        .where(Discipline.member_id == member.id)
        .order_by(Discipline.decided_on, Discipline.id)
    )
    disciplines = [
        DisciplineOut(
            id=d.id,
            decided_on=d.decided_on,
            form=d.form,
            form_label=gettext(DISCIPLINE_LABELS.get(d.form, d.form)),
            reason=d.reason,
            issued_by=d.issued_by,
            decision_number=d.decision_number,
        )
        for d in rows
    ]
    audit.record(
        session,
        ctx,
        "member.sensitive_read",
        object_type="member",
        object_id=member.id,
        unit_id=unit.id,
        detail={"fields": SENSITIVE_READ_FIELDS},
    )
    # A member reads their own record but never edits it.
    can_edit = actor.member_id != member.id and units_service.allowed_in(
        actor, Perm.member_edit, unit
    )
    return SensitiveOut(cccd=member.cccd, disciplines=disciplines, can_edit=can_edit)
