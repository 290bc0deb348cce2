"""Member factories with plausible Vietnamese data."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy.orm import Session

from app.core.text import fold
from app.members.models import Member, UnitMembership
from app.units.models import Unit

_seq = itertools.count(1)


def make_member(
    session: Session,
    unit: Unit,
    full_name: str = "Nguyễn Văn An",
    *,
    cccd: str | None = None,
    admission_date: date | None = date(2010, 5, 19),
    status: str = "active",
    **fields: object,
) -> Member:
    n = next(_seq)
    member = Member(
        unit_id=unit.id,
        full_name=full_name,
        name_folded=fold(full_name),
        birth_date=fields.pop("birth_date", date(1970, 1, 1)),
        gender=fields.pop("gender", "male"),
        cccd=cccd if cccd is not None else f"0010{n:08d}",
        admission_date=admission_date,
        official_date=fields.pop("official_date", None),
        card_number=fields.pop("card_number", f"TV{n:06d}"),
        dossier_number=fields.pop("dossier_number", f"LL{n:06d}"),
        status=status,
        **fields,
    )
    session.add(member)
    session.flush()
    session.add(
        UnitMembership(
            member_id=member.id, unit_id=unit.id, start_date=admission_date or date(2020, 1, 1)
        )
    )
    session.flush()
    return member
