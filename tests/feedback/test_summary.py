"""Feedback summaries (issue 16): the debounced `feedback.summary` job groups the members' posts on
a target into themes and stores them; quotes never name an author or a unit, in the row or the
API; a unit below the minimum group size gets no count; one job per target however many posts;
a target out of sight answers 404 like a missing one; the thread page shows the block."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import NotFound
from app.core.permissions import Actor, load_actor
from app.documents.models import Document
from app.feedback import service, service_summary, tasks
from app.feedback.models import FeedbackPost, FeedbackThread, TargetType
from app.jobs import service as jobs_service
from app.jobs.models import Job, JobStatus
from app.jobs.service_engine import execute_job
from app.summaries.models import FeedbackSummaryRow
from pipelines.summarise.feedback import FeedbackSummary
from tests.factories.accounts import bearer
from tests.factories.documents import make_document
from tests.factories.org import Org, build_org
from tests.factories.transfers import web_login
from tests.jobs.conftest import Committed, committed  # noqa: F401 - a fixture, used by name
from tests.jobs.fakes import recording_jobs

MEETING_TIME = [
    "Đề nghị chuyển giờ sinh hoạt chi bộ sang buổi tối vì nhiều đảng viên đi làm ban ngày.",
    "Giờ sinh hoạt chi bộ nên dời sang buổi tối thứ Sáu cho mọi người cùng dự.",
    "Tôi đồng ý chuyển giờ sinh hoạt chi bộ sang buổi tối.",
    "Giờ sinh hoạt chi bộ buổi sáng không phù hợp với người đi làm, nên dời sang buổi tối.",
    "Nên tổ chức giờ sinh hoạt chi bộ vào buổi tối cuối tuần.",
]
CLEAN_UP_FUND = [
    "Kinh phí vệ sinh môi trường khu phố cần công khai hằng tháng.",
    "Đề nghị công khai kinh phí vệ sinh môi trường trên bảng tin khu phố.",
    "Cần công khai rõ kinh phí vệ sinh môi trường của khu phố.",
]
NAMES = ("Nguyễn Văn An", "Hoàng Thị Dung", "Trần Thị Bình")
SUMMARY = "feedback.summary"


def _actor(session: Session, org: Org, who: str) -> Actor:
    actor = load_actor(session, org.accounts[who].id)
    assert actor is not None
    return actor


def _thread(session: Session, org: Org, who: str, doc: Document, bodies: list[str]) -> int:
    """One member's thread on the document: its first post, then the author's additions."""
    actor = _actor(session, org, who)
    ctx = AuditContext(actor_account_id=actor.account_id)
    thread = service.open_thread(
        session,
        ctx,
        actor=actor,
        target_type=TargetType.document,
        target_id=doc.id,
        title="Góp ý kế hoạch",
        body=bodies[0],
    )
    for body in bodies[1:]:
        service.reply(session, ctx, actor=actor, thread_id=thread.id, body=body)
    return thread.id


def _ward_document(session: Session, settings: Settings, org: Org) -> Document:
    return make_document(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=org.units["W1"],
        audience=[org.units["W1"]],
        publish=True,
    )


def _feedback(session: Session, settings: Settings, org: Org) -> tuple[Document, int, int]:
    """Cell A writes five posts on the meeting time, cell B three on the clean-up fund; the
    secretary's official answer and a kiến nghị to the cell are not feedback on the document."""
    doc = _ward_document(session, settings, org)
    a = _thread(session, org, "mem_a", doc, MEETING_TIME)
    b = _thread(session, org, "mem_b", doc, CLEAN_UP_FUND)
    sec = _actor(session, org, "sec_a")
    service.reply(
        session,
        AuditContext(actor_account_id=sec.account_id),
        actor=sec,
        thread_id=a,
        body="Chi bộ sẽ xem xét chuyển giờ sinh hoạt chi bộ sang buổi tối.",
    )
    mem_a = _actor(session, org, "mem_a")
    service.submit_idea(
        session,
        AuditContext(actor_account_id=mem_a.account_id),
        actor=mem_a,
        title="Đề nghị",
        body="Giờ sinh hoạt chi bộ nên vào buổi tối.",
    )
    return doc, a, b


def _summarise(session: Session, settings: Settings, doc: Document) -> FeedbackSummary:
    """What the job stores, on the test's own session, with the packaged model."""
    done = service_summary.compute(
        session,
        target_type="document",
        target_id=doc.id,
        embedder=tasks.embedder_for(settings),
        min_group_size=5,
    )
    row = session.scalar(select(FeedbackSummaryRow).where(FeedbackSummaryRow.target_id == doc.id))
    assert row is not None
    row.status, row.summary = "ready", done.summary.model_dump(mode="json")
    row.post_count, row.last_post_id = done.post_count, done.last_post_id
    session.flush()
    return done.summary


def _units_of(session: Session, post_ids: list[int]) -> Counter[int]:
    rows = session.execute(
        select(FeedbackThread.unit_id)
        .join(FeedbackPost, FeedbackPost.thread_id == FeedbackThread.id)
        .where(FeedbackPost.id.in_(post_ids))
    )
    return Counter(u for (u,) in rows)


def test_themes_over_real_posts_without_names_or_small_units(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    doc, _a, _b = _feedback(session, settings, org)
    summary = _summarise(session, settings, doc)
    assert summary.total == 8  # the official answer and the kiến nghị are not counted
    assert sum(t.count for t in summary.themes) == 8
    assert len(summary.themes) >= 2
    labels = " ".join(t.label.lower() for t in summary.themes)
    assert "giờ sinh hoạt" in labels and "vệ sinh" in labels
    a, b = org.units["A"].id, org.units["B"].id
    for theme in summary.themes:
        # Per-unit counts exactly for the units at the minimum; cell B (three posts) never.
        units = _units_of(session, theme.post_ids)
        assert theme.per_unit == {u: c for u, c in units.items() if c >= 5}
        assert b not in theme.per_unit
        for q in theme.quotes:
            assert q.author is None and q.unit_id is None
    assert any(t.per_unit == {a: 5} for t in summary.themes)

    resp = client.get(
        f"/api/v1/feedback/document/{doc.id}/summary",
        headers=bearer(session, org.accounts["staff_w1"]),
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "ready" and body["updating"] is False and body["total"] == 8
    for theme in body["themes"]:
        assert {u["unit_id"] for u in theme["per_unit"]} <= {a}
        for q in theme["quotes"]:
            assert set(q) == {"post_id", "thread_id", "text", "link"}
            assert q["link"] == f"/feedback/{q['thread_id']}#post-{q['post_id']}"
    assert not any(name in resp.text for name in NAMES)
    assert "Chi bộ Khu phố 1" in resp.text  # the unit at the minimum, by name


def test_a_reader_gets_quotes_only_from_threads_they_may_open(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    doc, a, _b = _feedback(session, settings, org)
    _summarise(session, settings, doc)
    body = client.get(
        f"/api/v1/feedback/document/{doc.id}/summary",
        headers=bearer(session, org.accounts["mem_a"]),
    ).json()
    quoted = {q["thread_id"] for t in body["themes"] for q in t["quotes"]}
    assert quoted == {a}
    # Cell B's small theme, none of whose posts mem_a can read, is counted without its label.
    assert "vệ sinh" not in " ".join(t["label"].lower() for t in body["themes"])
    assert body["other_count"] == 3


def test_many_posts_make_one_pending_job(session: Session, settings: Settings, org: Org) -> None:
    doc = _ward_document(session, settings, org)
    thread = _thread(session, org, "mem_a", doc, MEETING_TIME[:3])
    _thread(session, org, "mem_b", doc, CLEAN_UP_FUND[:2])
    rows = session.scalars(
        select(FeedbackSummaryRow).where(FeedbackSummaryRow.target_id == doc.id)
    ).all()
    assert [(r.target_type, r.status, r.job_id) for r in rows] == [("document", "pending", None)]
    now = utcnow()
    assert tasks.queue_due(session, now, 60) == []  # the posts are not quiet yet
    made = tasks.queue_due(session, now + timedelta(seconds=61), 60)
    assert len(made) == 1
    assert tasks.queue_due(session, now + timedelta(seconds=120), 0) == []  # still queued
    mem_a = _actor(session, org, "mem_a")
    ctx = AuditContext(actor_account_id=mem_a.account_id)
    for body in MEETING_TIME[3:]:
        service.reply(session, ctx, actor=mem_a, thread_id=thread, body=body)
    assert tasks.queue_due(session, now + timedelta(seconds=300), 0) == []
    jobs = session.scalars(select(Job).where(Job.kind == SUMMARY)).all()
    assert [(j.id, j.status, j.params) for j in jobs] == [
        (made[0], JobStatus.queued, {"target_type": "document", "target_id": doc.id})
    ]
    # Once that job is over, the posts it may have missed are summarised by one more job.
    jobs[0].status = JobStatus.succeeded
    session.flush()
    assert len(tasks.queue_due(session, now + timedelta(seconds=300), 0)) == 1
    count = session.scalar(select(func.count()).select_from(Job).where(Job.kind == SUMMARY))
    assert count == 2


def test_newer_posts_show_as_updating(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    doc, a, _b = _feedback(session, settings, org)
    _summarise(session, settings, doc)
    mem_a = _actor(session, org, "mem_a")
    service.reply(
        session,
        AuditContext(actor_account_id=mem_a.account_id),
        actor=mem_a,
        thread_id=a,
        body="Bổ sung: buổi tối thứ Năm cũng được.",
    )
    body = client.get(
        f"/api/v1/feedback/document/{doc.id}/summary",
        headers=bearer(session, org.accounts["staff_w1"]),
    ).json()
    assert body["status"] == "pending" and body["updating"] is True and body["themes"]


def test_out_of_sight_is_missing(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    doc, _a, _b = _feedback(session, settings, org)
    _summarise(session, settings, doc)
    outsider = bearer(session, org.accounts["mem_d"])  # another ward's member
    hidden = client.get(f"/api/v1/feedback/document/{doc.id}/summary", headers=outsider)
    missing = client.get("/api/v1/feedback/document/424242/summary", headers=outsider)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    # A draft has no record to check: without a thread one may read, it is missing too.
    draft = client.get("/api/v1/feedback/draft/77/summary", headers=outsider)
    assert draft.status_code == 404 and draft.json().keys() == missing.json().keys()


def test_no_feedback_yet_is_none(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    doc = _ward_document(session, settings, org)
    resp = client.get(
        f"/api/v1/feedback/document/{doc.id}/summary",
        headers=bearer(session, org.accounts["mem_a"]),
    )
    assert resp.status_code == 200
    assert resp.json()["status"] == "none" and resp.json()["themes"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/feedback/unit/1/summary",
        "/api/v1/feedback/bogus/1/summary",
        "/api/v1/feedback/document/0/summary",
        "/api/v1/feedback/document/abc/summary",
        "/api/v1/feedback/document/99999999999/summary",
        "/api/v1/feedback/document/-3/summary",
    ],
)
def test_bad_targets_are_422(client: TestClient, session: Session, org: Org, path: str) -> None:
    resp = client.get(path, headers=bearer(session, org.accounts["mem_a"]))
    assert resp.status_code == 422, resp.text


def test_thread_page_shows_the_summary_block(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    doc, a, _b = _feedback(session, settings, org)
    _summarise(session, settings, doc)
    web_login(client, session, org.accounts["sec_a"])
    html = client.get(f"/feedback/{a}").text
    assert "Tóm tắt góp ý" in html
    assert html.index("Tóm tắt góp ý") < html.index('class="feedback-posts"')
    assert f'href="/feedback/{a}#post-' in html and 'id="post-' in html
    assert "Chi bộ Khu phố 1: 5" in html  # the cell at the minimum
    assert "Đang cập nhật" not in html
    assert not any(name in html.split('class="feedback-posts"')[0] for name in NAMES)
    mem_a = _actor(session, org, "mem_a")
    service.reply(
        session,
        AuditContext(actor_account_id=mem_a.account_id),
        actor=mem_a,
        thread_id=a,
        body="Thêm một ý nữa về giờ sinh hoạt.",
    )
    assert "Đang cập nhật…" in client.get(f"/feedback/{a}").text
    en = client.get(f"/feedback/{a}", params={"lang": "en"}).text
    assert "Feedback summary" in en and "Updating…" in en


def test_the_job_stores_the_summary(committed: Committed) -> None:  # noqa: F811
    """Posts committed, the sweep queues one job, a worker runs it with the packaged model."""
    committed.settings.feedback.summary_debounce_seconds = 0
    with committed.db.session() as session:
        org = build_org(session)
        doc, _a, _b = _feedback(session, committed.settings, org)
        doc_id = doc.id
    with recording_jobs() as sent:
        tasks.queue_summaries(committed.db, utcnow())
        tasks.queue_summaries(committed.db, utcnow())
    assert len(sent.sent) == 1
    outcome = execute_job(committed.db, committed.settings.jobs, sent.sent[0], worker="w1")
    assert outcome == "succeeded"
    with committed.db.session() as session:
        row = session.scalar(
            select(FeedbackSummaryRow).where(FeedbackSummaryRow.target_id == doc_id)
        )
        assert row is not None and row.status == "ready" and row.job_id is None
        assert row.post_count == 8 and row.error is None
        stored = FeedbackSummary.model_validate(row.summary)
        assert row.last_post_id is not None
        assert stored.total == 8 and len(stored.themes) >= 2
        for theme in stored.themes:
            assert all(q.author is None and q.unit_id is None for q in theme.quotes)
        job = session.get(Job, sent.sent[0])
        assert job is not None and job.result is not None and job.result["stored"] is True
    with recording_jobs() as again:
        tasks.queue_summaries(committed.db, utcnow())
    assert again.sent == []  # nothing new to summarise


def test_a_summary_submitted_by_hand(committed: Committed) -> None:  # noqa: F811
    """Through the jobs API: an officer who sees the target gets its summary stored (a row made
    for a target posted on before summaries began); one who cannot see it gets a 404."""
    with committed.db.session() as session:
        org = build_org(session)
        doc, _a, _b = _feedback(session, committed.settings, org)
        session.execute(delete(FeedbackSummaryRow))
        to_a = make_document(
            session,
            committed.settings,
            by=org.accounts["staff_w1"],
            unit=org.units["W1"],
            audience=[org.units["A"]],
            publish=True,
            title="Kế hoạch riêng của chi bộ",
        )
        staff, sec_b = _actor(session, org, "staff_w1"), _actor(session, org, "sec_b")
        w1, b = org.units["W1"].id, org.units["B"].id
        doc_id, hidden_id = doc.id, to_a.id
    with recording_jobs() as bell, committed.db.session() as session:
        job, _new = jobs_service.submit_job(
            session,
            AuditContext(actor_account_id=staff.account_id),
            actor=staff,
            kind=SUMMARY,
            params={"target_type": "document", "target_id": doc_id},
            unit_id=w1,
            dispatcher=bell,
        )
        job_id = job.id
        with pytest.raises(NotFound):
            jobs_service.submit_job(
                session,
                AuditContext(actor_account_id=sec_b.account_id),
                actor=sec_b,
                kind=SUMMARY,
                params={"target_type": "document", "target_id": hidden_id},
                unit_id=b,
                dispatcher=bell,
            )
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w1") == "succeeded"
    with committed.db.session() as session:
        row = session.scalar(
            select(FeedbackSummaryRow).where(FeedbackSummaryRow.target_id == doc_id)
        )
        assert row is not None and row.status == "ready" and row.post_count == 8
