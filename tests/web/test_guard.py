"""The web's logged-in guard (app/web/guard.py): signed out, every page goes to the login page,
with the same way back (`next=`) the pages gave when each handler checked for itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import app.web

WEB_DIR = Path(app.web.__file__).parent


@pytest.mark.parametrize(
    ("method", "path", "location"),
    [
        ("GET", "/", "/login"),
        ("GET", "/account", "/login?next=/account"),
        ("GET", "/account/password", "/login?next=/account"),
        ("POST", "/account/password", "/login"),
        ("GET", "/units/1", "/login?next=/units/1"),
        ("GET", "/members", "/login?next=%2Fmembers"),
        ("GET", "/members?unit_id=3&q=an", "/login?next=%2Fmembers%3Funit_id%3D3%26q%3Dan"),
        ("GET", "/jobs/5", "/login?next=/jobs/5"),
        ("GET", "/jobs/5/progress", "/login?next=/jobs/5"),
        ("POST", "/notifications/read", "/login?next=/notifications"),
        ("GET", "/imports/members", "/login?next=/imports/members"),
        ("GET", "/audit/verify", "/login?next=/audit/verify"),
        ("POST", "/transfers/7/accept", "/login?next=/transfers/7/accept"),
    ],
)
def test_signed_out_goes_to_login_with_its_way_back(
    client: TestClient, method: str, path: str, location: str
) -> None:
    resp = client.request(method, path, follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == location


def test_signed_out_bad_form_goes_to_login_before_its_errors(client: TestClient) -> None:
    # The guard runs before the form is checked: no field-by-field answer for a stranger.
    resp = client.post("/jobs", data={"unit_id": "x"}, follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/login?next=/jobs"


def test_the_unread_badge_answers_401_not_a_login_page(client: TestClient) -> None:
    # A fragment htmx swaps into the menu: a redirect would put the login page there.
    assert client.get("/notifications/count").status_code == 401


def test_no_handler_checks_for_a_session_by_hand() -> None:
    by_hand = {
        f"{path.name}:{n}"
        for path in sorted(WEB_DIR.glob("*.py"))
        if path.name != "guard.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bactor is None\b", line)
    }
    # The unread badge alone: see the test above.
    assert {key.split(":")[0] for key in by_hand} <= {"routes_notifications.py"}
    assert len(by_hand) == 1
