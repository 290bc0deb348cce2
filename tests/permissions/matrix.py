"""The permission matrix: every route × actor × target unit, with the expected outcome.

Each domain declares its routes in `tests/permissions/spec_<domain>.py` as a list named
`SPECS`. `test_matrix.py` fails if the app has a route that no spec covers.

Actors and their home unit (see tests/factories/org.py):
    anonymous   -
    member      mem_a     member of cell A
    secretary   sec_a     cell_secretary of A
    ward_staff  staff_w1  committee_staff of W1
    city_admin  admin     city_admin of C
    auditor     auditor   auditor of C
Targets, relative to the actor's home unit: own, child, sibling, parent
    A  -> own A, child A1, sibling B, parent W1
    W1 -> own W1, child A, sibling W2, parent C
    C  -> own C, child W1 (no sibling or parent: those cases are skipped)
A targetless route (about the caller, not a unit) is run once per actor with target "none".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.members.models import Member
from app.units.models import Unit
from tests.factories.org import Org

ROLES = ("anonymous", "member", "secretary", "ward_staff", "city_admin", "auditor")
TARGETS = ("own", "child", "sibling", "parent")
ACTOR_ACCOUNT = {
    "member": "mem_a",
    "secretary": "sec_a",
    "ward_staff": "staff_w1",
    "city_admin": "admin",
    "auditor": "auditor",
}
HOME = {"member": "A", "secretary": "A", "ward_staff": "W1", "city_admin": "C", "auditor": "C"}
RELATIVES = {
    "A": {"own": "A", "child": "A1", "sibling": "B", "parent": "W1"},
    "W1": {"own": "W1", "child": "A", "sibling": "W2", "parent": "C"},
    "C": {"own": "C", "child": "W1"},
}
# A member of each unit who is not one of the acting accounts.
MEMBER_IN = {
    "A": "mem_a",
    "A1": "mem_a1",
    "B": "mem_b",
    "W1": "mem_w1",
    "W2": "mem_w2",
    "C": "mem_c",
    "D": "mem_d",
}


@dataclass
class Case:
    """What a spec's builders receive: the org, the session, the actor's role and the target unit."""

    org: Org
    session: Session
    role: str
    target: str
    unit: Unit | None
    # The app's settings, for setups that store files (documents) where the app will read them.
    settings: Any = None

    @property
    def member(self) -> Member:
        """A member of the target unit (for own unit A, another member than the actor)."""
        assert self.unit is not None
        key = MEMBER_IN[self.unit.code]
        if self.role == "member" and key == "mem_a":
            key = "sec_a"
        return self.org.members[key]


ALL = {r: set(TARGETS) | {"none"} for r in ROLES}
NOBODY: dict[str, set[str]] = {}


def everyone_signed_in() -> dict[str, set[str]]:
    return {r: {"none"} for r in ROLES if r != "anonymous"}


@dataclass
class RouteSpec:
    method: str
    path: str  # the route's template exactly as registered, e.g. "/api/v1/members/{member_id}"
    # role -> the targets for which the call is allowed; everything else must be denied.
    allowed: dict[str, set[str]]
    path_params: Callable[[Case], dict[str, Any]] = field(default=lambda c: {})
    body: Callable[[Case], dict[str, Any] | None] = field(default=lambda c: None)
    form: Callable[[Case], dict[str, Any] | None] = field(default=lambda c: None)
    query: Callable[[Case], dict[str, Any]] = field(default=lambda c: {})
    # Multipart uploads: {"field": (filename, bytes, content_type)}, sent with `form`.
    files: Callable[[Case], dict[str, Any] | None] = field(default=lambda c: None)
    targetless: bool = False
    # Routes that answer everyone the same way (login page, health): checked once, anonymously.
    public: bool = False
    # Set up extra rows before the call (e.g. a pending correction to approve).
    setup: Callable[[Case], dict[str, Any]] | None = None
    # Set when a denied web route answers with a redirect to /login rather than 401.
    web: bool = False
    # Success itself redirects to /login (sign-out, password change).
    ok_redirects_to_login: bool = False


def unit_params(name: str = "unit_id") -> Callable[[Case], dict[str, Any]]:
    return lambda c: {name: c.unit.id if c.unit else 0}


def member_params(name: str = "member_id") -> Callable[[Case], dict[str, Any]]:
    return lambda c: {name: c.member.id}


def roles_on(targets: set[str], *roles: str) -> dict[str, set[str]]:
    return {r: set(targets) for r in roles}


def merge(*parts: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in parts:
        for role, targets in p.items():
            out.setdefault(role, set()).update(targets)
    return out


# A number no row has (ids are PostgreSQL integers; the test data stays far below).
MISSING_ID = 1_999_999_999


@dataclass
class OracleSpec:
    """An existence-oracle case: `role` names, in one parameter, a resource it cannot see
    (`hidden`) and then `MISSING_ID`; both answers must be the same refusal, body and all.

    Specs list these as `ORACLES`, beside their `SPECS`. The builders get the case (target
    "own": the actor's home unit) and the id to send.
    """

    name: str
    method: str
    path: str
    role: str
    hidden: Callable[[Case], int]
    path_params: Callable[[Case, int], dict[str, Any]] = field(default=lambda c, i: {})
    body: Callable[[Case, int], dict[str, Any] | None] = field(default=lambda c, i: None)
    query: Callable[[Case, int], dict[str, Any]] = field(default=lambda c, i: {})
    # Rows the request needs besides the hidden one (a held meeting); passed to the builders.
    setup: Callable[[Case], dict[str, Any]] | None = None


def draft_document_in(code: str) -> Callable[[Case], int]:
    """A draft document issued by unit `code` (seen only by officers over `code`)."""

    def build(c: Case) -> int:
        from tests.factories.documents import make_document

        doc = make_document(
            c.session, c.settings, by=c.org.accounts["admin"], unit=c.org.units[code]
        )
        return doc.id

    return build


def meeting_in(code: str, status: str = "noticed") -> Callable[[Case], int]:
    """A meeting of unit `code` (drafts are seen only by those who run its meetings)."""

    def build(c: Case) -> int:
        from app.meetings.models import MeetingStatus
        from tests.factories.meetings import make_meeting

        return make_meeting(c.session, c.org.units[code], status=MeetingStatus(status)).id

    return build
