"""Reminders: sent once to those who must attend, only for noticed meetings that are near."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.meetings.models import MeetingStatus
from app.meetings.tasks import send_due_reminders
from app.notifications import service_senders as senders
from app.notifications.models import Notification
from tests.factories.meetings import make_meeting
from tests.factories.org import Org


def reminders(session: Session) -> int:
    return (
        session.scalar(
            select(func.count(Notification.id)).where(Notification.kind == "meeting.reminder")
        )
        or 0
    )


def test_due_meetings_are_reminded_once(session: Session, org: Org) -> None:
    now = utcnow()
    soon = make_meeting(session, org.units["A"], starts_at=now + timedelta(hours=5))
    make_meeting(session, org.units["B"], starts_at=now + timedelta(days=5))  # too far
    make_meeting(
        session, org.units["B"], starts_at=now + timedelta(hours=2), status=MeetingStatus.draft
    )
    assert send_due_reminders(session, now) == [soon.id]
    assert reminders(session) == 2  # sec_a and mem_a
    assert send_due_reminders(session, now + timedelta(minutes=5)) == []
    assert reminders(session) == 2


def test_senders_receive_the_message(session: Session, org: Org, tmp_path) -> None:  # type: ignore[no-untyped-def]
    outbox = tmp_path / "outbox.jsonl"
    got: list[senders.OutgoingMessage] = []

    class Recorder:
        name = "recorder"

        def send(self, message: senders.OutgoingMessage) -> None:
            got.append(message)

    class Broken:
        name = "broken"

        def send(self, message: senders.OutgoingMessage) -> None:
            raise RuntimeError("gateway down")

    before = senders.configured_senders()
    senders.use_senders([senders.InAppSender(), senders.OutboxSender(outbox), Broken(), Recorder()])
    try:
        make_meeting(session, org.units["A"], starts_at=utcnow() + timedelta(hours=1))
        send_due_reminders(session, utcnow())
    finally:
        senders.use_senders(before)
    assert len(got) == 1 and got[0].kind == "meeting.reminder"
    assert set(got[0].member_ids) == {org.members["sec_a"].id, org.members["mem_a"].id}
    assert outbox.read_text(encoding="utf-8").count("\n") == 1
    assert reminders(session) == 2  # the broken channel did not lose the in-app notice


def test_worker_entry_point_commits_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`run_reminders` is what the sweeper thread calls: on its own database, with commits."""
    from app.core.db import Database
    from app.core.migrate import upgrade
    from app.meetings.tasks import run_reminders
    from tests.conftest import make_settings
    from tests.factories.org import build_org

    db = Database(make_settings(tmp_path, f"sqlite:///{tmp_path / 'own.db'}"))
    try:
        upgrade(db.engine)
        now = utcnow()
        assert run_reminders(db, now) == []
        with db.session() as s:
            meeting_id = make_meeting(
                s, build_org(s).units["A"], starts_at=now + timedelta(hours=3)
            ).id
        assert run_reminders(db, now) == [meeting_id]
        assert run_reminders(db, now) == []
        with db.session(readonly=True) as s:
            assert reminders(s) == 2
    finally:
        db.dispose()
