"""Matrix entries for the unit tree: API and web pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.units.models import Unit, UnitKind
from tests.factories.units import make_unit
from tests.permissions.matrix import (
    Case,
    RouteSpec,
    everyone_signed_in,
    roles_on,
    unit_params,
)

# Seeing a unit: every role sees its own grant's subtree (a member sees their cell).
VIEW = roles_on({"own", "child"}, "member", "secretary", "ward_staff", "city_admin", "auditor")
# Managing units (unit.manage) is for committee admins and the city admin only.
MANAGE = roles_on({"own", "child"}, "city_admin")


def _code(c: Case) -> str:
    return f"NEW-{c.role}-{c.target}"


def _leaves(c: Case) -> dict[str, Any]:
    """Two fresh empty units under the target: one to move under the other, or to dissolve."""
    assert c.unit is not None
    leaf = make_unit(c.session, "Chi bộ mới", UnitKind.cell, c.unit)
    dest = make_unit(c.session, "Chi bộ đích", UnitKind.cell, c.unit)
    return {"unit_id": leaf.id, "dest_id": dest.id}


def _dest(c: Case) -> dict[str, Any]:
    # setup ran first; find its destination unit again under the target.
    assert c.unit is not None
    dest = c.session.scalar(
        select(Unit).where(Unit.parent_id == c.unit.id, Unit.name == "Chi bộ đích")
    )
    return {"parent_id": dest.id if dest else 0}


SPECS = [
    RouteSpec("GET", "/api/v1/units", everyone_signed_in(), targetless=True),
    RouteSpec("GET", "/api/v1/units/{unit_id}", VIEW, path_params=unit_params()),
    RouteSpec("GET", "/api/v1/units/{unit_id}/history", VIEW, path_params=unit_params()),
    RouteSpec(
        "POST",
        "/api/v1/units",
        MANAGE,
        body=lambda c: {
            "code": _code(c),
            "name": "Chi bộ Khu phố mới",
            "kind": "cell",
            "parent_id": c.unit.id if c.unit else 0,
        },
    ),
    RouteSpec(
        "PATCH",
        "/api/v1/units/{unit_id}",
        MANAGE,
        path_params=unit_params(),
        body=lambda c: {"name": "Tên mới của đơn vị"},
    ),
    RouteSpec(
        "POST",
        "/api/v1/units/{unit_id}/move",
        MANAGE,
        setup=_leaves,
        body=_dest,
    ),
    RouteSpec("POST", "/api/v1/units/{unit_id}/dissolve", MANAGE, setup=_leaves),
    RouteSpec("GET", "/api/v1/units/{unit_id}/settings", VIEW, path_params=unit_params()),
    RouteSpec(
        "PUT",
        "/api/v1/units/{unit_id}/settings",
        MANAGE,
        path_params=unit_params(),
        body=lambda c: {"full_name": "Chi bộ đổi tên in", "quorum": {"numerator": 1}},
    ),
    # Web pages
    RouteSpec("GET", "/units", everyone_signed_in(), targetless=True, web=True),
    RouteSpec("GET", "/units/{unit_id}", VIEW, path_params=unit_params(), web=True),
    RouteSpec(
        "POST",
        "/units",
        MANAGE,
        web=True,
        form=lambda c: {
            "code": _code(c),
            "name": "Chi bộ Khu phố mới",
            "kind": "cell",
            "parent_id": c.unit.id if c.unit else 0,
        },
    ),
    RouteSpec(
        "POST",
        "/units/{unit_id}/rename",
        MANAGE,
        path_params=unit_params(),
        web=True,
        form=lambda c: {"name": "Tên mới của đơn vị"},
    ),
    RouteSpec(
        "POST",
        "/units/{unit_id}/move",
        MANAGE,
        setup=_leaves,
        web=True,
        form=_dest,
    ),
    RouteSpec("POST", "/units/{unit_id}/dissolve", MANAGE, setup=_leaves, web=True),
    RouteSpec("GET", "/units/{unit_id}/settings", MANAGE, path_params=unit_params(), web=True),
    RouteSpec(
        "POST",
        "/units/{unit_id}/settings",
        MANAGE,
        path_params=unit_params(),
        web=True,
        form=lambda c: {"full_name": "Chi bộ đổi tên in", "quorum_mode": "default"},
    ),
]
