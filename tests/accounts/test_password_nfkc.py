"""Passwords are NFKC-normalised (NIST SP 800-63B): set in one form, typed in another, they match."""

from __future__ import annotations

import unicodedata

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core import security
from tests.factories.accounts import make_account

NFC = "Mật khẩu Đảng viên 2025"
NFD = unicodedata.normalize("NFD", NFC)


def test_the_two_forms_differ_as_bytes() -> None:
    assert NFC != NFD and unicodedata.normalize("NFKC", NFD) == NFC


def test_hash_of_either_form_verifies_the_other() -> None:
    for stored, typed in ((NFC, NFD), (NFD, NFC), (NFC, NFC), ("ｆｕｌｌ-width1", "full-width1")):
        assert security.verify_password(security.hash_password(stored), typed)
    assert not security.verify_password(security.hash_password(NFC), NFC + " ")


def test_hash_made_before_normalising_still_verifies() -> None:
    """Hashes of the string as sent (before this change) verify for that string, as before:
    an NFC one whatever form is typed now, any other one for its own exact form."""
    legacy_nfc = security._hasher.hash(NFC)
    assert security.verify_password(legacy_nfc, NFD)
    legacy_nfd = security._hasher.hash(NFD)
    assert security.verify_password(legacy_nfd, NFD)
    assert not security.verify_password(legacy_nfd, "something else")


def test_api_login_with_the_decomposed_form(client: TestClient, session: Session) -> None:
    make_account(session, "nfkc_api", password=NFC)
    resp = client.post("/api/v1/auth/token", data={"username": "nfkc_api", "password": NFD})
    assert resp.status_code == 200, resp.text


def test_web_login_with_the_decomposed_form(client: TestClient, session: Session) -> None:
    make_account(session, "nfkc_web", password=NFC)
    client.get("/login")
    csrf = client.cookies.get("sotay_csrf")
    resp = client.post(
        "/login",
        data={"username": "nfkc_web", "password": NFD, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text


def test_password_changed_in_one_form_is_typed_in_the_other(
    client: TestClient, session: Session
) -> None:
    make_account(session, "nfkc_change", password="matkhau-cu-123")
    token = client.post(
        "/api/v1/auth/token", data={"username": "nfkc_change", "password": "matkhau-cu-123"}
    ).json()["access_token"]
    resp = client.post(
        "/api/v1/auth/password",
        headers={"Authorization": f"Bearer {token}"},
        json={"old_password": "matkhau-cu-123", "new_password": NFD},
    )
    assert resp.status_code == 204, resp.text
    resp = client.post("/api/v1/auth/token", data={"username": "nfkc_change", "password": NFC})
    assert resp.status_code == 200, resp.text
