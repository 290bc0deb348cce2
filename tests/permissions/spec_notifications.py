"""Matrix entries for the notifications inbox: everyone signed in reads only their own."""

from __future__ import annotations

from tests.permissions.matrix import RouteSpec, everyone_signed_in

SPECS = [
    RouteSpec("GET", "/api/v1/notifications", everyone_signed_in(), targetless=True),
    RouteSpec(
        "POST",
        "/api/v1/notifications/read",
        everyone_signed_in(),
        targetless=True,
        body=lambda c: {"ids": None},
    ),
    RouteSpec("GET", "/notifications", everyone_signed_in(), targetless=True, web=True),
    RouteSpec("GET", "/notifications/count", everyone_signed_in(), targetless=True, web=True),
    RouteSpec("POST", "/notifications/read", everyone_signed_in(), targetless=True, web=True),
]
