"""Matrix entries for bulletins (issue 15): officers who issue documents write and publish a
unit's bulletins; a published one reaches its audience (the target unit with its subtree, as
documents do), nobody else; the podcast feed belongs to whoever asks for it, and its secret
address is the only credential (public: an unknown token is 404)."""

from __future__ import annotations

from typing import Any

from tests.factories.bulletins import make_bulletin
from tests.factories.meetings import make_meeting
from tests.permissions.matrix import Case, RouteSpec, roles_on
from tests.permissions.spec_documents import MANAGERS, MANAGERS_ANYWHERE, READERS, SIGNED_IN


def _b(c: Case, *, publish: bool) -> dict[str, Any]:
    assert c.unit is not None
    b = make_bulletin(
        c.session, c.settings, by=c.org.accounts["admin"], unit=c.unit, publish=publish
    )
    return {"bulletin_id": b.id}


def published(c: Case) -> dict[str, Any]:
    return _b(c, publish=True)


def draft(c: Case) -> dict[str, Any]:
    return _b(c, publish=False)


def meeting(c: Case) -> dict[str, Any]:
    assert c.unit is not None
    return {"meeting_id": make_meeting(c.session, c.unit).id}


def body(c: Case) -> dict[str, Any]:
    return {
        "unit_id": c.unit.id if c.unit else 0,
        "title": "Bản tin",
        "sections": [{"title": "Tin", "text": "Họp chi bộ ngày 5."}],
    }


def form(c: Case) -> dict[str, Any]:
    return {"unit_id": str(c.unit.id if c.unit else 0), "title": "Bản tin", "body": "# Tin\nHọp."}


API = "/api/v1/bulletins/{bulletin_id}"
WEB = "/bulletins/{bulletin_id}"
UNIT = lambda c: {"unit_id": c.unit.id if c.unit else 0}  # noqa: E731

SPECS = [
    RouteSpec("POST", "/api/v1/bulletins", MANAGERS, body=body),
    RouteSpec(
        "POST",
        "/api/v1/units/{unit_id}/bulletins/monthly",
        MANAGERS,
        path_params=UNIT,
        body=lambda c: {},
    ),
    RouteSpec("GET", "/api/v1/bulletins", SIGNED_IN, targetless=True),
    RouteSpec("GET", API, READERS, setup=published),
    RouteSpec("PATCH", API, MANAGERS, setup=draft, body=lambda c: {"title": "Mới"}),
    RouteSpec("POST", f"{API}/publish", MANAGERS, setup=draft),
    RouteSpec("POST", f"{API}/withdraw", MANAGERS, setup=published),
    RouteSpec("GET", f"{API}/audio", READERS, setup=published),
    RouteSpec("GET", f"{API}/transcript", READERS, setup=published),
    RouteSpec("POST", "/api/v1/me/podcast-feed", SIGNED_IN, targetless=True),
    RouteSpec("DELETE", "/api/v1/me/podcast-feed", SIGNED_IN, targetless=True),
    # Web pages.
    RouteSpec("GET", "/bulletins", SIGNED_IN, targetless=True, web=True),
    RouteSpec("GET", "/bulletins/new", MANAGERS_ANYWHERE, targetless=True, web=True),
    RouteSpec("POST", "/bulletins/new", MANAGERS, web=True, form=form),
    RouteSpec(
        "POST",
        "/bulletins/monthly",
        MANAGERS,
        web=True,
        form=lambda c: {"unit_id": str(c.unit.id if c.unit else 0)},
    ),
    RouteSpec("GET", WEB, READERS, setup=published, web=True),
    RouteSpec("GET", f"{WEB}/progress", READERS, setup=published, web=True),
    RouteSpec("GET", f"{WEB}/print", READERS, setup=published, web=True),
    RouteSpec("GET", f"{WEB}/audio.mp3", READERS, setup=published, web=True),
    RouteSpec("GET", f"{WEB}/edit", MANAGERS, setup=draft, web=True),
    RouteSpec("POST", f"{WEB}/edit", MANAGERS, setup=draft, web=True, form=form),
    RouteSpec("POST", f"{WEB}/publish", MANAGERS, setup=draft, web=True),
    RouteSpec("POST", "/bulletins/feed", SIGNED_IN, targetless=True, web=True),
    RouteSpec("POST", "/bulletins/feed/revoke", SIGNED_IN, targetless=True, web=True),
    # The home page's "Tôi sẽ dự": only members invited to the meeting (its unit's members).
    RouteSpec(
        "POST",
        "/meetings/{meeting_id}/intent",
        roles_on({"own"}, "member", "secretary"),
        setup=meeting,
        web=True,
        form=lambda c: {"will_attend": "yes"},
    ),
    RouteSpec(
        "GET",
        "/podcast/{token}.xml",
        {},
        public=True,
        path_params=lambda c: {"token": "khong-co-that"},
    ),
    RouteSpec(
        "GET",
        "/podcast/{token}/{bulletin_id}.mp3",
        {},
        public=True,
        path_params=lambda c: {"token": "khong-co-that", "bulletin_id": 1},
    ),
]
