"""Account administration (issue 17): accounts with one-time codes, activation, deactivation,
unlocking, reset by a new code, and the admin's scope."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import service_codes
from app.accounts.models import Account, AccountCode, Role
from app.core.audit import AuditLog
from app.core.db import utcnow
from tests.factories.accounts import PASSWORD, bearer, make_account
from tests.factories.members import make_member
from tests.factories.org import Org

NEW_PASSWORD = "mat-khau-rieng-2026"


def _admin(session: Session, org: Org) -> dict[str, str]:
    return bearer(session, org.accounts["admin"])


def ward_admin(session: Session, org: Org) -> Account:
    """An admin of ward W1 only (committee_admin): manages W1, A, A1 and B, not W2 or D."""
    return make_account(session, "admin_w1", role=Role.committee_admin, unit=org.units["W1"])


def _create(client: TestClient, headers: dict[str, str], **body: object) -> dict:  # type: ignore[type-arg]
    resp = client.post("/api/v1/accounts", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _activate(client: TestClient, username: str, code: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/activate",
        json={"username": username, "code": code, "new_password": password},
    )


def _login(client: TestClient, username: str, password: str = NEW_PASSWORD) -> int:
    resp = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    return resp.status_code


def test_username_is_suggested_from_the_name_in_ascii_and_unique(
    session: Session, org: Org
) -> None:
    assert service_codes.suggest_username(session, name="Lê Văn Tổ") == "tolv"
    assert service_codes.suggest_username(session, name="Đặng Thị Ánh") == "anhdt"
    make_account(session, "anhdt")
    assert service_codes.suggest_username(session, name="Đặng Thị Ánh") == "anhdt2"


def test_codes_are_short_readable_and_typed_either_way() -> None:
    code = service_codes.new_code()
    assert len(code) == 9 and code[4] == "-"
    assert not set(code.replace("-", "")) & set("01ILO")
    assert service_codes.code_form(f" {code.lower()} ") == code.replace("-", "")


def test_office_creates_a_members_account_and_the_member_activates_it(
    client: TestClient, session: Session, org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    out = _create(client, _admin(session, org), member_id=org.members["mem_a1"].id)
    code, username = out["code"], out["account"]["username"]
    assert username == "tolv"
    assert out["account"]["state"] == "awaiting_code"
    assert out["account"]["member_id"] == org.members["mem_a1"].id
    # Only a hash is stored, and no password works before activation.
    row = session.scalar(
        select(AccountCode)
        .where(AccountCode.code_hash.is_not(None))
        .order_by(AccountCode.id.desc())
    )
    assert (
        row is not None and code not in row.code_hash and code.replace("-", "") not in row.code_hash
    )
    assert _login(client, username, "") in (401, 422)

    assert _activate(client, username, "ABCD-EFGH").status_code == 401
    # Typed in lower case without the dash, as people copy it.
    assert _activate(client, username, code.replace("-", "").lower()).status_code == 204
    assert _login(client, username) == 200
    # Single use: the same code does nothing a second time.
    assert _activate(client, username, code, "mat-khau-khac-999").status_code == 401
    assert _login(client, username, "mat-khau-khac-999") == 401

    # The code is in no log record and no audit row.
    raw = code.replace("-", "")
    for record in caplog.records:
        text = record.getMessage()
        assert code not in text and raw not in text
    details = [json.dumps(r.detail) for r in session.scalars(select(AuditLog))]
    assert not any(code in d or raw in d for d in details)
    actions = set(session.scalars(select(AuditLog.action)))
    assert {"account.created", "account.code_issued", "account.activated"} <= actions


def test_activation_keeps_the_password_rules(
    client: TestClient, session: Session, org: Org
) -> None:
    out = _create(client, _admin(session, org), member_id=org.members["mem_a1"].id)
    resp = _activate(client, out["account"]["username"], out["code"], "1111111111")
    assert resp.status_code == 422
    # A refused password does not spend the code.
    assert _activate(client, out["account"]["username"], out["code"]).status_code == 204


def test_an_expired_code_does_not_work(client: TestClient, session: Session, org: Org) -> None:
    out = _create(client, _admin(session, org), member_id=org.members["mem_a1"].id)
    for row in session.scalars(select(AccountCode)):
        row.expires_at = utcnow() - timedelta(minutes=1)
    session.flush()
    assert _activate(client, out["account"]["username"], out["code"]).status_code == 401
    listed = client.get("/api/v1/accounts", params={"q": "tolv"}, headers=_admin(session, org))
    assert [a["state"] for a in listed.json()] == ["code_expired"]


def test_staff_account_without_a_member(client: TestClient, session: Session, org: Org) -> None:
    out = _create(
        client,
        _admin(session, org),
        unit_id=org.units["W1"].id,
        display_name="Ngô Thị Văn Phòng",
    )
    assert out["account"]["username"] == "phongntv"
    assert out["account"]["member_id"] is None
    missing = client.post(
        "/api/v1/accounts", json={"display_name": "Ai Đó"}, headers=_admin(session, org)
    )
    assert missing.status_code == 422


def test_a_member_has_one_account(client: TestClient, session: Session, org: Org) -> None:
    resp = client.post(
        "/api/v1/accounts",
        json={"member_id": org.members["mem_a"].id},
        headers=_admin(session, org),
    )
    assert resp.status_code == 409


def test_reset_is_a_new_code_and_the_old_password_stops(
    client: TestClient, session: Session, org: Org
) -> None:
    target = org.accounts["mem_a"]
    old_token = bearer(session, target)
    first = client.post(f"/api/v1/accounts/{target.id}/code", headers=_admin(session, org))
    second = client.post(f"/api/v1/accounts/{target.id}/code", headers=_admin(session, org))
    assert first.status_code == second.status_code == 200
    assert first.json()["code"] != second.json()["code"]
    assert "password" not in json.dumps(second.json()).lower()
    assert _login(client, "mem_a", PASSWORD) == 401
    assert client.get("/api/v1/auth/me", headers=old_token).status_code == 401
    # Only the newest code works.
    assert _activate(client, "mem_a", first.json()["code"]).status_code == 401
    assert _activate(client, "mem_a", second.json()["code"]).status_code == 204
    assert _login(client, "mem_a") == 200
    assert "account.activated" in set(session.scalars(select(AuditLog.action)))


def test_deactivate_and_reactivate(client: TestClient, session: Session, org: Org) -> None:
    admin = _admin(session, org)
    target = org.accounts["mem_a"]
    resp = client.post(f"/api/v1/accounts/{target.id}/deactivate", headers=admin)
    assert resp.status_code == 200 and resp.json()["state"] == "deactivated"
    assert _login(client, "mem_a", PASSWORD) == 401
    resp = client.post(f"/api/v1/accounts/{target.id}/reactivate", headers=admin)
    assert resp.json()["state"] == "active"
    assert _login(client, "mem_a", PASSWORD) == 200
    own = client.post(f"/api/v1/accounts/{org.accounts['admin'].id}/deactivate", headers=admin)
    assert own.status_code == 403


def test_unlock_clears_the_sign_in_delays(client: TestClient, session: Session, org: Org) -> None:
    for _ in range(8):
        _login(client, "mem_a", "sai-mat-khau")
    assert _login(client, "mem_a", PASSWORD) == 429
    admin = _admin(session, org)
    target = org.accounts["mem_a"]
    assert client.get(f"/api/v1/accounts/{target.id}", headers=admin).json()["state"] == "locked"
    resp = client.post(f"/api/v1/accounts/{target.id}/unlock", headers=admin)
    assert resp.status_code == 200 and resp.json()["state"] == "active"
    assert _login(client, "mem_a", PASSWORD) == 200
    listed = client.get("/api/v1/accounts", params={"q": "mem_a"}, headers=admin).json()
    assert listed[0]["last_login_at"] is not None


def test_list_and_actions_stay_in_the_admins_scope(
    client: TestClient, session: Session, org: Org
) -> None:
    headers = bearer(session, ward_admin(session, org))
    names = {a["username"] for a in client.get("/api/v1/accounts", headers=headers).json()}
    assert {"mem_a", "sec_a", "mem_b", "sec_b", "staff_w1"} <= names
    assert not names & {"mem_d", "admin", "auditor"}
    # Outside the scope an account answers as if it did not exist.
    hidden = org.accounts["mem_d"].id
    for path in ("", "/code", "/deactivate", "/unlock", "/grants"):
        method = "GET" if path in ("", "/grants") else "POST"
        resp = client.request(method, f"/api/v1/accounts/{hidden}{path}", headers=headers)
        missing = client.request(method, f"/api/v1/accounts/1999999999{path}", headers=headers)
        assert resp.status_code == missing.status_code == 404
        assert resp.json() == missing.json()
    d = make_member(session, org.units["D"], "Phan Văn Xa")
    resp = client.post("/api/v1/accounts", json={"member_id": d.id}, headers=headers)
    assert resp.status_code == 404
    by_unit = client.get(
        "/api/v1/accounts", params={"unit_id": org.units["B"].id}, headers=headers
    ).json()
    assert {a["username"] for a in by_unit} == {"mem_b", "sec_b"}
    # Staff without account.manage may not administer accounts at all.
    staff = bearer(session, org.accounts["staff_w1"])
    assert client.get("/api/v1/accounts", headers=staff).status_code == 403
