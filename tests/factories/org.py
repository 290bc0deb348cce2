"""A small organisation shaped for permission tests: every actor has a parent, child and sibling.

C  city committee ........................ city_admin, auditor
├── W1 ward committee .................... committee_staff (staff_w1)
│   ├── A cell ........................... cell_secretary (sec_a), member (mem_a)
│   │   └── A1 party group (tổ đảng)
│   └── B cell ........................... cell_secretary (sec_b), member (mem_b)
└── W2 ward committee
    └── D cell ........................... member (mem_d)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.accounts.models import Account, Role
from app.members.models import Member
from app.units.models import Unit, UnitKind
from tests.factories.accounts import make_account
from tests.factories.members import make_member
from tests.factories.units import make_unit


@dataclass
class Org:
    units: dict[str, Unit] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)


def build_org(session: Session) -> Org:
    org = Org()
    u = org.units
    u["C"] = make_unit(session, "Thành ủy Thử nghiệm", UnitKind.city_committee, code="C")
    u["W1"] = make_unit(
        session, "Đảng ủy phường Bến Nghé", UnitKind.ward_committee, u["C"], code="W1"
    )
    u["W2"] = make_unit(
        session, "Đảng ủy xã Tân Phú", UnitKind.commune_committee, u["C"], code="W2"
    )
    u["A"] = make_unit(session, "Chi bộ Khu phố 1", UnitKind.cell, u["W1"], code="A")
    u["A1"] = make_unit(session, "Tổ đảng số 1", UnitKind.other, u["A"], code="A1")
    u["B"] = make_unit(session, "Chi bộ Khu phố 2", UnitKind.cell, u["W1"], code="B")
    u["D"] = make_unit(session, "Chi bộ Ấp 3", UnitKind.cell, u["W2"], code="D")

    m = org.members
    m["sec_a"] = make_member(session, u["A"], "Trần Thị Bình")
    m["mem_a"] = make_member(session, u["A"], "Nguyễn Văn An")
    m["mem_a1"] = make_member(session, u["A1"], "Lê Văn Tổ")
    m["sec_b"] = make_member(session, u["B"], "Phạm Văn Cường")
    m["mem_b"] = make_member(session, u["B"], "Hoàng Thị Dung")
    m["mem_w1"] = make_member(session, u["W1"], "Đỗ Văn Phường")
    m["mem_w2"] = make_member(session, u["W2"], "Vũ Thị Xã")
    m["mem_d"] = make_member(session, u["D"], "Đặng Văn Em")
    m["mem_c"] = make_member(session, u["C"], "Bùi Thị Thành")

    a = org.accounts
    a["admin"] = make_account(session, "admin", role=Role.city_admin, unit=u["C"])
    a["auditor"] = make_account(session, "auditor", role=Role.auditor, unit=u["C"])
    a["staff_w1"] = make_account(session, "staff_w1", role=Role.committee_staff, unit=u["W1"])
    a["sec_a"] = make_account(
        session, "sec_a", member=m["sec_a"], role=Role.cell_secretary, unit=u["A"]
    )
    a["sec_b"] = make_account(
        session, "sec_b", member=m["sec_b"], role=Role.cell_secretary, unit=u["B"]
    )
    a["mem_a"] = make_account(session, "mem_a", member=m["mem_a"])
    a["mem_b"] = make_account(session, "mem_b", member=m["mem_b"])
    a["mem_d"] = make_account(session, "mem_d", member=m["mem_d"])
    session.flush()
    return org
