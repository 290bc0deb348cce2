"""Matrix entries for meetings: viewing, editing, running, the roll, comments, the calendar and
personal calendar items."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.calendar.models import CalendarItem
from app.core.db import utcnow
from app.meetings.models import MeetingStatus
from tests.factories.meetings import CODE, make_meeting
from tests.permissions.matrix import (
    Case,
    OracleSpec,
    RouteSpec,
    draft_document_in,
    everyone_signed_in,
    roles_on,
)

# unit_view on the meeting's unit: members and officers of A (A1 lies under A), staff of W1, C.
VIEWERS = roles_on({"own", "child"}, "member", "secretary", "ward_staff", "city_admin", "auditor")
# meeting_manage: cell officers and committee staff in their subtree; the auditor only looks.
MANAGERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")
MANAGERS_ANYWHERE = roles_on({"none"}, "secretary", "ward_staff", "city_admin")
# Checking in and commenting need a seat: only members of the meeting's own unit are invited.
INVITEES = roles_on({"own"}, "member", "secretary")


def meeting_in(status: MeetingStatus) -> Any:
    def setup(c: Case) -> dict[str, Any]:
        assert c.unit is not None
        return {"meeting_id": make_meeting(c.session, c.unit, status=status).id}

    return setup


NOTICED = meeting_in(MeetingStatus.noticed)
RUNNING = meeting_in(MeetingStatus.in_progress)
DRAFT = meeting_in(MeetingStatus.draft)


def create_body(c: Case) -> dict[str, Any]:
    return {
        "unit_id": c.unit.id if c.unit else 0,
        "title": "Sinh hoạt chi bộ tháng 12",
        "starts_at": (utcnow() + timedelta(days=3)).isoformat(),
        "place": "Hội trường",
    }


def create_form(c: Case) -> dict[str, Any]:
    return {
        "unit_id": str(c.unit.id if c.unit else 0),
        "title": "Sinh hoạt chi bộ tháng 12",
        "starts_at": "2030-12-05T19:30",
        "place": "Hội trường",
    }


def running_with_member(c: Case) -> dict[str, Any]:
    return {**RUNNING(c), "member_id": c.member.id}


def edit_form(c: Case) -> dict[str, Any]:
    return {
        "kind": "thematic",
        "title": "Sinh hoạt chuyên đề tháng 12",
        "starts_at": "2030-12-06T19:30",
        "place": "Hội trường",
    }


def mem_a_item(c: Case) -> dict[str, Any]:
    """A personal item of mem_a (the "member" actor): private, so only that account reaches it."""
    item = CalendarItem(
        account_id=c.org.accounts["mem_a"].id,
        title="Khám sức khỏe định kỳ",
        starts_at=utcnow() + timedelta(days=1),
    )
    c.session.add(item)
    c.session.flush()
    return {"item_id": item.id}


def item_form(c: Case) -> dict[str, Any]:
    return {"title": "Đi thăm gia đình chính sách", "starts_at": "2030-12-07T08:00"}


def item_body(c: Case) -> dict[str, Any]:
    return {"title": "Đi thăm gia đình chính sách", "starts_at": "2030-12-07T08:00:00+07:00"}


# Only the owner: not the secretary of the same cell, not an admin or auditor.
OWNER = roles_on({"none"}, "member")
ITEM = "/calendar/items/{item_id}"
API = "/api/v1/meetings/{meeting_id}"
WEB = "/meetings/{meeting_id}"

SPECS = [
    RouteSpec("GET", "/api/v1/meetings", everyone_signed_in(), targetless=True),
    RouteSpec("POST", "/api/v1/meetings", MANAGERS, body=create_body),
    RouteSpec("GET", API, VIEWERS, setup=NOTICED),
    RouteSpec("PATCH", API, MANAGERS, setup=DRAFT, body=lambda c: {"title": "Họp (đã sửa)"}),
    RouteSpec("POST", f"{API}/status", MANAGERS, setup=DRAFT, body=lambda c: {"status": "noticed"}),
    RouteSpec("GET", f"{API}/quorum", VIEWERS, setup=NOTICED),
    RouteSpec("GET", f"{API}/attendance", VIEWERS, setup=NOTICED),
    RouteSpec("POST", f"{API}/check-in", INVITEES, setup=RUNNING, body=lambda c: {"code": CODE}),
    RouteSpec(
        "PUT",
        f"{API}/attendance/{{member_id}}",
        MANAGERS,
        setup=running_with_member,
        body=lambda c: {"state": "present"},
    ),
    RouteSpec("POST", f"{API}/attendance/all-present", MANAGERS, setup=RUNNING),
    RouteSpec("POST", f"{API}/guests", MANAGERS, setup=RUNNING, body=lambda c: {"name": "Khách"}),
    RouteSpec(
        "POST", f"{API}/comments", INVITEES, setup=NOTICED, body=lambda c: {"body": "Ý kiến"}
    ),
    RouteSpec("GET", f"{API}/comments", VIEWERS, setup=NOTICED),
    RouteSpec("GET", "/api/v1/calendar", everyone_signed_in(), targetless=True),
    RouteSpec("GET", "/api/v1/calendar/items", everyone_signed_in(), targetless=True),
    RouteSpec(
        "POST", "/api/v1/calendar/items", everyone_signed_in(), targetless=True, body=item_body
    ),
    RouteSpec("GET", f"/api/v1{ITEM}", OWNER, targetless=True, setup=mem_a_item),
    RouteSpec(
        "PATCH",
        f"/api/v1{ITEM}",
        OWNER,
        targetless=True,
        setup=mem_a_item,
        body=lambda c: {"place": "Trạm y tế phường"},
    ),
    RouteSpec("DELETE", f"/api/v1{ITEM}", OWNER, targetless=True, setup=mem_a_item),
    RouteSpec("POST", "/api/v1/calendar/token", everyone_signed_in(), targetless=True),
    # Web pages.
    RouteSpec("GET", "/meetings", everyone_signed_in(), targetless=True, web=True),
    RouteSpec("GET", "/meetings/new", MANAGERS_ANYWHERE, targetless=True, web=True),
    RouteSpec("POST", "/meetings", MANAGERS, web=True, form=create_form),
    RouteSpec("GET", WEB, VIEWERS, setup=NOTICED, web=True),
    RouteSpec("GET", f"{WEB}/edit", MANAGERS, setup=NOTICED, web=True),
    RouteSpec("POST", f"{WEB}/edit", MANAGERS, setup=NOTICED, web=True, form=edit_form),
    RouteSpec("GET", f"{WEB}/quorum", VIEWERS, setup=NOTICED, web=True),
    RouteSpec(
        "POST",
        f"{WEB}/status",
        MANAGERS,
        setup=DRAFT,
        web=True,
        form=lambda c: {"status": "noticed"},
    ),
    RouteSpec(
        "POST", f"{WEB}/check-in", INVITEES, setup=RUNNING, web=True, form=lambda c: {"code": CODE}
    ),
    RouteSpec(
        "POST",
        f"{WEB}/attendance",
        MANAGERS,
        setup=RUNNING,
        web=True,
        form=lambda c: {"member_id": str(c.member.id), "state": "present"},
    ),
    RouteSpec(
        "POST",
        f"{WEB}/attendance/all",
        MANAGERS,
        setup=RUNNING,
        web=True,
        form=lambda c: {f"state-{c.member.id}": "present"},
    ),
    RouteSpec("POST", f"{WEB}/all-present", MANAGERS, setup=RUNNING, web=True),
    RouteSpec(
        "POST", f"{WEB}/guests", MANAGERS, setup=RUNNING, web=True, form=lambda c: {"name": "Khách"}
    ),
    RouteSpec(
        "POST",
        f"{WEB}/comments",
        INVITEES,
        setup=NOTICED,
        web=True,
        form=lambda c: {"body": "Ý kiến"},
    ),
    RouteSpec("GET", f"{WEB}/comments", VIEWERS, setup=NOTICED, web=True),
    RouteSpec("GET", "/calendar", everyone_signed_in(), targetless=True, web=True),
    RouteSpec("GET", "/calendar/items/new", everyone_signed_in(), targetless=True, web=True),
    RouteSpec(
        "POST", "/calendar/items", everyone_signed_in(), targetless=True, web=True, form=item_form
    ),
    RouteSpec("GET", f"{ITEM}/edit", OWNER, targetless=True, web=True, setup=mem_a_item),
    RouteSpec(
        "POST", f"{ITEM}/edit", OWNER, targetless=True, web=True, setup=mem_a_item, form=item_form
    ),
    RouteSpec("POST", f"{ITEM}/delete", OWNER, targetless=True, web=True, setup=mem_a_item),
    RouteSpec("POST", "/calendar/token", everyone_signed_in(), targetless=True, web=True),
    # The feed's secret is its only credential: an unknown one answers 404 to anyone.
    RouteSpec(
        "GET",
        "/calendar/{token}.ics",
        {},
        public=True,
        path_params=lambda c: {"token": "khong-co-that"},
    ),
]


def _other_cells_member(c: Case) -> int:
    return c.org.members["mem_b"].id


ORACLES = [
    OracleSpec(
        "pre-reading of another ward's draft",
        "POST",
        "/api/v1/meetings",
        "secretary",
        hidden=draft_document_in("D"),
        body=lambda c, i: {**create_body(c), "document_ids": [i]},
    ),
    OracleSpec(
        "roll call of another cell's member",
        "PUT",
        f"{API}/attendance/{{member_id}}",
        "secretary",
        setup=RUNNING,
        hidden=_other_cells_member,
        path_params=lambda c, i: {"member_id": i},
        body=lambda c, i: {"state": "present"},
    ),
]
