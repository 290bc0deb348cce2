"""`sotay demo`: a realistic organisation, created once, with logins that work."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.accounts.models import Account, RoleGrant
from app.cli import app as cli
from app.core.audit import verify_chain
from app.core.db import Database
from app.core.localtime import LOCAL_TZ
from app.demo import run_demo
from app.main import create_app
from app.members.models import (
    Award,
    Discipline,
    Member,
    Rating,
    Training,
    UnitMembership,
    WorkHistory,
)
from app.transfers.models import Transfer
from app.units.models import Unit
from tests.factories.imports import fresh_database

PRINTED_ROLES = [
    "city_admin",
    "ward_staff",
    "cell_secretary",
    "cell_secretary",
    "member",
    "member",
    "auditor",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, list[str]]]:
    with fresh_database(tmp_path_factory.mktemp("demo"), "demo") as db:
        result = CliRunner().invoke(cli, ["demo"])
        assert result.exit_code == 0, result.output
        yield db, result.output.splitlines()


def count(db: Database, column) -> int:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return session.scalar(select(func.count(column))) or 0


def test_prints_one_login_per_line(demo: tuple[Database, list[str]]) -> None:
    _, lines = demo
    assert [line.split()[0] for line in lines] == PRINTED_ROLES
    assert all(len(line.split()) == 3 for line in lines)
    assert lines[0] == "city_admin admin demo-admin-2026"


def test_is_idempotent(demo: tuple[Database, list[str]]) -> None:
    db, lines = demo
    from app.feedback.models import FeedbackThread
    from app.meetings.models import Meeting
    from app.tasks.models import Task
    from app.votes.models import Vote

    tables = [Unit.id, Member.id, Account.id, RoleGrant.id, Rating.id, Award.id, Meeting.id]
    tables += [Vote.id, Task.id, FeedbackThread.id]
    before = [count(db, c) for c in tables]
    again = run_demo(db)
    assert [" ".join(t) for t in again] == lines
    assert [count(db, c) for c in tables] == before


def test_organisation_is_shaped_as_specified(demo: tuple[Database, list[str]]) -> None:
    db, _ = demo
    with db.session() as session:
        kinds = dict(
            session.execute(select(Unit.kind, func.count(Unit.id)).group_by(Unit.kind)).all()
        )
        assert kinds["city_committee"] == 1
        assert kinds.get("ward_committee", 0) + kinds.get("commune_committee", 0) == 3
        assert 10 <= kinds["cell"] <= 14
        members = session.scalars(select(Member)).all()
        assert 250 <= len(members) <= 350
        statuses = {
            s: sum(1 for m in members if m.status == s) for s in {m.status for m in members}
        }
        assert statuses["active"] > 250 and 3 <= statuses["exempted"] <= 25
        assert 1 <= statuses["deceased"] <= 3 and 1 <= statuses["transferred"] <= 3
        probationary = [m for m in members if m.official_date is None]
        assert 0 < len(probationary) < 40
        for m in members:
            assert m.birth_date and 1940 <= m.birth_date.year <= 2000
            assert m.admission_date and m.admission_date <= date.today()
            born = m.birth_date
            adult = (born.year + 18, born.month, born.day)
            assert (m.admission_date.year, m.admission_date.month, m.admission_date.day) >= adult
            if m.official_date:
                assert 360 <= (m.official_date - m.admission_date).days <= 420
            assert m.name_folded and len(m.full_name.split()) >= 3
        assert len({m.full_name.split()[0] for m in members}) >= 10
        grades = dict(
            session.execute(
                select(Rating.grade, func.count(Rating.id)).group_by(Rating.grade)
            ).all()
        )
        rated = sum(v for k, v in grades.items() if k != "MIEN")
        assert grades["HTTNV"] > grades["HTXSNV"] > grades["KHTNV"] > 0
        assert grades["HTXSNV"] <= 0.2 * rated
        years = set(session.scalars(select(Rating.year).distinct()))
        assert years == {date.today().year - k for k in (1, 2, 3)}
        badges = set(
            session.scalars(select(Award.badge_years).where(Award.badge_years.is_not(None)))
        )
        assert {30, 40, 50} <= badges
        assert 1 <= session.scalar(select(func.count(Discipline.id))) <= 5  # type: ignore[operator]
        assert session.scalar(select(func.count(Training.id)))
        assert session.scalar(select(func.count(WorkHistory.id)))
        moved = session.scalar(
            select(func.count(func.distinct(UnitMembership.member_id))).where(
                UnitMembership.end_date.is_not(None)
            )
        )
        assert moved and moved >= 5
        assert session.scalar(select(func.count(Transfer.id)))
        assert verify_chain(session).ok


def test_logins_work_and_link_to_members(demo: tuple[Database, list[str]]) -> None:
    db, lines = demo
    app = create_app(db.settings, db)
    with TestClient(app) as client:
        units_seen = set()
        for line in lines:
            role, username, password = line.split()
            resp = client.post(
                "/api/v1/auth/token", data={"username": username, "password": password}
            )
            assert resp.status_code == 200, (username, resp.text)
            token = resp.json()["access_token"]
            me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
            if role in ("cell_secretary", "member"):
                assert me["member_id"] is not None
                units_seen.add((role, me["member_unit_id"]))
            else:
                assert me["member_id"] is None
        secretaries = {u for r, u in units_seen if r == "cell_secretary"}
        members = {u for r, u in units_seen if r == "member"}
        assert len(secretaries) == 2 and len(members) == 2


def test_documents_are_published_and_queued_for_hoi_dap(demo: tuple[Database, list[str]]) -> None:
    from app.documents.models import Document, DocumentStatus
    from app.jobs.models import Job
    from app.knowledge.service_hooks import INDEX_KIND

    db, _ = demo
    with db.session() as session:
        published = session.scalars(
            select(Document.number).where(Document.status == DocumentStatus.published)
        ).all()
        queued = session.scalars(select(Job.params).where(Job.kind == INDEX_KIND)).all()
    assert sorted(published) == ["08-KH/ĐU", "12-QĐ/TU", "15-TB/ĐU"]
    assert len(queued) == 3
    run_demo(db)  # idempotent: nothing published twice
    assert count(db, Document.id) == 3


def test_a_month_of_life_in_chi_bo_khu_pho_1(demo: tuple[Database, list[str]]) -> None:
    """Issue 12: what a member and the secretary of HL-BD-KP1 find on first sign-in."""
    from app.core.db import utcnow
    from app.documents.models import Document, DocumentRead
    from app.feedback.models import FeedbackPost, FeedbackThread
    from app.meetings.models import Attendance, Meeting, MeetingDocument
    from app.notifications.models import Notification
    from app.outcomes.models import Resolution
    from app.tasks.models import Task
    from app.votes.models import Ballot, Vote

    db, _ = demo
    with db.session() as session:
        cell = session.scalars(select(Unit).where(Unit.code == "HL-BD-KP1")).one()
        statuses = session.scalars(select(Member.status).where(Member.unit_id == cell.id)).all()
        # The roll the phone page is sized for: 26 members, most of them active.
        assert len(statuses) == 26 and statuses.count("active") >= 20
        meetings = session.scalars(
            select(Meeting).where(Meeting.unit_id == cell.id).order_by(Meeting.starts_at)
        ).all()
        assert [m.status for m in meetings] == ["closed", "noticed"]
        held, upcoming = meetings
        assert held.starts_at < utcnow() < upcoming.starts_at
        states = [
            (a.state, a.reason)
            for a in session.scalars(select(Attendance).where(Attendance.meeting_id == held.id))
        ]
        present = sum(1 for s, _ in states if s == "present")
        assert present >= 15 and all(r for s, r in states if s == "excused")
        assert sum(1 for s, _ in states if s == "excused") == 3
        assert any(s == "unexcused" for s, _ in states)
        secret = session.scalars(
            select(Vote).where(Vote.meeting_id == held.id, Vote.kind == "secret")
        ).one()
        assert secret.kind == "secret" and secret.status == "closed" and secret.result
        ballots = session.scalar(select(func.count(Ballot.id)).where(Ballot.vote_id == secret.id))
        assert ballots == present
        assert session.scalars(select(Resolution).where(Resolution.meeting_id == held.id)).one()
        tasks = session.scalars(select(Task).where(Task.unit_id == cell.id)).all()
        by_status = {t.status for t in tasks}
        assert {"graded", "in_progress", "assigned"} <= by_status
        assert sum(1 for t in tasks if t.grade) >= 3
        pre_reading = session.scalar(
            select(func.count())
            .select_from(MeetingDocument)
            .where(MeetingDocument.meeting_id == upcoming.id)
        )
        assert pre_reading and pre_reading >= 2
        member_account = session.scalars(
            select(Account).where(Account.username == "dangvien.kp1")
        ).one()
        notices = session.scalars(
            select(Notification.kind).where(Notification.member_id == member_account.member_id)
        ).all()
        assert "meeting.notice" in notices and "task.assigned" in notices
        open_votes = session.scalars(
            select(Vote).where(Vote.unit_id == cell.id, Vote.status == "open")
        ).all()
        assert len(open_votes) == 1 and open_votes[0].kind == "open"
        read = session.scalar(
            select(func.count())
            .select_from(DocumentRead)
            .where(DocumentRead.member_id == member_account.member_id)
        )
        assert read == 0  # every document is still unread for the demo member
        threads = session.scalars(select(FeedbackThread)).all()
        assert len(threads) >= 2
        assert session.scalar(select(func.count()).where(FeedbackPost.is_official.is_(True)))
        assert all(d.issued_on for d in session.scalars(select(Document)))
        assert verify_chain(session).ok


def test_the_held_meeting_has_all_the_minutes_are_made_of(
    demo: tuple[Database, list[str]],
) -> None:
    """Issue 14: the demo secretary's last meeting can be drafted into minutes: chair and
    secretary, every attendance state, a guest, three items with presenter and pre-reading,
    comments, an open and a secret vote with fixed tallies, a resolution and tasks, the
    recording."""
    from app.demo_life import HELD_AGENDA, held_title
    from app.meetings.models import (
        AgendaItem,
        Attendance,
        Guest,
        Meeting,
        MeetingComment,
        MeetingDocument,
    )
    from app.outcomes.models import Resolution
    from app.recordings.models import Recording
    from app.tasks.models import Task
    from app.votes.models import Vote

    db, _ = demo
    with db.session() as session:
        cell = session.scalars(select(Unit).where(Unit.code == "HL-BD-KP1")).one()
        held = session.scalars(
            select(Meeting).where(Meeting.unit_id == cell.id, Meeting.status == "closed")
        ).one()
        assert held.title == held_title(held.starts_at.astimezone(LOCAL_TZ).month)
        assert held.chair_member_id and held.secretary_member_id
        assert held.chair_member_id != held.secretary_member_id
        rows = session.scalars(select(Attendance).where(Attendance.meeting_id == held.id)).all()
        assert {a.state for a in rows} == {"present", "excused", "unexcused", "exempt"}
        assert all(a.reason for a in rows if a.state == "excused")
        present = sum(1 for a in rows if a.state == "present")
        assert session.scalars(select(Guest).where(Guest.meeting_id == held.id)).one().name
        items = session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == held.id).order_by(AgendaItem.position)
        ).all()
        assert [i.title for i in items] == [t for t, _ in HELD_AGENDA]
        assert all(i.description.startswith("Trình bày: đồng chí ") for i in items)
        assert all(
            i.description.endswith(f"Tài liệu đọc trước: {number}.")
            for i, (_, number) in zip(items, HELD_AGENDA, strict=True)
        )
        assert (
            session.scalar(
                select(func.count())
                .select_from(MeetingDocument)
                .where(MeetingDocument.meeting_id == held.id)
            )
            == 2
        )
        said = session.scalars(
            select(MeetingComment.agenda_item_id).where(MeetingComment.meeting_id == held.id)
        ).all()
        assert sorted(said, key=lambda x: x or 0) == [None, *(i.id for i in items)]
        votes = {
            v.kind: v.result
            for v in session.scalars(select(Vote).where(Vote.meeting_id == held.id))
        }
        assert set(votes) == {"open", "secret"}
        assert votes["open"]["items"][0]["counts"] == {
            "agree": present - 2,
            "disagree": 1,
            "other": 1,
        }
        first, second = votes["secret"]["items"]
        assert first["counts"] == {"agree": present - 2, "disagree": 1, "other": 1}
        assert second["counts"] == {"agree": present - 1, "disagree": 1, "other": 0}
        assert session.scalars(select(Resolution).where(Resolution.meeting_id == held.id)).one()
        assert session.scalar(
            select(func.count())
            .select_from(Task)
            .where(Task.source_type == "meeting", Task.source_id == held.id)
        )
        assert session.scalars(select(Recording.meeting_id)).all() == [held.id]


def test_the_held_meeting_has_the_secretarys_notes_and_drafts(
    demo: tuple[Database, list[str]],
) -> None:
    """Issue 14: `sotay demo` writes the secretary's notes (tagged by agenda item) and each
    item's presenter and conclusion, so the held meeting drafts offline at once."""
    from app.meetings.models import Meeting
    from app.minutes import service as minutes_service
    from pipelines import minutes as pm

    db, _ = demo
    with db.session() as session:
        cell = session.scalars(select(Unit).where(Unit.code == "HL-BD-KP1")).one()
        held = session.scalars(
            select(Meeting).where(Meeting.unit_id == cell.id, Meeting.status == "closed")
        ).one()
        minutes = minutes_service.find(session, held.id)
        assert minutes is not None and "[2]" in minutes.notes
        assert all(meta["presenter"] and meta["conclusion"] for meta in minutes.items.values())
        data = minutes_service.minutes_input(session, minutes)
        draft = pm.draft_minutes(data)
        assert draft.sections and any(
            src.kind == "note" for s in draft.sections for x in s.sentences for src in x.sources
        )
        # The secretary can submit it as drafted: it passes its own consistency check.
        assert pm.check_minutes(draft.text_sections(), data.record) == []


def test_the_demo_cell_has_a_spoken_bulletin_on_the_members_home(
    demo: tuple[Database, list[str]],
) -> None:
    """Issue 15: published by the secretary of Khu phố 1, spoken offline (espeak-ng), and the
    latest bulletin the demo member sees, once (the demo is idempotent)."""
    from app.bulletins import service as bulletins_service
    from app.bulletins.models import Bulletin
    from app.core.permissions import load_actor

    db, _ = demo
    run_demo(db)
    with db.session() as session:
        rows = session.scalars(select(Bulletin)).all()
        assert len(rows) == 1 and rows[0].audio_status == "done"
        made = bulletins_service.audio_of(session, rows[0])
        assert made is not None and made.voice.startswith("espeak-ng") and made.duration > 10
        member = session.scalar(select(Account).where(Account.username == "dangvien.kp1"))
        assert member is not None
        actor = load_actor(session, member.id)
        assert actor is not None
        latest = bulletins_service.latest_for(session, actor=actor)
        assert latest is not None and latest.id == rows[0].id


def test_the_demo_secretary_submits_the_draft_as_drafted(
    demo: tuple[Database, list[str]],
) -> None:
    """Issue 14: the demo meeting's secret ballot asks a question with colons and a member's
    name; its draft still submits without an override (the check used to read the question
    as a second ballot and the name as a voter, and answered 422)."""
    from app.core.audit import AuditContext
    from app.meetings.models import Meeting
    from app.minutes import service as minutes_service
    from app.minutes import service_draft
    from pipelines import minutes as pm

    db, lines = demo
    with db.session() as session:
        cell = session.scalars(select(Unit).where(Unit.code == "HL-BD-KP1")).one()
        held = session.scalars(
            select(Meeting).where(Meeting.unit_id == cell.id, Meeting.status == "closed")
        ).one()
        minutes = minutes_service.find(session, held.id)
        assert minutes is not None
        draft = pm.draft_minutes(minutes_service.minutes_input(session, minutes))
        service_draft.store_draft(
            session,
            AuditContext(),
            minutes=minutes,
            draft=draft,
            replace=True,
            author_account_id=None,
        )
        session.commit()
    secretary = next(line.split() for line in lines if line.split()[1] == "bithu.kp1")
    with TestClient(create_app(db.settings, db)) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": secretary[1], "password": secretary[2]}
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        url = f"/api/v1/meetings/{held.id}/minutes"
        body = client.get(url, headers=auth).json()
        assert body["mismatches"] == []
        resp = client.post(f"{url}/submit", headers=auth, json={})
        assert resp.status_code == 200, resp.text
        assert resp.json()["state"] == "submitted"


def test_demo_documents_are_summarised_after_their_index_jobs(
    demo: tuple[Database, list[str]],
) -> None:
    """Issue 16: each demo document's index job, run as the worker of `sotay serve` runs it,
    queues its summary job; the summaries cite the documents' clauses and parse their
    deadlines (the ward plan's "trước ngày 15 tháng 12 năm 2026"); `sotay demo` again queues
    nothing more."""
    from datetime import date as day

    from app.documents.models import Document
    from app.jobs.models import Job
    from app.jobs.service_engine import execute_job
    from app.knowledge import service_index
    from app.knowledge.models import IndexedChunk
    from app.knowledge.service_hooks import INDEX_KIND
    from app.summaries.models import DocumentSummaryRow
    from app.summaries.service_hooks import SUMMARY_KIND
    from tests.jobs.fakes import recording_jobs

    db, _ = demo
    try:
        with recording_jobs() as sent:
            with db.session() as session:
                index_jobs = session.scalars(
                    select(Job.id).where(Job.kind == INDEX_KIND).order_by(Job.id)
                ).all()
            for job_id in index_jobs:
                assert execute_job(db, db.settings.jobs, job_id, worker="demo") == "succeeded"
            with db.session() as session:
                queued = session.scalars(select(Job).where(Job.kind == SUMMARY_KIND)).all()
                documents = session.scalars(select(Document.id)).all()
            assert sorted(j.params["document_id"] for j in queued) == sorted(documents)
            assert sorted(sent.sent) == sorted(j.id for j in queued)
            for job_id in list(sent.sent):
                assert execute_job(db, db.settings.jobs, job_id, worker="demo") == "succeeded"
    finally:
        service_index.close_all()
    with db.session() as session:
        rows = session.scalars(select(DocumentSummaryRow)).all()
        keys = set(session.scalars(select(IndexedChunk.chunk_key)))
    assert len(rows) == 3 and all(r.status == "ready" for r in rows)
    for row in rows:
        assert row.summary["key_points"] and row.summary["short"]
        assert {p["chunk_id"] for p in row.summary["key_points"]} <= keys
    deadlines = [t["deadline"] for r in rows for t in r.summary["tasks"] if t["deadline"]]
    assert any(d["due"] == day(2026, 12, 15).isoformat() for d in deadlines)
    run_demo(db)  # idempotent: every indexed version has its summary already
    assert count(db, DocumentSummaryRow.id) == 3
    with db.session() as session:
        again = session.scalar(select(func.count()).where(Job.kind == SUMMARY_KIND))
    assert again == 3
