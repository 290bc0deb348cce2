"""The summary on the document page (issue 16): cited key points that link to anchors in the
text, the reader's own tasks first, the short version; "Giao cho chi bộ" turning a task into
a unit task; the notice of a document showing its first point. A reader who cannot see the
document gets the missing document's 404 everywhere, and bad input is said on the form."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.permissions import Actor, load_actor
from app.documents import service as documents_service
from app.documents.models import Document
from app.summaries import service as summaries_service
from app.summaries.models import DocumentSummaryRow, SummaryStatus
from app.tasks.models import Task
from tests.factories.documents import make_document
from tests.factories.org import Org
from tests.factories.transfers import web_login
from tests.jobs.fakes import recording_jobs
from tests.web.summary_data import due_day, summarised_directive

IDS = re.compile(r'\bid="([^"]+)"')
FRAGMENT_LINKS = re.compile(r'href="#([^"]+)"')


@pytest.fixture(autouse=True)
def no_jobs() -> Iterator[None]:
    # Publishing queues the index job; nothing here runs it (the data is stored directly).
    with recording_jobs():
        yield


@pytest.fixture
def directive(session: Session, settings: Settings, org: Org) -> Document:
    """Issued by ward W1 for its whole subtree (cells A and B), not for ward W2's cell D."""
    return summarised_directive(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=org.units["W1"],
        audience=[org.units["W1"]],
    )


def block(html: str) -> str:
    start = html.index('<section id="tom-tat"')
    return html[start : html.index("</section>", start)]


def between(html: str, first: str, then: str | None) -> str:
    start = html.index(first)
    return html[start : html.index(then, start) if then else len(html)]


def actor_of(session: Session, org: Org, name: str) -> Actor:
    actor = load_actor(session, org.accounts[name].id)
    assert actor is not None
    return actor


def task_index(session: Session, org: Org, doc: Document, words: str) -> int:
    actor = actor_of(session, org, "sec_a")
    view = summaries_service.document_summary(session, actor=actor, document_id=doc.id)
    return next(t.index for t in view.tasks if words.casefold() in t.text.casefold())


def test_member_reads_cited_points_that_link_to_their_clauses(
    client: TestClient, session: Session, org: Org, directive: Document
) -> None:
    web_login(client, session, org.accounts["mem_a"])
    page = client.get(f"/documents/{directive.id}")
    assert page.status_code == 200
    summary = block(page.text)
    assert "Những điểm chính" in summary and "Đọc nhanh" in summary
    view = summaries_service.document_summary(
        session, actor=actor_of(session, org, "mem_a"), document_id=directive.id
    )
    assert 3 <= len(view.key_points) <= 7 and view.short
    for point in view.key_points:
        assert point.text in summary and f'href="#c-{point.chunk_key}"' in summary
    # Every citation lands on an anchor the text carries, each chunk's own.
    links = FRAGMENT_LINKS.findall(summary)
    assert links and all(link.startswith("c-") for link in links)
    assert set(links) <= set(IDS.findall(page.text))
    # The task of Điều 2, khoản 1 opens that clause's text.
    task = re.search(r'href="#(c-[^"]+)">\(Điều 2, khoản 1\)', summary)
    assert task is not None
    text = page.text[page.text.index('class="doc-text"') :]
    clause = re.search(rf'id="{task.group(1)}"[^>]*>([^<]+)', text)
    assert clause is not None and "tổ chức sinh hoạt thường kỳ" in clause.group(1)
    # A member gives no tasks: no adopt button.
    assert "Giao cho chi bộ" not in summary


def test_cell_secretary_sees_the_cells_tasks_first(
    client: TestClient, session: Session, org: Org, directive: Document
) -> None:
    web_login(client, session, org.accounts["sec_a"])
    summary = block(client.get(f"/documents/{directive.id}").text)
    ours = between(summary, 'id="h-for-us"', 'id="h-other-tasks"')
    others = between(summary, 'id="h-other-tasks"', 'id="h-short"')
    assert "Tổ chức sinh hoạt thường kỳ" in ours
    assert "Gửi báo cáo kết quả thực hiện Chỉ thị" in ours
    assert f"trước ngày {due_day():%d/%m/%Y}" in ours
    assert "ngày 5 hằng tháng" in ours
    assert "Tổng hợp kết quả" in others and "Tổng hợp kết quả" not in ours
    assert summary.index('id="h-for-us"') < summary.index('id="h-other-tasks"')
    assert "Giao cho chi bộ" in ours


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_reader_outside_the_audience_gets_the_missing_documents_404(
    client: TestClient, session: Session, org: Org, directive: Document, method: str
) -> None:
    csrf = web_login(client, session, org.accounts["mem_d"])
    index = task_index(session, org, directive, "Gửi báo cáo")
    answers = []
    for doc_id in (directive.id, 999_999):
        paths = [f"/documents/{doc_id}/summary/tasks/{index}/adopt"]
        if method == "GET":
            paths.append(f"/documents/{doc_id}")
        for path in paths:
            resp = client.request(method, path, headers=csrf, data={"due_date": "2030-01-01"})
            answers.append((resp.status_code, "Không tìm thấy văn bản" in resp.text))
    assert set(answers) == {(404, True)}


def test_secretary_turns_a_task_into_a_unit_task(
    client: TestClient, session: Session, org: Org, directive: Document
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    index = task_index(session, org, directive, "Gửi báo cáo")
    url = f"/documents/{directive.id}/summary/tasks/{index}/adopt"
    form = client.get(url)
    assert form.status_code == 200
    assert f'value="{due_day().isoformat()}"' in form.text  # prefilled from the deadline
    assert "Nguyễn Văn An" in form.text and "Hoàng Thị Dung" not in form.text  # cell A only
    resp = client.post(
        url,
        headers=csrf,
        data={
            "unit_id": str(org.units["A"].id),
            "assignee_member_id": str(org.members["mem_a"].id),
            "due_date": due_day().isoformat(),
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    task = session.scalars(select(Task).where(Task.source_id == directive.id)).one()
    assert task.assignee_member_id == org.members["mem_a"].id
    assert task.source_article == "Điều 2, khoản 2" and task.source_chunk_key
    shown = client.get(resp.headers["location"])
    assert shown.status_code == 200 and "Đã giao nhiệm vụ" in shown.text
    assert f'href="/documents/{directive.id}#c-{task.source_chunk_key}"' in shown.text
    # The clause link lands on the anchor of that chunk in the document's text.
    page = client.get(f"/documents/{directive.id}").text
    assert f'id="c-{task.source_chunk_key}"' in page


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("31/02/2026", "Ngày không hợp lệ"),
        ("2020-01-01", "Hạn hoàn thành không được trước ngày bắt đầu"),
    ],
)
def test_a_bad_date_is_refused_beside_its_field(
    client: TestClient, session: Session, org: Org, directive: Document, due: str, message: str
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    index = task_index(session, org, directive, "Gửi báo cáo")
    resp = client.post(
        f"/documents/{directive.id}/summary/tasks/{index}/adopt",
        headers=csrf,
        data={
            "unit_id": str(org.units["A"].id),
            "assignee_member_id": str(org.members["mem_a"].id),
            "due_date": due,
        },
    )
    assert resp.status_code == 422
    error = re.search(r'<p class="field-error" id="due_date-error-1">([^<]+)</p>', resp.text)
    assert error is not None and message in error.group(1)
    assert 'aria-invalid="true"' in resp.text
    count = select(func.count()).select_from(Task).where(Task.source_id == directive.id)
    assert session.scalar(count) == 0


def test_a_recurring_task_asks_for_a_date(
    client: TestClient, session: Session, org: Org, directive: Document
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    index = task_index(session, org, directive, "sinh hoạt thường kỳ")
    url = f"/documents/{directive.id}/summary/tasks/{index}/adopt"
    assert 'name="due_date" type="date" required value=""' in client.get(url).text
    resp = client.post(
        url,
        headers=csrf,
        data={
            "unit_id": str(org.units["A"].id),
            "assignee_member_id": str(org.members["mem_a"].id),
        },
    )
    assert resp.status_code == 422 and 'id="due_date-error-1"' in resp.text


def test_a_member_may_not_give_tasks(
    client: TestClient, session: Session, org: Org, directive: Document
) -> None:
    csrf = web_login(client, session, org.accounts["mem_a"])
    index = task_index(session, org, directive, "Gửi báo cáo")
    url = f"/documents/{directive.id}/summary/tasks/{index}/adopt"
    assert client.get(url).status_code == 403
    data = {"unit_id": str(org.units["A"].id), "assignee_member_id": str(org.members["mem_a"].id)}
    assert client.post(url, headers=csrf, data=data).status_code == 403


def test_a_summary_task_that_does_not_exist_is_404(
    client: TestClient, session: Session, org: Org, directive: Document
) -> None:
    web_login(client, session, org.accounts["sec_a"])
    assert client.get(f"/documents/{directive.id}/summary/tasks/99/adopt").status_code == 404
    assert client.get(f"/documents/{directive.id}/summary/tasks/x/adopt").status_code in (404, 422)


def test_the_notice_of_a_document_shows_its_first_point(
    client: TestClient, session: Session, org: Org, directive: Document
) -> None:
    web_login(client, session, org.accounts["mem_a"])
    inbox = client.get("/notifications").text
    notice = between(inbox, f'href="/documents/{directive.id}"', "</li>")
    view = summaries_service.document_summary(
        session, actor=actor_of(session, org, "mem_a"), document_id=directive.id
    )
    lead = re.search(r'<p class="lead">.*?</span> ([^<]+)</p>', notice)
    assert lead is not None and lead.group(1) == view.key_points[0].text


def test_home_shows_an_unread_documents_first_point(
    client: TestClient, session: Session, org: Org, directive: Document
) -> None:
    web_login(client, session, org.accounts["mem_a"])
    home = client.get("/").text
    item = between(home, f'href="/documents/{directive.id}"', "</li>")
    view = summaries_service.document_summary(
        session, actor=actor_of(session, org, "mem_a"), document_id=directive.id
    )
    assert f'<span class="lead">{view.key_points[0].text}</span>' in item


def test_the_block_says_when_the_summary_is_not_there(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    web_login(client, session, org.accounts["mem_a"])
    doc = make_document(
        session, settings, by=org.accounts["sec_a"], unit=org.units["A"], audience=[org.units["A"]]
    )
    draft = client.get(f"/documents/{doc.id}")
    assert draft.status_code in (200, 404) and 'id="tom-tat"' not in draft.text
    published = make_document(
        session,
        settings,
        by=org.accounts["sec_a"],
        unit=org.units["A"],
        audience=[org.units["A"]],
        publish=True,
    )
    # Published, not yet indexed: the index job queues the summary.
    assert "Đang tóm tắt…" in block(client.get(f"/documents/{published.id}").text)
    version_id = documents_service.versions_of(session, published.id)[-1].id
    session.add(
        DocumentSummaryRow(
            document_id=published.id,
            version_id=version_id,
            status=SummaryStatus.failed.value,
            error="x",
        )
    )
    session.flush()
    failed = client.get(f"/documents/{published.id}")
    assert failed.status_code == 200
    assert "Không tóm tắt được văn bản này" in block(failed.text)
