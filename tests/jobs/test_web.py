"""Job web pages: the report form, the live job page and its progress fragment."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts import service as accounts_service
from app.core.config import AuthSettings
from app.core.deps import SESSION_COOKIE
from app.jobs.models import JobStatus
from tests.factories.jobs import make_job
from tests.factories.org import Org
from tests.jobs.fakes import RecordingDispatcher

REPORT_RESULT = {
    "unit": {"id": 1, "code": "W1", "name": "Đảng ủy phường Bến Nghé", "depth": 1},
    "as_of": "2026-06-01",
    "rating_year": 2025,
    "units_counted": 2,
    "rows": [
        {
            "unit_id": 2,
            "code": "A",
            "name": "Chi bộ Khu phố 1",
            "kind": "cell",
            "depth": 1,
            "total": 3,
            "current": 3,
            "status": {"active": 3},
            "gender": {"female": 1, "male": 2},
            "age": {"ge70": 1, "50_59": 2},
            "party_age": {"ge40": 1, "10_19": 2},
            "rating": {"HTXSNV": 1, "none": 2},
        }
    ],
    "totals": {
        "total": 3,
        "current": 3,
        "status": {"active": 3},
        "gender": {"female": 1, "male": 2},
        "age": {"ge70": 1, "50_59": 2},
        "party_age": {"ge40": 1, "10_19": 2},
        "rating": {"HTXSNV": 1, "none": 2},
    },
}


def sign_in(client: TestClient, session: Session, org: Org, name: str) -> str:
    secret, row = accounts_service.issue_token(
        session, AuthSettings(), account=org.accounts[name], kind="session", ip="test"
    )
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, secret)
    return row.csrf_token


def test_anonymous_is_sent_to_login(client: TestClient) -> None:
    resp = client.get("/jobs", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login?next=/jobs")


def test_report_form_starts_a_job_and_redirects(
    client: TestClient, session: Session, org: Org, dispatcher: RecordingDispatcher
) -> None:
    csrf = sign_in(client, session, org, "staff_w1")
    page = client.get("/jobs")
    assert page.status_code == 200
    assert "Lập báo cáo thống kê" in page.text
    assert org.units["B"].name in page.text and org.units["D"].name not in page.text
    resp = client.post(
        "/jobs",
        data={"unit_id": org.units["A"].id, "csrf_token": csrf, "idempotency_key": "form-1"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    job_url = resp.headers["location"]
    # A double click posts the same form key again: still one job.
    again = client.post(
        "/jobs",
        data={"unit_id": org.units["A"].id, "csrf_token": csrf, "idempotency_key": "form-1"},
        follow_redirects=False,
    )
    assert again.headers["location"] == job_url
    detail = client.get(job_url)
    assert detail.status_code == 200
    assert "<progress" in detail.text and 'aria-live="polite"' in detail.text
    assert f'hx-get="{job_url}/progress"' in detail.text
    listing = client.get("/jobs")
    assert job_url in listing.text


def test_member_gets_no_form_and_cannot_post(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = sign_in(client, session, org, "mem_a")
    page = client.get("/jobs")
    assert page.status_code == 200 and 'action="/jobs"' not in page.text
    resp = client.post("/jobs", data={"unit_id": org.units["A"].id, "csrf_token": csrf})
    assert resp.status_code == 403


def test_progress_fragment_polls_while_running(
    client: TestClient, session: Session, org: Org
) -> None:
    job = make_job(
        session,
        kind="units.report",
        unit=org.units["A"],
        owner=org.accounts["sec_a"],
        status=JobStatus.running,
        params={},
    )
    job.progress, job.message = 40, "Chi bộ Khu phố 1"
    session.flush()
    sign_in(client, session, org, "sec_a")
    resp = client.get(f"/jobs/{job.id}/progress", headers={"HX-Request": "true"})
    assert resp.status_code == 200
    assert 'value="40"' in resp.text and "Chi bộ Khu phố 1" in resp.text
    assert "job-result" not in resp.text


def test_finished_job_stops_polling_and_shows_tables(
    client: TestClient, session: Session, org: Org
) -> None:
    job = make_job(
        session,
        kind="units.report",
        unit=org.units["W1"],
        owner=org.accounts["staff_w1"],
        status=JobStatus.succeeded,
        params={},
    )
    job.progress, job.result = 100, REPORT_RESULT
    session.flush()
    sign_in(client, session, org, "staff_w1")
    fragment = client.get(f"/jobs/{job.id}/progress", headers={"HX-Request": "true"})
    assert fragment.status_code == 286
    assert 'hx-swap-oob="true"' in fragment.text and "Theo độ tuổi" in fragment.text
    page = client.get(f"/jobs/{job.id}")
    assert page.status_code == 200 and '/progress" hx-trigger' not in page.text
    assert "Chi bộ Khu phố 1" in page.text and "Hoàn thành xuất sắc nhiệm vụ" in page.text
    assert 'class="responsive report-table"' in page.text
    english = client.get(f"/jobs/{job.id}?lang=en")
    assert "By age" in english.text


def test_failed_job_shows_its_error(client: TestClient, session: Session, org: Org) -> None:
    job = make_job(
        session,
        unit=org.units["C"],
        owner=org.accounts["admin"],
        status=JobStatus.failed,
    )
    job.error = "Lỗi thử nghiệm theo yêu cầu"
    session.flush()
    sign_in(client, session, org, "admin")
    page = client.get(f"/jobs/{job.id}")
    assert "Lỗi thử nghiệm theo yêu cầu" in page.text
    assert '/progress" hx-trigger' not in page.text


def test_member_of_another_cell_gets_404(client: TestClient, session: Session, org: Org) -> None:
    job = make_job(
        session, kind="units.report", unit=org.units["A"], owner=org.accounts["sec_a"], params={}
    )
    sign_in(client, session, org, "mem_b")
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(f"/jobs/{job.id}/progress").status_code == 404
