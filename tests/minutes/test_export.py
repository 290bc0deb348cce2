"""The DOCX of the minutes, parsed back: header, title, attendance line and vote figures, with
Vietnamese diacritics intact; readers get the locked text; every read and export is audited."""

from __future__ import annotations

import io

from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from tests.factories.minutes import Held
from tests.factories.org import Org
from tests.minutes.conftest import Headers


def _paragraphs(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_the_docx_holds_the_header_attendance_and_votes(
    client: TestClient, session: Session, org: Org, drafted: Held, as_: Headers
) -> None:
    base = f"/api/v1/meetings/{drafted.meeting.id}/minutes"
    resp = client.get(f"{base}/docx", headers=as_("sec_a"))
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    text = _paragraphs(resp.content)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "CHI BỘ" in text and "BIÊN BẢN" in text
    assert "Có mặt: 3 đồng chí." in text
    assert "Vắng có phép: 1 đồng chí: đồng chí Phan Văn Hải (ốm)." in text
    assert "tán thành 2 đồng chí, đạt 66,7%" in text
    assert "tán thành 3 phiếu, đạt 100%" in text
    export = session.scalars(
        select(AuditLog).where(AuditLog.action == "minutes.export").order_by(AuditLog.id.desc())
    ).first()
    assert export is not None and export.actor_account_id == org.accounts["sec_a"].id
    assert export.detail == {"meeting_id": drafted.meeting.id, "format": "docx"}


def test_reads_are_audited_with_who_read(
    client: TestClient, session: Session, org: Org, drafted: Held, as_: Headers
) -> None:
    base = f"/api/v1/meetings/{drafted.meeting.id}/minutes"
    assert client.get(base, headers=as_("sec_a")).status_code == 200
    read = session.scalars(
        select(AuditLog).where(AuditLog.action == "minutes.read").order_by(AuditLog.id.desc())
    ).first()
    assert read is not None and read.actor_account_id == org.accounts["sec_a"].id
    assert read.object_type == "minutes" and read.detail["manage"] is True
    # Refused reads leave no trace of the minutes (the meeting is simply not there).
    outsider = as_("mem_d")
    before = session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
    assert client.get(base, headers=outsider).status_code == 404
    after = session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
    assert before == after
