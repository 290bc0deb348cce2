"""`sotay demo`: an idempotent, reproducible demo organisation with members, histories and logins."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import demo_data as D
from app.accounts import service as accounts_service
from app.accounts.models import Account, Role
from app.bulletins.service_demo import add_demo_bulletin, speak_now
from app.core import audit
from app.core.db import Database
from app.core.localtime import local_today
from app.core.text import fold
from app.demo_documents import add_documents
from app.demo_history import HistoryMaker, Person
from app.demo_life import CELL, SECRETARY, add_month_of_life
from app.members.models import Gender, Member, MemberStatus
from app.minutes.service_demo import add_demo_notes
from app.recordings.service_demo import add_demo_recording, transcribe_now
from app.summaries.service_hooks import queue_missing as queue_missing_summaries
from app.units.models import Unit, UnitEvent, UnitKind

# Cell sizes in the order of demo_data.WARDS' cells: 300 members in all. Khu phố 1, whose
# secretary and member sign in first, has the 26 a phone's meeting page is sized for.
CELL_SIZES = [26, 30, 31, 18, 27, 25, 30, 16, 29, 27, 25, 16]
WORKPLACE_CELLS = ("THCS", "YT", "QS")  # chi bộ cơ quan: working-age members only


def run_demo(db: Database) -> list[tuple[str, str, str]]:
    """Create the demo organisation unless it exists; return (role, username, password)."""
    with db.session() as session:
        if session.scalar(select(Unit.id).where(Unit.code == D.CITY[0])) is None:
            _Builder(session, date.today()).build()
        _ensure_accounts(session)
        add_documents(session, db.settings, D.ACCOUNTS[0][1])
        # New documents are summarised after their index jobs; older indexed ones here.
        queue_missing_summaries(session)
        add_month_of_life(session, local_today())
        add_demo_notes(session, cell_code=CELL, secretary=SECRETARY)
        recording_job = add_demo_recording(session, db, secretary=SECRETARY)
        bulletin_job = add_demo_bulletin(session, db, secretary=SECRETARY)
    if recording_job is not None:
        transcribe_now(db, recording_job)
    if bulletin_job is not None:
        speak_now(db, bulletin_job)
    return [(role, username, password) for role, username, password, _ in D.ACCOUNTS]


class _Builder(HistoryMaker):
    def __init__(self, session: Session, today: date) -> None:
        super().__init__(today)
        self.session = session
        self.cccds: set[str] = set()

    def build(self) -> None:
        self._units()
        people = self._people()
        self.session.add_all(p.member for p in people)
        self.session.flush()
        self.statuses(people)
        for p in people:
            self.history(p)
        self.disciplines(people)
        for p in people:
            self.ratings(p)
        self.session.add_all(e for p in people for e in p.events)
        self.session.flush()
        audit.record(
            self.session,
            audit.AuditContext(ip="cli"),
            "demo.create",
            object_type="unit",
            object_id=self.units[D.CITY[0]].id,
            unit_id=self.units[D.CITY[0]].id,
            detail={"units": len(self.units), "members": len(people)},
        )

    # --- units -------------------------------------------------------------------------
    def _unit(self, code: str, name: str, kind: UnitKind, parent: Unit | None) -> Unit:
        unit = Unit(
            code=code,
            name=name,
            kind=kind,
            parent_id=parent.id if parent else None,
            depth=parent.depth + 1 if parent else 0,
        )
        self.session.add(unit)
        self.session.flush()
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        self.session.add(UnitEvent(unit_id=unit.id, kind="created", new_value=name))
        self.units[code] = unit
        return unit

    def _units(self) -> None:
        city = self._unit(*D.CITY, None)
        for ward_code, ward_name, kind, cells in D.WARDS:
            ward = self._unit(ward_code, ward_name, kind, city)
            for cell_code, cell_name in cells:
                self._unit(cell_code, cell_name, UnitKind.cell, ward)

    # --- members -------------------------------------------------------------------------
    def _people(self) -> list[Person]:
        people: list[Person] = []
        cells = [(w[0], c[0]) for w in D.WARDS for c in w[3]]
        for (ward_code, cell_code), size in zip(cells, CELL_SIZES, strict=True):
            for _ in range(size):
                people.append(self._person(len(people) + 1, ward_code, self.units[cell_code]))
        return people

    def _person(self, n: int, ward_code: str, cell: Unit) -> Person:
        rng = self.rng
        male = rng.random() < 0.6
        workplace = cell.code.endswith(WORKPLACE_CELLS)
        old = not workplace and rng.random() < 0.45
        birth = self.day(rng.randint(1940, 1960) if old else rng.randint(1962, 2000))
        if rng.random() < 0.05 and self.ref.year - birth.year >= 19:
            admitted = self.ref - timedelta(days=rng.randint(20, 330))  # still probationary
        else:
            age = min(18 + int(rng.expovariate(1 / 8)), 55)
            admitted = min(
                self.day(birth.year + max(age, 18)), self.ref - timedelta(days=rng.randint(1, 400))
            )
        # Party rules: at least 18 on the day of admission (29 February counts from 1 March).
        adult = (
            date(birth.year + 18, 3, 1)
            if (birth.month, birth.day) == (2, 29)
            else birth.replace(year=birth.year + 18)
        )
        admitted = max(admitted, adult)
        official = admitted + timedelta(days=365 + rng.randint(0, 45))
        place = D.WARD_PLACES[ward_code]
        member = Member(
            unit_id=cell.id,
            full_name=self._name(male, birth.year),
            birth_date=birth,
            gender=Gender.male if male else Gender.female,
            hometown=f"xã {rng.choice(D.COMMUNE_NAMES)}, tỉnh {rng.choice(D.PROVINCES)}",
            ethnicity=self.pick(D.ETHNICITIES),
            religion=self.pick(D.RELIGIONS),
            cccd=self._cccd(male, birth),
            phone=self._phone() if rng.random() < 0.85 else None,
            address=f"Số {rng.randint(1, 250)}, đường {rng.choice(D.STREETS)}, {place}",
            education_level=rng.choice(D.EDUCATION_OLD if birth.year < 1965 else D.EDUCATION_NEW),
            political_theory=self.pick(D.THEORY),
            professional_qualification=self.pick(D.QUALIFICATIONS),
            admission_date=admitted,
            official_date=official if official <= self.ref else None,
            card_number=f"99.{120000 + n * 7:06d}",
            dossier_number=f"LL-HL-{n:04d}",
            status=MemberStatus.active,
        )
        member.name_folded = fold(member.full_name)
        if self.ref.year - birth.year >= 75 and rng.random() < 0.18:
            member.status = MemberStatus.exempted
        return Person(member, cell, ward_code)

    def _name(self, male: bool, birth_year: int) -> str:
        rng = self.rng
        surname = self.pick(D.SURNAMES)
        if male:
            middle, given = rng.choice(D.MIDDLE_MALE), rng.choice(D.GIVEN_MALE)
        else:
            # Older women's names almost always carry "Thị".
            middle = "Thị" if birth_year < 1965 else rng.choice(D.MIDDLE_FEMALE)
            given = rng.choice(D.GIVEN_FEMALE)
        return f"{surname} {middle} {given}"

    def _cccd(self, male: bool, birth: date) -> str:
        # 099 is not a real province code, so demo numbers never collide with real ones.
        century = (0 if birth.year < 2000 else 2) + (0 if male else 1)
        while True:
            value = f"099{century}{birth.year % 100:02d}{self.rng.randint(0, 999999):06d}"
            if value not in self.cccds:
                self.cccds.add(value)
                return value

    def _phone(self) -> str:
        return self.rng.choice(["09", "03", "08", "07"]) + f"{self.rng.randint(0, 99999999):08d}"

    # --- statuses, memberships, transfers --------------------------------------------------


def _ensure_accounts(session: Session) -> None:
    """Create any missing demo account; existing ones (maybe with a changed password) stay."""
    taken = {m for m in session.scalars(select(Account.member_id)) if m is not None}
    for _printed, username, password, who in D.ACCOUNTS:
        if session.scalar(select(Account.id).where(func.lower(Account.username) == username)):
            continue
        kind, role, code = who.split(":")
        unit = session.scalar(select(Unit).where(Unit.code == code))
        if unit is None:
            continue
        member = None
        if kind == "member":
            member = _first_free_member(session, unit, taken)
            if member is None:
                continue
            taken.add(member.id)
        account = accounts_service.create_account(
            session,
            username=username,
            password=password,
            display_name=member.full_name if member else username,
            member_id=member.id if member else None,
        )
        if role != Role.member:
            accounts_service.grant_role(
                session, account_id=account.id, unit_id=unit.id, role=Role(role)
            )
        audit.record(
            session,
            audit.AuditContext(ip="cli"),
            "demo.account",
            object_type="account",
            object_id=account.id,
            unit_id=unit.id,
        )


def _first_free_member(session: Session, cell: Unit, taken: set[int]) -> Member | None:
    """The cell's first active full member under 65 (by dossier number) without an account."""
    cutoff = date(date.today().year - 65, 1, 1)
    members = session.scalars(
        select(Member)
        .where(
            Member.unit_id == cell.id,
            Member.status == MemberStatus.active,
            Member.official_date.is_not(None),
            Member.birth_date > cutoff,
        )
        .order_by(Member.dossier_number)
    )
    return next((m for m in members if m.id not in taken), None)
