"""Task and report pages: my tasks, the unit board with assignment and batch grading, the report."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.tasks.models import Task, TaskStatus
from tests.factories.org import Org
from tests.factories.tasks import make_task
from tests.factories.transfers import web_login


def test_anonymous_is_sent_to_login(client: TestClient, org: Org) -> None:
    resp = client.get("/tasks/mine", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/login?next=/tasks/mine"


def test_member_starts_and_completes_from_my_tasks(
    client: TestClient, session: Session, org: Org
) -> None:
    task = make_task(session, org.units["A"], org.members["mem_a"], description="Thu đảng phí")
    csrf = web_login(client, session, org.accounts["mem_a"])
    page = client.get("/tasks/mine")
    assert page.status_code == 200 and "Thu đảng phí" in page.text
    assert 'href="/tasks/mine"' in page.text  # the nav link
    assert client.post(f"/tasks/{task.id}/start", headers=csrf).status_code == 200
    assert client.post(f"/tasks/{task.id}/complete", headers=csrf).status_code == 200
    session.refresh(task)
    assert task.status == "done"
    # Twice is a conflict, shown as an error page rather than a silent success.
    assert client.post(f"/tasks/{task.id}/complete", headers=csrf).status_code == 409
    assert client.get("/units/{}/tasks".format(org.units["A"].id)).status_code == 403


def test_secretary_assigns_and_grades_in_one_batch(
    client: TestClient, session: Session, org: Org
) -> None:
    unit = org.units["A"]
    csrf = web_login(client, session, org.accounts["sec_a"])
    board = client.get(f"/units/{unit.id}/tasks")
    assert board.status_code == 200 and "Giao nhiệm vụ mới" in board.text
    form = {
        "assignee_member_id": str(org.members["mem_a"].id),
        "description": "Vận động nhân dân hiến đất làm đường",
        "start_date": "2026-03-01",
        "due_date": "2026-02-01",
    }
    bad = client.post(f"/units/{unit.id}/tasks", headers=csrf, data=form)
    assert bad.status_code == 422 and "Hạn hoàn thành không được trước ngày bắt đầu" in bad.text
    form["due_date"] = "2026-04-01"
    resp = client.post(f"/units/{unit.id}/tasks", headers=csrf, data=form)
    assert resp.status_code == 200 and "Vận động nhân dân" in resp.text

    t1 = make_task(session, unit, org.members["mem_a"], status=TaskStatus.done)
    t2 = make_task(session, unit, org.members["sec_a"], status=TaskStatus.done)
    board = client.get(f"/units/{unit.id}/tasks")
    assert f'name="grade_{t1.id}"' in board.text and f'name="grade_{t2.id}"' in board.text
    data = {f"grade_{t1.id}": "XS", f"note_{t1.id}": "Rất tốt", f"grade_{t2.id}": "HT"}
    resp = client.post(f"/units/{unit.id}/tasks/grade", headers=csrf, data=data)
    assert resp.status_code == 200, resp.text
    grades = dict(session.execute(select(Task.id, Task.grade).where(Task.grade.is_not(None))).all())
    assert grades == {t1.id: "XS", t2.id: "HT"}


def test_report_page_has_export_links(client: TestClient, session: Session, org: Org) -> None:
    make_task(
        session,
        org.units["A"],
        org.members["mem_a"],
        start_date=date(2026, 1, 1),
        due_date=date(2026, 1, 31),
    )
    web_login(client, session, org.accounts["staff_w1"])
    page = client.get(f"/units/{org.units['A'].id}/report")
    assert page.status_code == 200
    assert f"/api/v1/reports/units/{org.units['A'].id}/export?" in page.text
    assert "format=xlsx" in page.text and "format=csv" in page.text
    web_login(client, session, org.accounts["mem_b"])
    assert client.get(f"/units/{org.units['A'].id}/report").status_code == 404


def test_officers_find_their_boards_from_my_tasks(
    client: TestClient, session: Session, org: Org
) -> None:
    web_login(client, session, org.accounts["staff_w1"])
    page = client.get("/tasks/mine")
    assert page.status_code == 200
    assert f'href="/units/{org.units["W1"].id}/tasks"' in page.text
    assert f'href="/units/{org.units["W1"].id}/report"' in page.text
    web_login(client, session, org.accounts["mem_a"])
    assert "/report" not in client.get("/tasks/mine").text
