"""Every page, as the person who would use it: axe finds nothing serious, and it reflows at 200 %."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.web.conftest import LiveServer, login, no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser

# (who, path); {name} placeholders are filled from the seeded org's ids.
PAGES = [
    (None, "/login"),
    (None, "/no-such-page"),
    ("admin", "/"),
    ("admin", "/account"),
    ("admin", "/audit"),
    ("admin", "/audit/verify"),
    ("admin", "/members"),
    ("admin", "/members?q=nguyen"),
    ("admin", "/members/{mem_a}"),
    ("admin", "/members/{mem_a}/sensitive"),
    ("admin", "/units"),
    ("admin", "/units/{A}"),
    ("admin", "/units/{W1}/badges"),
    ("admin", "/transfers"),
    ("admin", "/imports/members"),
    ("admin", "/jobs"),
    ("sec_a", "/"),
    ("sec_a", "/corrections"),
    ("mem_a", "/"),
    ("mem_a", "/me"),
    ("mem_a", "/me/corrections"),
    ("mem_a", "/audit"),  # the 403 page
    # Issue 3: meetings, votes, documents, tasks, outcomes, notifications, feedback.
    ("sec_a", "/meetings"),
    ("sec_a", "/meetings/new"),
    ("sec_a", "/meetings/{meeting_a}"),
    ("sec_a", "/meetings/{meeting_a}/comments"),
    ("sec_a", "/meetings/{meeting_a}/outcomes"),
    ("mem_a", "/meetings/{meeting_a}"),
    ("mem_a", "/calendar"),
    ("sec_a", "/votes"),
    ("sec_a", "/votes/{vote_a}"),
    ("sec_a", "/votes/{vote_a}/tally"),
    ("mem_a", "/votes/{vote_a}"),
    ("sec_a", "/documents"),
    ("sec_a", "/documents/new"),
    ("sec_a", "/documents/{doc_a}"),
    ("mem_a", "/documents/{doc_a}"),
    ("sec_a", "/units/{A}/tasks"),
    ("sec_a", "/units/{A}/report"),
    ("mem_a", "/tasks/mine"),
    ("mem_a", "/notifications"),
    ("mem_a", "/feedback"),
]


@pytest.fixture(scope="session")
def signed_in_state(browser: Browser, live_server: LiveServer) -> dict[str, Any]:
    """One sign-in per account for the whole session: cookies reused by each page's context."""
    states: dict[str, Any] = {}
    for who in {w for w, _ in PAGES if w}:
        context = browser.new_context(base_url=live_server.url)
        login(context.new_page(), who)
        states[who] = context.storage_state()
        context.close()
    return states


def _url(path: str, live: LiveServer) -> str:
    return path.format(**live.units, **live.members, **live.objects)


@pytest.mark.parametrize(("who", "path"), PAGES, ids=[f"{w or 'anon'} {p}" for w, p in PAGES])
def test_page_is_accessible_and_reflows(
    browser: Browser,
    live_server: LiveServer,
    signed_in_state: dict[str, Any],
    who: str | None,
    path: str,
) -> None:
    url = _url(path, live_server)
    state = signed_in_state[who] if who else None
    problems: list[str] = []
    # Desktop layout for axe; then 180 CSS px (360 px at 200 % zoom) in large text, the
    # hardest case for reflow (test_browser_shell checks normal text at 360 and 180 px).
    for width, large in ((1280, False), (180, True)):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 800}, storage_state=state
        )
        try:
            if large:
                context.add_cookies(
                    [{"name": "sotay_text", "value": "large", "url": live_server.url}]
                )
            page = context.new_page()
            resp = page.goto(url)
            assert resp is not None and resp.status < 500, f"{url}: {resp and resp.status}"
            if width == 1280:
                problems += serious_violations(page)
            else:
                scroll, viewport = no_horizontal_scroll(page)
                if scroll > viewport:
                    problems.append(f"{width}px{' large text' if large else ''}: {scroll}px wide")
        finally:
            context.close()
    assert problems == [], f"{url}:\n" + "\n".join(problems)
