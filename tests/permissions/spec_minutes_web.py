"""Matrix entries for the minutes pages (issue 14): the same people as the minutes API
(`spec_minutes`): officers who run the cell's meetings draft, edit, submit, approve, return and
correct; members of the cell read the locked minutes, verify them and download them, and take
the printable pack; everyone else is told the meeting does not exist."""

from __future__ import annotations

from tests.permissions.matrix import RouteSpec
from tests.permissions.spec_minutes import (
    CLOSING,
    MANAGERS,
    READERS,
    _held,
    drafted,
    locked,
    submitted,
)

WEB = "/meetings/{meeting_id}/minutes"
KEY = {"key": "closing"}

SPECS = [
    RouteSpec("GET", WEB, MANAGERS, setup=drafted, web=True),
    RouteSpec("GET", WEB, READERS, setup=locked, web=True),
    RouteSpec("GET", f"{WEB}/progress", MANAGERS, setup=drafted, web=True),
    RouteSpec(
        "POST",
        f"{WEB}/notes",
        MANAGERS,
        setup=_held,
        form=lambda c: {"notes": "[1] Ghi chép."},
        web=True,
    ),
    RouteSpec("POST", f"{WEB}/draft", MANAGERS, setup=_held, form=lambda c: {}, web=True),
    RouteSpec(
        "POST",
        f"{WEB}/sections/{{key}}",
        MANAGERS,
        setup=drafted,
        path_params=lambda c: KEY,
        form=lambda c: {"text": CLOSING},
        web=True,
    ),
    RouteSpec(
        "POST",
        f"{WEB}/submit",
        MANAGERS,
        setup=drafted,
        form=lambda c: {"override_reason": "Đã đối chiếu"},
        web=True,
    ),
    RouteSpec("POST", f"{WEB}/approve", MANAGERS, setup=submitted, form=lambda c: {}, web=True),
    RouteSpec(
        "POST",
        f"{WEB}/return",
        MANAGERS,
        setup=submitted,
        form=lambda c: {"comment": "Sửa lại."},
        web=True,
    ),
    RouteSpec("POST", f"{WEB}/verify", READERS, setup=locked, form=lambda c: {}, web=True),
    RouteSpec(
        "POST",
        f"{WEB}/corrections",
        MANAGERS,
        setup=locked,
        form=lambda c: {
            "key": ["closing"],
            "text": [CLOSING],
            "reason": "Sửa giờ kết thúc",
            "override_reason": "Giờ kết thúc ghi theo biên bản giấy",
        },
        web=True,
    ),
    RouteSpec("GET", f"{WEB}/versions", MANAGERS, setup=drafted, web=True),
    RouteSpec("GET", f"{WEB}/docx", MANAGERS, setup=drafted, web=True),
    RouteSpec("GET", f"{WEB}/docx", READERS, setup=locked, web=True),
    RouteSpec("GET", f"{WEB}/pdf", READERS, setup=locked, web=True),
    RouteSpec("GET", f"{WEB}/pack", READERS, setup=_held, web=True),
]
