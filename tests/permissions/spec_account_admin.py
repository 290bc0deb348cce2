"""Matrix entries for account administration and role grants (issue 17): only account managers
(here the city admin, over the whole tree) administer accounts and grant roles."""

from __future__ import annotations

from typing import Any

from app.accounts import service
from app.accounts.models import Role
from tests.permissions.matrix import Case, RouteSpec, unit_params

ADMIN = {"city_admin": {"none"}}
ADMIN_IN_UNIT = {"city_admin": {"own", "child"}}


def _account(name: str) -> Any:
    return lambda c: {"account_id": c.org.accounts[name].id}


def _grant_to_revoke(c: Case) -> dict[str, Any]:
    row = service.grant_role(
        c.session,
        account_id=c.org.accounts["mem_b"].id,
        unit_id=c.org.units["B"].id,
        role=Role.cell_deputy,
        reason="thử",
    )
    return {"grant_id": row.id}


SPECS = [
    RouteSpec(
        "POST",
        "/api/v1/auth/activate",
        {},
        public=True,
        body=lambda c: {"username": "mem_a", "code": "ABCD-EFGH", "new_password": "mat-khau-123"},
    ),
    RouteSpec("GET", "/api/v1/accounts", ADMIN, targetless=True),
    RouteSpec(
        "POST",
        "/api/v1/accounts",
        ADMIN,
        targetless=True,
        body=lambda c: {"member_id": c.org.members["mem_a1"].id},
    ),
    RouteSpec(
        "GET",
        "/api/v1/accounts/{account_id}",
        ADMIN,
        targetless=True,
        path_params=_account("mem_b"),
    ),
    *[
        RouteSpec(
            "POST",
            f"/api/v1/accounts/{{account_id}}/{action}",
            ADMIN,
            targetless=True,
            path_params=_account("mem_b"),
        )
        for action in ("code", "deactivate", "reactivate", "unlock")
    ],
    RouteSpec(
        "GET",
        "/api/v1/accounts/{account_id}/grants",
        ADMIN,
        targetless=True,
        path_params=_account("sec_b"),
    ),
    RouteSpec("GET", "/api/v1/units/{unit_id}/grants", ADMIN_IN_UNIT, path_params=unit_params()),
    RouteSpec(
        "POST",
        "/api/v1/grants",
        ADMIN_IN_UNIT,
        body=lambda c: {
            "account_id": c.org.accounts["mem_b"].id,
            "unit_id": c.unit.id if c.unit else 0,
            "role": "cell_deputy",
            "reason": "Quyết định của đảng ủy",
        },
    ),
    RouteSpec(
        "POST",
        "/api/v1/grants/{grant_id}/revoke",
        ADMIN,
        targetless=True,
        setup=_grant_to_revoke,
        body=lambda c: {"reason": "Hết nhiệm kỳ"},
    ),
]


def _form_grant(c: Case) -> dict[str, Any]:
    return {
        "role": "cell_deputy",
        "unit_id": str(c.org.units["B"].id),
        "reason": "Quyết định của đảng ủy",
    }


WEB_ADMIN = {"city_admin": {"none"}}
SPECS += [
    RouteSpec("GET", "/activate", {}, public=True, web=True),
    RouteSpec(
        "POST",
        "/activate",
        {},
        public=True,
        web=True,
        form=lambda c: {"username": "x", "code": "y", "csrf_token": ""},
    ),
    RouteSpec("GET", "/accounts", WEB_ADMIN, targetless=True, web=True),
    RouteSpec("GET", "/accounts/roles", WEB_ADMIN, targetless=True, web=True),
    RouteSpec(
        "POST",
        "/accounts",
        WEB_ADMIN,
        targetless=True,
        web=True,
        form=lambda c: {"member_id": str(c.org.members["mem_a1"].id)},
    ),
    RouteSpec(
        "GET",
        "/accounts/{account_id}",
        WEB_ADMIN,
        targetless=True,
        web=True,
        path_params=_account("mem_b"),
    ),
    *[
        RouteSpec(
            "POST",
            f"/accounts/{{account_id}}/{action}",
            WEB_ADMIN,
            targetless=True,
            web=True,
            path_params=_account("mem_b"),
        )
        for action in ("code", "deactivate", "reactivate", "unlock")
    ],
    RouteSpec(
        "POST",
        "/accounts/{account_id}/grants",
        WEB_ADMIN,
        targetless=True,
        web=True,
        path_params=_account("mem_b"),
        form=_form_grant,
    ),
    RouteSpec(
        "POST",
        "/grants/{grant_id}/revoke",
        WEB_ADMIN,
        targetless=True,
        web=True,
        setup=_grant_to_revoke,
        form=lambda c: {"reason": "Hết nhiệm kỳ"},
    ),
]
