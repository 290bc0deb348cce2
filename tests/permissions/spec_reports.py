"""Matrix entries for unit reports and their exports."""

from __future__ import annotations

from tests.permissions.matrix import RouteSpec, roles_on, unit_params

# report_view: cell officers on their cell, staff, admins and the auditor on their subtree.
READERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin", "auditor")

SPECS = [
    RouteSpec("GET", "/api/v1/reports/units/{unit_id}", READERS, path_params=unit_params()),
    RouteSpec(
        "GET",
        "/api/v1/reports/units/{unit_id}/export",
        READERS,
        path_params=unit_params(),
        query=lambda c: {"format": "csv"},
    ),
    RouteSpec("GET", "/units/{unit_id}/report", READERS, path_params=unit_params(), web=True),
]
