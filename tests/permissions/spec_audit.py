"""Matrix entries for the audit viewer (API and web)."""

from __future__ import annotations

from tests.permissions.matrix import RouteSpec, roles_on

# Admins and auditors read the log of the units they oversee; a unit outside that is 404.
_READERS = roles_on({"own", "child"}, "city_admin", "auditor")
_ROOT_ONLY = {"city_admin": {"none"}, "auditor": {"none"}}


def _unit_query(c):  # type: ignore[no-untyped-def]
    return {"unit_id": c.unit.id} if c.unit else {}


SPECS = [
    RouteSpec("GET", "/api/v1/audit", _READERS, query=_unit_query),
    RouteSpec("GET", "/api/v1/audit/verify", _ROOT_ONLY, targetless=True),
    RouteSpec("GET", "/audit", _READERS, query=_unit_query, web=True),
    RouteSpec("GET", "/audit/verify", _ROOT_ONLY, targetless=True, web=True),
]
