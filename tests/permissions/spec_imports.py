"""Matrix entries for member import (API and web) and export."""

from __future__ import annotations

from typing import Any

from tests.permissions.matrix import Case, RouteSpec, merge, roles_on

# Import needs `member.import`: committee staff in their subtree, the city admin everywhere.
IMPORTERS = merge(roles_on({"own", "child"}, "ward_staff", "city_admin"))
# Export needs `member.list`: cell officers, staff, admins and auditors in their subtree.
LISTERS = merge(roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin", "auditor"))
EVERY_IMPORTER = {"ward_staff": {"none"}, "city_admin": {"none"}}

CSV = "Họ và tên,Ngày sinh,Giới tính\nNguyễn Văn Ma Trận,02/03/1985,Nam\n".encode()


def _file(c: Case) -> dict[str, Any]:
    return {"file": ("dang-vien.csv", CSV, "text/csv")}


def _form(c: Case) -> dict[str, Any]:
    return {"unit_id": str(c.unit.id if c.unit else 0), "on_duplicate": "refuse"}


SPECS = [
    RouteSpec("POST", "/api/v1/imports/members", IMPORTERS, form=_form, files=_file),
    RouteSpec(
        "GET",
        "/api/v1/exports/members",
        LISTERS,
        query=lambda c: {"unit_id": c.unit.id if c.unit else 0, "format": "csv"},
    ),
    RouteSpec("GET", "/imports/members", EVERY_IMPORTER, targetless=True, web=True),
    RouteSpec("POST", "/imports/members", IMPORTERS, form=_form, files=_file, web=True),
]
