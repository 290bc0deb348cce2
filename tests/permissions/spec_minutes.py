"""Matrix entries for meeting minutes (issue 14). Officers who run the cell's meetings (and the
meeting's own secretary and chair, tested in tests/minutes) draft, edit, submit, approve,
return and correct; ordinary members of the cell read the locked minutes only; the auditor,
members of other units and groups below get 404, exactly like a missing meeting."""

from __future__ import annotations

from typing import Any

from app.core.permissions import load_actor
from app.meetings.models import MeetingStatus
from tests.factories.meetings import make_meeting
from tests.factories.minutes import drafted_minutes
from tests.permissions.matrix import Case, OracleSpec, RouteSpec, meeting_in, merge, roles_on

MANAGERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")
# Locked minutes: members of the meeting's own cell read them too (not of a group below it).
READERS = merge(MANAGERS, roles_on({"own"}, "member"))


def _held(c: Case) -> dict[str, Any]:
    assert c.unit is not None
    return {"meeting_id": make_meeting(c.session, c.unit, status=MeetingStatus.closed).id}


def _minutes(c: Case, state: str) -> dict[str, Any]:
    """Minutes of a closed meeting of the target unit, drafted by the city admin and brought
    to `state`; `number` names their first version."""
    assert c.unit is not None
    admin = load_actor(c.session, c.org.accounts["admin"].id)
    assert admin is not None
    meeting = make_meeting(c.session, c.unit, status=MeetingStatus.closed)
    drafted_minutes(c.session, meeting, by=admin, state=state)
    return {"meeting_id": meeting.id, "number": 1}


def drafted(c: Case) -> dict[str, Any]:
    return _minutes(c, "draft")


def submitted(c: Case) -> dict[str, Any]:
    return _minutes(c, "submitted")


def locked(c: Case) -> dict[str, Any]:
    return _minutes(c, "locked")


API = "/api/v1/meetings/{meeting_id}/minutes"
CLOSING = "Hội nghị kết thúc cùng ngày."

SPECS = [
    RouteSpec("GET", API, MANAGERS, setup=drafted),
    RouteSpec("GET", API, READERS, setup=locked),
    RouteSpec(
        "PUT", f"{API}/notes", MANAGERS, setup=_held, body=lambda c: {"notes": "[1] Ghi chép."}
    ),
    RouteSpec("POST", f"{API}/draft", MANAGERS, setup=_held, body=lambda c: {}),
    RouteSpec(
        "PUT",
        f"{API}/sections",
        MANAGERS,
        setup=drafted,
        body=lambda c: {"sections": {"closing": CLOSING}},
    ),
    RouteSpec(
        "POST",
        f"{API}/submit",
        MANAGERS,
        setup=drafted,
        body=lambda c: {"override_reason": "Đã đối chiếu"},
    ),
    RouteSpec("POST", f"{API}/approve", MANAGERS, setup=submitted, body=lambda c: {}),
    RouteSpec(
        "POST", f"{API}/return", MANAGERS, setup=submitted, body=lambda c: {"comment": "Sửa lại."}
    ),
    RouteSpec(
        "POST",
        f"{API}/corrections",
        MANAGERS,
        setup=locked,
        body=lambda c: {
            "sections": {"closing": CLOSING},
            "reason": "Sửa giờ kết thúc",
            "override_reason": "Giờ kết thúc ghi theo biên bản giấy",
        },
    ),
    RouteSpec("GET", f"{API}/verify", READERS, setup=locked),
    RouteSpec("GET", f"{API}/versions", MANAGERS, setup=drafted),
    RouteSpec("GET", f"{API}/versions/{{number}}/diff", MANAGERS, setup=drafted),
    RouteSpec("GET", f"{API}/docx", MANAGERS, setup=drafted),
    RouteSpec("GET", f"{API}/docx", READERS, setup=locked),
]


def _locked_in(code: str) -> Any:
    """Locked minutes of a meeting of unit `code`, for the oracles."""

    def build(c: Case) -> int:
        admin = load_actor(c.session, c.org.accounts["admin"].id)
        assert admin is not None
        meeting = make_meeting(c.session, c.org.units[code], status=MeetingStatus.closed)
        drafted_minutes(c.session, meeting, by=admin, state="locked")
        return meeting.id

    return build


# A member of cell A names the minutes of a meeting of cell D (locked, so a member of D would
# read them) and of a group below its cell; the secretary of A writes notes to D's meeting:
# each answers like a missing meeting.
ORACLES = [
    *[
        OracleSpec(
            f"minutes{path} of {where}",
            "GET",
            f"{API}{path}",
            "member",
            hidden=_locked_in(code),
            path_params=lambda c, i: {"meeting_id": i},
        )
        for path in ("", "/docx", "/verify", "/versions")
        for code, where in (("D", "another cell"), ("A1", "a group below the own cell"))
    ],
    OracleSpec(
        "notes to another cell's minutes",
        "PUT",
        f"{API}/notes",
        "secretary",
        hidden=meeting_in("D", "closed"),
        path_params=lambda c, i: {"meeting_id": i},
        body=lambda c, i: {"notes": "x"},
    ),
    OracleSpec(
        "approving another cell's minutes",
        "POST",
        f"{API}/approve",
        "secretary",
        hidden=_locked_in("D"),
        path_params=lambda c, i: {"meeting_id": i},
        body=lambda c, i: {},
    ),
]
