"""Uploads: good files of each format are stored by hash; every bad file is a clear 4xx and leaves
no rows and no files behind."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.documents.models import Document, DocumentVersion
from tests.factories.accounts import bearer
from tests.factories.documents import docx_bytes, pdf_bytes, stored_files, zip_bomb_docx
from tests.factories.org import Org


def _fields(org: Org, **extra: Any) -> dict[str, str]:
    return {
        "unit_id": str(org.units["W1"].id),
        "kind": "chi_thi",
        "title": "Về tăng cường công tác xây dựng Đảng",
        "number": "50-CT/TW",
        "issued_on": "2026-01-05",
        **extra,
    }


def _upload(
    client: TestClient, session: Session, org: Org, name: str, data: bytes, **extra: Any
) -> Any:
    return client.post(
        "/api/v1/documents",
        headers=bearer(session, org.accounts["staff_w1"]),
        data=_fields(org, **extra),
        files={"file": (name, data, "application/octet-stream")},
    )


def _counts(session: Session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count()).select_from(Document)) or 0,
        session.scalar(select(func.count()).select_from(DocumentVersion)) or 0,
    )


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("chi-thi.pdf", pdf_bytes(2), "application/pdf"),
        ("chi-thi.docx", docx_bytes(), "wordprocessingml"),
        ("ghi-chu.txt", "Chỉ thị số 50\n".encode(), "text/plain"),
        ("ghi-chu.md", "# Chỉ thị\n\n- một\n".encode(), "text/markdown"),
        ("trang.html", b"<!DOCTYPE html><html><body>Chi bo</body></html>", "text/html"),
    ],
)
def test_good_files_are_stored_by_hash(
    client: TestClient,
    session: Session,
    org: Org,
    settings: Settings,
    name: str,
    data: bytes,
    mime: str,
) -> None:
    resp = _upload(client, session, org, name, data)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["number"] == "50-CT/TW" and body["status"] == "draft"
    version = body["versions"][0]
    assert mime in version["mime"] and version["size"] == len(data)
    sha = version["sha256"]
    path = settings.files_dir / "documents" / sha[:2] / sha[2:4] / sha
    assert path.read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("rong.pdf", b"", 422),
        ("cut.pdf", pdf_bytes(3)[:-400], 422),
        ("khoa.pdf", pdf_bytes(1, password="bi-mat"), 422),
        ("bom.docx", zip_bomb_docx(), 422),
        ("gia.pdf", docx_bytes(), 415),
        ("gia.docx", pdf_bytes(1), 415),
        ("anh.txt", b"\x89PNG\r\n\x1a\n\x00\x00binary", 415),
        ("latin1.txt", "Chi bo ph\xe9".encode("latin-1"), 422),
        ("script.exe", b"MZ\x90\x00", 415),
        ("khong-phai.html", b"just text", 415),
        ("thieu.docx", b"PK\x03\x04 not really a zip", 422),
    ],
)
def test_bad_files_leave_nothing(
    client: TestClient,
    session: Session,
    org: Org,
    settings: Settings,
    name: str,
    data: bytes,
    status: int,
) -> None:
    before_rows, before_files = _counts(session), stored_files(settings)
    resp = _upload(client, session, org, name, data)
    assert resp.status_code == status, resp.text
    assert resp.json()["message"]
    assert _counts(session) == before_rows
    assert stored_files(settings) == before_files


def test_over_size_limit_is_413_and_leaves_nothing(
    client: TestClient,
    session: Session,
    org: Org,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.documents, "max_bytes", 1000)
    before_rows, before_files = _counts(session), stored_files(settings)
    resp = _upload(client, session, org, "lon.txt", b"a" * 5000)
    assert resp.status_code == 413
    assert _counts(session) == before_rows
    assert stored_files(settings) == before_files


def test_bad_metadata_leaves_nothing(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    before_files = stored_files(settings)
    resp = _upload(client, session, org, "a.txt", b"noi dung moi 1", number="khong hop le")
    assert resp.status_code == 422
    assert stored_files(settings) == before_files


def test_member_cannot_upload_and_secretary_cannot_issue_for_ward(
    client: TestClient, session: Session, org: Org
) -> None:
    resp = client.post(
        "/api/v1/documents",
        headers=bearer(session, org.accounts["mem_a"]),
        data=_fields(org),
        files={"file": ("a.txt", b"x", "text/plain")},
    )
    assert resp.status_code == 403
    resp = client.post(
        "/api/v1/documents",
        headers=bearer(session, org.accounts["sec_a"]),
        data=_fields(org),
        files={"file": ("a.txt", b"x", "text/plain")},
    )
    assert resp.status_code == 404  # W1 is outside the secretary's view


def test_versions_are_kept(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    doc = _upload(client, session, org, "v1.txt", b"ban thu nhat").json()
    resp = client.post(
        f"/api/v1/documents/{doc['id']}/versions",
        headers=bearer(session, org.accounts["staff_w1"]),
        files={"file": ("v2.pdf", pdf_bytes(1), "application/pdf")},
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["version_no"] == 2
    detail = client.get(
        f"/api/v1/documents/{doc['id']}", headers=bearer(session, org.accounts["staff_w1"])
    ).json()
    assert [v["version_no"] for v in detail["versions"]] == [1, 2]
    old = client.get(
        f"/api/v1/documents/{doc['id']}/file?version=1",
        headers=bearer(session, org.accounts["staff_w1"]),
    )
    assert old.content == b"ban thu nhat"
    latest = client.get(
        f"/api/v1/documents/{doc['id']}/file", headers=bearer(session, org.accounts["staff_w1"])
    )
    assert latest.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("50-CT/TW", True),
        ("05/KH-CB", True),
        ("123/QĐ-UBND", True),
        ("12-nq/đu", True),
        ("CT/TW", False),
        ("50-CT", False),
        ("abc", False),
    ],
)
def test_number_symbol_is_validated(value: str, ok: bool) -> None:
    from app.documents.schemas import parse_number

    if ok:
        number, symbol = parse_number(value)
        assert number > 0 and "/" in symbol
    else:
        with pytest.raises(ValueError):
            parse_number(value)


def test_decomposed_title_and_file_name_are_stored_composed(
    client: TestClient, session: Session, org: Org
) -> None:
    """Multipart text escapes the NFC middleware, so the upload reader composes it (issue 9)."""
    title, name = "Về tăng cường công tác xây dựng Đảng", "chỉ-thị.txt"
    resp = _upload(
        client,
        session,
        org,
        unicodedata.normalize("NFD", name),
        "Chỉ thị số 50\n".encode(),
        title=unicodedata.normalize("NFD", title),
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["title"] == title and body["versions"][0]["original_filename"] == name
