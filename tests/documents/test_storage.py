"""Storage by hash: a file moved into place is taken away again if its transaction rolls back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.core.db import Database
from app.core.migrate import upgrade
from app.documents.service_storage import LocalStorage
from tests.conftest import PG_URL, make_settings
from tests.factories.documents import make_document, stored_files
from tests.factories.org import build_org


@pytest.mark.skipif(bool(PG_URL), reason="uses its own scratch SQLite database")
def test_rolled_back_upload_leaves_no_file_and_committed_one_stays(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    try:
        with Session(db.engine) as session:
            org = build_org(session)
            session.commit()
            make_document(
                session, settings, by=org.accounts["admin"], unit=org.units["C"], content=b"giu lai"
            )
            session.commit()
            kept = stored_files(settings)
            assert len(kept) == 1
            make_document(
                session, settings, by=org.accounts["admin"], unit=org.units["C"], content=b"huy bo"
            )
            assert len(stored_files(settings)) == 2
            session.rollback()
            assert stored_files(settings) == kept
    finally:
        db.dispose()


def test_same_content_is_stored_once(tmp_path: Path) -> None:
    from app.documents.service_storage import Staged

    storage = LocalStorage(tmp_path)
    for _ in range(2):
        staged = storage.stage_dir() / "x"
        staged.write_bytes(b"abc")
        sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        storage.put(Staged(path=staged, sha256=sha, size=3))
        assert not staged.exists()
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [sha]
    with pytest.raises(ValueError):
        storage.open("../../etc/passwd")


@pytest.mark.skipif(bool(PG_URL), reason="uses its own scratch SQLite database")
def test_receipt_from_a_read_only_request_on_sqlite(tmp_path: Path) -> None:
    """GET requests run in deferred SQLite read transactions; the receipt still gets written."""
    from fastapi.testclient import TestClient
    from sqlalchemy import func, select

    from app.documents.models import DocumentRead
    from app.main import create_app
    from tests.factories.accounts import bearer

    settings = make_settings(tmp_path)
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    try:
        with Session(db.engine) as session:
            org = build_org(session)
            doc = make_document(
                session,
                settings,
                by=org.accounts["admin"],
                unit=org.units["A"],
                audience=[org.units["A"]],
                publish=True,
            )
            headers = bearer(session, org.accounts["mem_a"])
            doc_id = doc.id
            session.commit()
        with TestClient(create_app(settings, db)) as client:
            for _ in range(2):
                resp = client.get(f"/api/v1/documents/{doc_id}/file", headers=headers)
                assert resp.status_code == 200, resp.text
            assert client.get(f"/documents/{doc_id}", headers=headers).status_code == 200
        with Session(db.engine) as session:
            count = session.scalar(select(func.count()).select_from(DocumentRead))
            assert count == 1
    finally:
        db.dispose()
