"""Matrix entries for transfers (chuyển sinh hoạt) and party badges (Huy hiệu Đảng)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.factories.members import make_member
from tests.factories.transfers import make_transfer
from tests.permissions.matrix import (
    Case,
    OracleSpec,
    RouteSpec,
    member_params,
    roles_on,
    unit_params,
)

# transfer_manage on the target: secretaries on their cell, staff and admins on their subtree.
MANAGERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")
MANAGERS_ANYWHERE = roles_on({"none"}, "secretary", "ward_staff", "city_admin")
LISTERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin", "auditor")
EDITORS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")


def incoming_to_target(c: Case) -> dict[str, Any]:
    """A pending transfer from cell D (never a target) into the target unit."""
    mover = make_member(c.session, c.org.units["D"], "Người Chuyển Đến")
    assert c.unit is not None
    return {"transfer_id": make_transfer(c.session, mover, c.unit).id}


def outgoing_from_target(c: Case) -> dict[str, Any]:
    """A pending transfer from the target unit to cell D."""
    assert c.unit is not None
    mover = make_member(c.session, c.unit, "Người Chuyển Đi")
    return {"transfer_id": make_transfer(c.session, mover, c.org.units["D"]).id}


def request_body(c: Case) -> dict[str, Any]:
    return {
        "member_id": c.member.id,
        "kind": "internal",
        "to_unit_id": c.org.units["D"].id,
        "reason": "Chuyển nơi cư trú",
    }


def request_form(c: Case) -> dict[str, Any]:
    return {k: str(v) for k, v in request_body(c).items()}


def badge_ready(c: Case) -> dict[str, Any]:
    """Make the target's member old enough in the Party for a 30-year badge."""
    c.member.admission_date = date(1980, 1, 1)
    c.session.flush()
    return {}


BADGE = {"badge_years": 30, "awarded_on": "2015-06-01"}

SPECS = [
    RouteSpec("POST", "/api/v1/transfers", MANAGERS, body=request_body),
    RouteSpec("GET", "/api/v1/transfers", MANAGERS_ANYWHERE, targetless=True),
    RouteSpec(
        "POST",
        "/api/v1/transfers/{transfer_id}/accept",
        MANAGERS,
        setup=incoming_to_target,
    ),
    RouteSpec(
        "POST",
        "/api/v1/transfers/{transfer_id}/reject",
        MANAGERS,
        setup=incoming_to_target,
        body=lambda c: {"note": "Chưa đủ hồ sơ"},
    ),
    RouteSpec(
        "POST",
        "/api/v1/transfers/{transfer_id}/cancel",
        MANAGERS,
        setup=outgoing_from_target,
    ),
    RouteSpec("GET", "/transfers", MANAGERS_ANYWHERE, targetless=True, web=True),
    RouteSpec("POST", "/transfers", MANAGERS, web=True, form=request_form),
    RouteSpec(
        "POST",
        "/transfers/{transfer_id}/accept",
        MANAGERS,
        web=True,
        setup=incoming_to_target,
    ),
    RouteSpec(
        "POST",
        "/transfers/{transfer_id}/reject",
        MANAGERS,
        web=True,
        setup=incoming_to_target,
        form=lambda c: {"note": "Chưa đủ hồ sơ"},
    ),
    RouteSpec(
        "POST",
        "/transfers/{transfer_id}/cancel",
        MANAGERS,
        web=True,
        setup=outgoing_from_target,
    ),
    # Party badges: listing needs member_list on the unit, recording needs member_edit.
    RouteSpec(
        "GET",
        "/api/v1/units/{unit_id}/badges-due",
        LISTERS,
        path_params=unit_params(),
        query=lambda c: {"year": 2026},
    ),
    RouteSpec(
        "POST",
        "/api/v1/members/{member_id}/badges",
        EDITORS,
        path_params=member_params(),
        setup=badge_ready,
        body=lambda c: BADGE,
    ),
    RouteSpec("GET", "/units/{unit_id}/badges", LISTERS, path_params=unit_params(), web=True),
    RouteSpec(
        "POST",
        "/units/{unit_id}/badges",
        EDITORS,
        path_params=unit_params(),
        web=True,
        setup=badge_ready,
        form=lambda c: {"member_id": str(c.member.id), **{k: str(v) for k, v in BADGE.items()}},
    ),
]


ORACLES = [
    OracleSpec(
        "transfer out another ward's member",
        "POST",
        "/api/v1/transfers",
        "secretary",
        hidden=lambda c: c.org.members["mem_d"].id,
        body=lambda c, i: {
            "kind": "out",
            "member_id": i,
            "external_org": "Đảng bộ tỉnh Bình Dương",
            "reason": "Chuyển nơi ở",
        },
    ),
]
