"""Member import over the API and the web form, including limits and denials."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service as accounts_service
from app.accounts.models import Account
from app.core.config import AuthSettings, ImportSettings, Settings
from app.core.db import Database
from app.core.deps import SESSION_COOKIE
from app.main import create_app
from app.members.models import Member
from tests.conftest import bind_session
from tests.factories.accounts import bearer
from tests.factories.imports import csv_bytes, person, xlsx_bytes
from tests.factories.org import Org

URL = "/api/v1/imports/members"


def members(session: Session) -> int:
    return session.scalar(select(func.count(Member.id))) or 0


def upload(data: bytes, name: str = "ds.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, data, "application/octet-stream")}


def web_login(client: TestClient, session: Session, account: Account) -> str:
    """Sign in with a session cookie; returns the CSRF token for forms."""
    secret, row = accounts_service.issue_token(
        session, AuthSettings(), account=account, kind="session", ip="test"
    )
    client.cookies.set(SESSION_COOKIE, secret)
    return row.csrf_token


def test_admin_imports_csv_and_xlsx(client: TestClient, session: Session, org: Org) -> None:
    headers = bearer(session, org.accounts["admin"])
    resp = client.post(URL, headers=headers, files=upload(csv_bytes([person(1), person(2)])))
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rows": 2,
        "dry_run": False,
        "errors": [],
    }
    data = xlsx_bytes([person(3, unit=None)])
    resp = client.post(
        URL,
        headers=headers,
        files=upload(data, "khong-duoi"),  # the name says nothing; the content decides
        data={"unit_id": str(org.units["B"].id), "dry_run": "true"},
    )
    assert resp.status_code == 200, resp.text
    assert (resp.json()["created"], resp.json()["dry_run"]) == (1, True)


def test_bad_row_answers_422_with_row_and_column_and_writes_nothing(
    client: TestClient, session: Session, org: Org
) -> None:
    before = members(session)
    data = csv_bytes([person(4), person(5, official="01/01/2000"), person(6)])
    resp = client.post(URL, headers=bearer(session, org.accounts["admin"]), files=upload(data))
    assert resp.status_code == 422
    assert resp.json()["errors"] == [
        {"row": 3, "column": "Ngày chính thức", "message": "Ngày chính thức phải sau ngày vào Đảng"}
    ]
    assert members(session) == before


def test_errors_are_translated_for_english_callers(
    client: TestClient, session: Session, org: Org
) -> None:
    data = csv_bytes([person(7, cccd="123")])
    headers = {**bearer(session, org.accounts["admin"]), "Accept-Language": "en"}
    resp = client.post(URL, headers=headers, files=upload(data))
    message = resp.json()["errors"][0]["message"]
    assert "12" in message and "citizen ID" in message


def test_non_importers_are_refused(client: TestClient, session: Session, org: Org) -> None:
    data = csv_bytes([person(8)])
    assert client.post(URL, files=upload(data)).status_code == 401
    for name in ("mem_a", "sec_a", "auditor"):
        resp = client.post(URL, headers=bearer(session, org.accounts[name]), files=upload(data))
        assert resp.status_code == 403, name
    # Ward staff: a unit outside the subtree is not even visible.
    resp = client.post(
        URL,
        headers=bearer(session, org.accounts["staff_w1"]),
        files=upload(csv_bytes([person(9, unit=None)])),
        data={"unit_id": str(org.units["D"].id)},
    )
    assert resp.status_code == 404


def test_bad_options_and_missing_file(client: TestClient, session: Session, org: Org) -> None:
    headers = bearer(session, org.accounts["admin"])
    data = csv_bytes([person(10)])
    assert client.post(URL, headers=headers, data={"x": "1"}).status_code == 422
    bad = {"on_duplicate": "merge"}
    assert client.post(URL, headers=headers, files=upload(data), data=bad).status_code == 422
    bad = {"unit_id": "abc"}
    assert client.post(URL, headers=headers, files=upload(data), data=bad).status_code == 422


@pytest.mark.parametrize(
    "data",
    [
        {"x": "1"},  # no file
        {"unit_id": "²"},  # a digit to str.isdigit(), not to int()
        {"unit_id": "99999999999999999999"},  # more than any id
        {"dry_run": "maybe"},
    ],
)
def test_every_422_has_the_documented_errors_list(
    client: TestClient, session: Session, org: Org, data: dict[str, str]
) -> None:
    files = None if "x" in data else upload(csv_bytes([person(10)]))
    resp = client.post(URL, headers=bearer(session, org.accounts["admin"]), files=files, data=data)
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["error"] == "invalid" and body["errors"][0]["message"] == body["message"]


def test_zip_that_is_not_a_workbook_is_422(client: TestClient, session: Session, org: Org) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    resp = client.post(
        URL, headers=bearer(session, org.accounts["admin"]), files=upload(buffer.getvalue())
    )
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["row"] is None


@pytest.fixture
def small_client(settings: Settings, database: Database, session: Session) -> Iterator[TestClient]:
    """An app whose import limit is a few hundred bytes."""
    small = settings.model_copy(update={"imports": ImportSettings(max_bytes=300)})
    application = bind_session(create_app(small, database), session)
    with TestClient(application) as c:
        yield c


def test_oversize_upload_is_413(small_client: TestClient, session: Session, org: Org) -> None:
    data = csv_bytes([person(n) for n in range(20)])
    resp = small_client.post(
        URL, headers=bearer(session, org.accounts["admin"]), files=upload(data)
    )
    assert resp.status_code == 413
    assert "MB" in resp.json()["message"]


# --- web ---------------------------------------------------------------------------------


def test_web_upload_by_an_admin(client: TestClient, session: Session, org: Org) -> None:
    csrf = web_login(client, session, org.accounts["admin"])
    page = client.get("/imports/members")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and org.units["A"].name in page.text
    # A plain browser form: the CSRF token travels as a form field, next to the file.
    resp = client.post(
        "/imports/members",
        data={"csrf_token": csrf, "on_duplicate": "refuse", "unit_id": ""},
        files=upload(csv_bytes([person(11), person(12)])),
    )
    assert resp.status_code == 200, resp.text
    assert "Đã nhập xong" in resp.text
    assert session.scalar(select(Member).where(Member.dossier_number == "NK00012")) is not None


def test_web_upload_shows_the_error_table(client: TestClient, session: Session, org: Org) -> None:
    csrf = web_login(client, session, org.accounts["staff_w1"])
    resp = client.post(
        "/imports/members",
        data={"csrf_token": csrf},
        files=upload(csv_bytes([person(13), person(14, unit="D")])),
    )
    assert resp.status_code == 422
    assert 'data-label="Dòng">3<' in resp.text and "Mã chi bộ" in resp.text
    assert "Tệp có lỗi nên chưa nhập dòng nào" in resp.text


def test_web_rejected_file_is_shown_not_crashed(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["admin"])
    resp = client.post("/imports/members", data={"csrf_token": csrf}, files=upload(b"%PDF-1.4"))
    assert resp.status_code == 422
    assert "không được hỗ trợ" in resp.text


def test_web_denies_members_and_sends_anonymous_to_login(
    client: TestClient, session: Session, org: Org
) -> None:
    resp = client.get("/imports/members", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login")
    csrf = web_login(client, session, org.accounts["mem_a"])
    assert client.get("/imports/members").status_code == 403
    resp = client.post(
        "/imports/members", data={"csrf_token": csrf}, files=upload(csv_bytes([person(15)]))
    )
    assert resp.status_code == 403
    # Without the CSRF token even an admin's cookie is not enough.
    web_login(client, session, org.accounts["admin"])
    resp = client.post("/imports/members", files=upload(csv_bytes([person(16)])))
    assert resp.status_code == 403


def test_home_page_offers_the_import_to_importers_only(
    client: TestClient, session: Session, org: Org
) -> None:
    web_login(client, session, org.accounts["staff_w1"])
    assert 'href="/imports/members"' in client.get("/").text
    web_login(client, session, org.accounts["sec_a"])
    assert 'href="/imports/members"' not in client.get("/").text
