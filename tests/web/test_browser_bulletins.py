"""Issue 15 in Chromium: a member signs in and hears the latest bulletin from the home page in
at most two clicks, changes the speed, and sees the transcript follow the section being read;
home and player fit 360 px and 360 px at 200 % zoom without sideways scroll; axe finds nothing
serious or critical on either."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.accounts.models import Role
from app.bulletins.models import Bulletin
from app.core.config import JobsSettings, Settings
from app.core.db import Database
from app.members.models import Member
from app.units.models import Unit, UnitKind
from tests.factories.accounts import make_account
from tests.factories.bulletins import attach_audio, make_bulletin
from tests.factories.members import make_member
from tests.factories.units import make_unit
from tests.web.conftest import LiveServer, login, no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def live_db(live_server: LiveServer) -> Iterator[Database]:
    settings = Settings(
        env="test", data_dir=live_server.data_dir, jobs=JobsSettings(embedded_worker=False)
    )
    db = Database(settings)
    try:
        yield db
    finally:
        db.dispose()


def seed(db: Database) -> int:
    """Cell N with its secretary and an older member, and a published bulletin with 20 s of
    audio in three chapters."""
    with db.session() as session:
        ward = session.scalar(select(Unit).where(Unit.code == "W1"))
        assert ward is not None
        cell = make_unit(session, "Chi bộ Khu phố 9", UnitKind.cell, ward, code="N")
        sec = make_member(session, cell, "Trần Văn Bảy")
        elder: Member = make_member(session, cell, "Nguyễn Thị Tám")
        sec_acc = make_account(session, "sec_n", member=sec, role=Role.cell_secretary, unit=cell)
        make_account(session, "ba_tam", member=elder)
        session.flush()
        b = make_bulletin(
            session,
            db.settings,
            by=sec_acc,
            unit=cell,
            audio=False,
            title="Bản tin chi bộ tháng 12",
        )
        attach_audio(session, db.settings, b, seconds=20.0)
        return b.id


def test_member_plays_latest_bulletin_from_home_in_two_clicks(
    page: Page, live_db: Database
) -> None:
    bid = seed(live_db)
    login(page, "ba_tam")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nguyễn Thị Tám")
    assert serious_violations(page) == []
    clicks = 0
    page.get_by_role("link", name="Nghe bản tin").click()
    clicks += 1
    page.wait_for_url(f"**/bulletins/{bid}?play=1")
    audio = page.locator("#bulletin-audio")
    page.wait_for_function("document.getElementById('bulletin-audio').readyState >= 1")
    if audio.evaluate("a => a.paused"):
        page.get_by_role("button", name="Nghe", exact=True).click()
        clicks += 1
    page.wait_for_function("!document.getElementById('bulletin-audio').paused")
    assert clicks <= 2
    page.get_by_role("button", name="1.25×").click()
    assert audio.evaluate("a => a.playbackRate") == 1.25
    expect(page.get_by_role("button", name="1.25×")).to_have_attribute("aria-pressed", "true")
    # ±15 s lands in the last section: the transcript marks it.
    page.get_by_role("button", name="Tới 15 giây").click()
    expect(page.locator(".chapter.now-playing")).to_contain_text("Nộp đảng phí")
    page.get_by_role("button", name="Lùi 15 giây").click()
    expect(page.locator(".chapter.now-playing").first).not_to_contain_text("Nộp đảng phí")
    page.get_by_role("button", name="Tạm dừng").click()
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [360, 180], ids=["360px", "360px-at-200pct-zoom"])
def test_home_and_player_fit_a_phone(page: Page, live_db: Database, width: int) -> None:
    with live_db.session() as session:
        bid = session.scalar(
            select(Bulletin.id).join(Unit, Unit.id == Bulletin.unit_id).where(Unit.code == "N")
        )
    if bid is None:
        bid = seed(live_db)
    page.set_viewport_size({"width": width, "height": 740})
    login(page, "ba_tam")
    for path in ("/", f"/bulletins/{bid}"):
        page.goto(path)
        width_px, viewport = no_horizontal_scroll(page)
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        assert width_px <= viewport, f"{path}: {width_px} > {viewport}: {wide}"
