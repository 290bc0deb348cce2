"""Matrix entries for authentication, account and shell routes."""

from __future__ import annotations

from tests.factories.accounts import PASSWORD
from tests.permissions.matrix import ROLES, RouteSpec, everyone_signed_in

SPECS = [
    RouteSpec("GET", "/healthz", {}, public=True),
    RouteSpec("GET", "/login", {}, public=True, web=True),
    RouteSpec(
        "POST",
        "/api/v1/auth/token",
        {},
        public=True,
        form=lambda c: {"username": "mem_a", "password": PASSWORD},
    ),
    RouteSpec("GET", "/api/v1/auth/me", everyone_signed_in(), targetless=True),
    RouteSpec(
        "POST",
        "/api/v1/auth/password",
        everyone_signed_in(),
        targetless=True,
        body=lambda c: {"old_password": PASSWORD, "new_password": "mat-khau-moi-456"},
    ),
    RouteSpec("GET", "/", everyone_signed_in(), targetless=True, web=True),
    RouteSpec("GET", "/account", everyone_signed_in(), targetless=True, web=True),
    RouteSpec("GET", "/account/password", everyone_signed_in(), targetless=True, web=True),
    RouteSpec(
        "POST",
        "/account/password",
        everyone_signed_in(),
        targetless=True,
        web=True,
        ok_redirects_to_login=True,
        form=lambda c: {
            "old_password": PASSWORD,
            "new_password": "mat-khau-moi-456",
            "confirm_password": "mat-khau-moi-456",
        },
    ),
    RouteSpec(
        "POST",
        "/login",
        {},
        public=True,
        web=True,
        form=lambda c: {"username": "x", "password": "y", "csrf_token": ""},
    ),
    RouteSpec(
        "POST",
        "/logout",
        {r: {"none"} for r in ROLES},
        targetless=True,
        web=True,
        ok_redirects_to_login=True,
    ),
    RouteSpec(
        "POST",
        "/prefs/text",
        {r: {"none"} for r in ROLES},
        targetless=True,
        web=True,
        form=lambda c: {"size": "large", "next": "/"},
    ),
]
