"""`sotay minutes verify MEETING_ID`: exit 0 while the locked minutes match the audit log's
hash; exit 1 on a tampered version row, a tampered hash on the record, or unlocked minutes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from app.core.db import Database
from app.core.migrate import upgrade
from app.core.permissions import load_actor
from app.minutes.models import Minutes, MinutesVersion
from tests.conftest import make_settings
from tests.factories.minutes import drafted_minutes, held_meeting
from tests.factories.org import build_org
from tests.test_cli import sotay


def _locked(db: Database, state: str = "locked") -> tuple[int, int]:
    with db.session() as s:
        org = build_org(s)
        held = held_meeting(s, org)
        sec = load_actor(s, org.accounts["sec_a"].id)
        assert sec is not None
        minutes = drafted_minutes(s, held.meeting, by=sec, state=state)
        return held.meeting.id, minutes.id


def test_minutes_verify_passes_then_fails_on_a_tampered_row(tmp_path: Path) -> None:
    assert sotay(["minutes", "verify", "--help"], tmp_path).returncode == 0
    db = Database(make_settings(tmp_path))
    upgrade(db.engine)
    meeting_id, minutes_id = _locked(db)
    ok = sotay(["minutes", "verify", str(meeting_id)], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert f"meeting {meeting_id}: OK" in ok.stdout

    # The attack: one figure changed in the locked version's stored text.
    with db.session() as s:
        version = s.get(Minutes, minutes_id)
        assert version is not None and version.locked_version_id is not None
        row = s.get(MinutesVersion, version.locked_version_id)
        assert row is not None
        sections = dict(row.sections)
        sections["attendance"] = sections["attendance"].replace("Có mặt: 3", "Có mặt: 4")
        s.execute(
            update(MinutesVersion).where(MinutesVersion.id == row.id).values(sections=sections)
        )
    db.dispose()
    bad = sotay(["minutes", "verify", str(meeting_id)], tmp_path)
    assert bad.returncode == 1
    assert "FAILED" in bad.stderr and "differs from the audited hash" in bad.stderr


def test_minutes_verify_fails_on_a_rewritten_hash_and_on_unlocked_minutes(tmp_path: Path) -> None:
    db = Database(make_settings(tmp_path))
    upgrade(db.engine)
    meeting_id, minutes_id = _locked(db)
    with db.session() as s:
        s.execute(update(Minutes).where(Minutes.id == minutes_id).values(locked_sha256="0" * 64))
    db.dispose()
    bad = sotay(["minutes", "verify", str(meeting_id)], tmp_path)
    assert bad.returncode == 1 and "record's hash differs" in bad.stderr
    draft_db = Database(make_settings(tmp_path / "other"))
    upgrade(draft_db.engine)
    other_meeting, _ = _locked(draft_db, state="submitted")
    draft_db.dispose()
    unlocked = sotay(["minutes", "verify", str(other_meeting)], tmp_path / "other")
    assert unlocked.returncode == 1 and "not locked" in unlocked.stderr
    assert sotay(["minutes", "verify", "999999"], tmp_path).returncode == 1
    assert sotay(["minutes", "verify", "abc"], tmp_path).returncode != 0
