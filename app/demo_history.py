"""History for the demo's members: statuses, memberships, transfers, work, awards, ratings."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app import demo_data as D
from app.members.models import (
    Award,
    Discipline,
    Member,
    MemberStatus,
    Rating,
    Training,
    UnitMembership,
    WorkHistory,
)
from app.transfers.models import Transfer, TransferKind, TransferStatus
from app.units.models import Unit

BADGE_DAYS = ((2, 3), (5, 19), (9, 2), (11, 7))  # badges are handed out on these holidays


@dataclass
class Person:
    member: Member
    cell: Unit
    ward_code: str
    events: list[Any] = field(default_factory=list)  # history rows, added after the flush
    outside_org: str | None = None  # where a transferred-out member went
    left_on: date | None = None  # transferred out or died
    disciplined_in: set[int] = field(default_factory=set)


class HistoryMaker:
    """Draws every random detail from one seeded generator, so the demo is reproducible."""

    def __init__(self, today: date) -> None:
        # Anchor dates to the first of the month: a rerun within the month draws the same data.
        self.ref = date(today.year, today.month, 1)
        self.rng = random.Random(D.SEED)
        self.units: dict[str, Unit] = {}

    def day(self, year: int) -> date:
        return date(year, 1, 1) + timedelta(days=self.rng.randint(0, 364))

    def pick(self, weighted: list[tuple[Any, float]]) -> Any:
        return self.rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]

    def statuses(self, people: list[Person]) -> None:
        rng = self.rng
        active = [p for p in people if p.member.status == MemberStatus.active]
        oldest = sorted(active, key=lambda p: p.member.birth_date or self.ref)[:8]
        for p in rng.sample(oldest, 2):
            p.member.status = MemberStatus.deceased
        younger = [p for p in active if p.member.official_date and p not in oldest]
        for p, org in zip(rng.sample(younger, 2), D.OUTSIDE_ORGS, strict=True):
            p.member.status = MemberStatus.transferred
            p.outside_org = org

    def history(self, p: Person) -> None:
        rng, m = self.rng, p.member
        assert m.admission_date is not None and m.birth_date is not None
        start = max(m.admission_date, self.day(rng.randint(1998, 2015)))
        start = min(start, self.ref - timedelta(days=1))
        end: date | None = None
        if m.status in (MemberStatus.deceased, MemberStatus.transferred):
            end = self.ref - timedelta(days=rng.randint(30, 500))
            if end <= start:
                end = start + (self.ref - start) / 2
            p.left_on = end
        if m.status == MemberStatus.active and start.year >= 2005 and rng.random() < 0.08:
            # Moved house inside the city: first a cell elsewhere, then this one.
            moved = start + timedelta(days=rng.randint(365, max(366, (self.ref - start).days)))
            moved = min(moved, self.ref - timedelta(days=10))
            earlier = rng.choice(
                [u for u in self.units.values() if u.kind == "cell" and u != p.cell]
            )
            p.events.append(
                UnitMembership(member_id=m.id, unit_id=earlier.id, start_date=start, end_date=moved)
            )
            p.events.append(
                self.transfer(m, TransferKind.internal, earlier.id, p.cell.id, None, moved)
            )
            start = moved
        p.events.append(
            UnitMembership(member_id=m.id, unit_id=p.cell.id, start_date=start, end_date=end)
        )
        if p.outside_org and end:
            p.events.append(self.transfer(m, TransferKind.out, p.cell.id, None, p.outside_org, end))
        self.work(p)
        self.awards(p, until=end or self.ref)
        if m.admission_date.year >= self.ref.year - 5 or rng.random() < 0.04:
            course, school = (
                D.TRAININGS[0] if m.admission_date.year >= self.ref.year - 5 else D.TRAININGS[1]
            )
            began = m.admission_date + timedelta(days=rng.randint(30, 150))
            if began < self.ref:
                p.events.append(
                    Training(
                        member_id=m.id,
                        start_date=began,
                        end_date=began + timedelta(days=10),
                        course=course,
                        institution=school,
                        certificate="Giấy chứng nhận",
                    )
                )

    def transfer(
        self,
        m: Member,
        kind: TransferKind,
        src: int | None,
        dst: int | None,
        org: str | None,
        on: date,
    ) -> Transfer:
        at = datetime(on.year, on.month, on.day, 2, 0, tzinfo=UTC)
        reason = "Chuyển nơi cư trú" if kind == TransferKind.internal else "Chuyển công tác"
        return Transfer(
            member_id=m.id,
            kind=kind,
            from_unit_id=src,
            to_unit_id=dst,
            external_org=org,
            reason=reason,
            status=TransferStatus.accepted,
            requested_at=at - timedelta(days=14),
            decided_at=at,
            decision_note="Đồng ý",
        )

    def work(self, p: Person) -> None:
        rng, m = self.rng, p.member
        assert m.birth_date is not None
        year = m.birth_date.year + rng.randint(18, 24)
        retire = m.birth_date.year + 60
        for i in range(rng.randint(1, 3)):
            if year >= min(self.ref.year, retire):
                break
            org, positions = rng.choice(D.WORKPLACES)
            until = year + rng.randint(3, 15)
            last = i == 2 or until >= min(self.ref.year, retire)
            ends = (
                None
                if last and retire > self.ref.year
                else date(min(until, retire, self.ref.year), 6, 30)
            )
            place = D.WARD_PLACES[rng.choice(list(D.WARD_PLACES))]
            p.events.append(
                WorkHistory(
                    member_id=m.id,
                    start_date=date(year, 9, 1),
                    end_date=ends,
                    organisation=org.format(place=place),
                    position=rng.choice(positions),
                )
            )
            year = until

    def awards(self, p: Person, until: date) -> None:
        rng, m = self.rng, p.member
        assert m.admission_date is not None
        for years in D.BADGE_YEARS:
            due = date(
                m.admission_date.year + years, m.admission_date.month, min(m.admission_date.day, 28)
            )
            handed = next(
                (
                    d
                    for d in (date(due.year + k, mm, dd) for k in (0, 1) for mm, dd in BADGE_DAYS)
                    if d >= due
                ),
                due,
            )
            if handed > until:
                continue
            # A badge that fell due this past year is often still pending, so "badges due"
            # lists have rows to show.
            if (until - handed).days < 365 and rng.random() < 0.5:
                continue
            p.events.append(
                Award(
                    member_id=m.id,
                    awarded_on=handed,
                    title=f"Huy hiệu {years} năm tuổi Đảng",
                    issued_by=D.ISSUER,
                    decision_number=f"{rng.randint(100, 999)}-QĐ/TU",
                    badge_years=years,
                )
            )

    def disciplines(self, people: list[Person]) -> None:
        candidates = [
            p
            for p in people
            if p.member.status == MemberStatus.active
            and p.member.official_date
            and p.member.birth_date
            and 1966 <= p.member.birth_date.year <= 1990
        ]
        for offset, (p, (form, reason)) in enumerate(
            zip(self.rng.sample(candidates, 2), D.DISCIPLINES, strict=True), start=1
        ):
            ward = self.units[p.ward_code]
            on = date(self.ref.year - 3 + offset, 8, 15)
            p.events.append(
                Discipline(
                    member_id=p.member.id,
                    decided_on=on,
                    form=form,
                    reason=reason,
                    issued_by=f"Ủy ban Kiểm tra {ward.name}",
                    decision_number=f"{offset:02d}-QĐ/UBKT",
                )
            )
            p.disciplined_in.add(on.year)

    def ratings(self, p: Person) -> None:
        m = p.member
        assert m.admission_date is not None
        for year in range(self.ref.year - 3, self.ref.year):
            # Not rated: joined less than 6 months before the year's end, or gone before it.
            if m.admission_date > date(year, 6, 30) or (
                p.left_on and p.left_on < date(year, 12, 31)
            ):
                continue
            if m.status == MemberStatus.exempted:
                grade = "MIEN"
            elif year in p.disciplined_in:
                grade = "KHTNV"
            else:
                grade = self.pick(D.RATING_SHARES)
            p.events.append(Rating(member_id=m.id, year=year, grade=grade))
            if grade == "HTXSNV" and self.rng.random() < 0.5 and date(year + 1, 1, 20) <= self.ref:
                ward = self.units[p.ward_code]
                p.events.append(
                    Award(
                        member_id=m.id,
                        awarded_on=date(year + 1, 1, 20),
                        title=f"Giấy khen đảng viên hoàn thành xuất sắc nhiệm vụ năm {year}",
                        issued_by=ward.name,
                    )
                )
