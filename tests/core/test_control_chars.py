"""Control characters in text input are a 422 at the boundary.

PostgreSQL cannot store NUL: `{"body": "\\u0000"}` on a feedback thread, or `?q=%00`, reached
the driver and answered 500. XML (XLSX, DOCX) cannot carry the other C0 controls either.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from app.core.text import NameStr, NFCStr
from tests.factories.accounts import bearer
from tests.factories.feedback import make_idea
from tests.factories.org import Org


@pytest.mark.parametrize("bad", ["\x00", "a\x00b", "x\x1by", "\x07", "\x7f"])
def test_text_types_refuse_control_characters(bad: str) -> None:
    for kind in (NFCStr, NameStr):
        with pytest.raises(ValidationError):
            TypeAdapter(kind).validate_python(bad)


def test_text_types_keep_tabs_and_newlines() -> None:
    assert TypeAdapter(NFCStr).validate_python(" dòng 1\r\ndòng\t2 ") == "dòng 1\r\ndòng\t2"


def test_nul_in_a_json_body_is_422(client: TestClient, session: Session, org: Org) -> None:
    thread = make_idea(session, org.members["mem_a"])
    h = bearer(session, org.accounts["mem_a"])
    resp = client.post(f"/api/v1/feedback/{thread.id}/posts", json={"body": "\x00"}, headers=h)
    assert resp.status_code == 422, resp.text


@pytest.mark.parametrize(
    "path", ["/api/v1/members?q=%00", "/api/v1/units?q=a%00", "/api/v1/jobs?kind=%00"]
)
def test_nul_in_a_query_is_422(client: TestClient, session: Session, org: Org, path: str) -> None:
    resp = client.get(path, headers=bearer(session, org.accounts["admin"]))
    assert resp.status_code == 422, resp.text


def test_nul_in_a_login_name_is_422(client: TestClient) -> None:
    resp = client.post("/api/v1/auth/token", data={"username": "ad\x00min", "password": "x"})
    assert resp.status_code == 422, resp.text
