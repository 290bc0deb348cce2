"""Web pages for documents and feedback: upload form, list with unread marker, page, thread."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.documents.models import Document, DocumentRead
from app.feedback.models import FeedbackThread
from tests.factories.documents import make_document, pdf_bytes, stored_files
from tests.factories.org import Org
from tests.factories.transfers import web_login


def test_anonymous_is_sent_to_login(client: TestClient) -> None:
    for path in ("/documents", "/feedback", "/documents/new"):
        resp = client.get(path, follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"] == f"/login?next={path}"


def test_staff_uploads_sets_audience_and_publishes(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    csrf = web_login(client, session, org.accounts["staff_w1"])
    form = client.get("/documents/new")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    resp = client.post(
        "/documents/new",
        headers=csrf,
        data={
            "unit_id": str(org.units["W1"].id),
            "kind": "ke_hoach",
            "title": "Kế hoạch quý I",
            "number": "07-KH/ĐU",
        },
        files={"file": ("ke-hoach.pdf", pdf_bytes(1), "application/pdf")},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    url = resp.headers["location"].split("?")[0]
    doc_id = int(url.rsplit("/", 1)[1])
    page = client.get(url)
    assert "07-KH/ĐU" in page.text and "Nơi nhận" in page.text
    resp = client.post(
        f"/documents/{doc_id}/audience",
        headers=csrf,
        data={"unit_id": [str(org.units["A"].id)], "include_subtree": "1"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    resp = client.post(f"/documents/{doc_id}/publish", headers=csrf)
    assert resp.status_code == 200 and "Đã ban hành" in resp.text
    assert "Tỷ lệ đã đọc theo đơn vị" in resp.text


def test_bad_upload_in_form_shows_error_and_keeps_nothing(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    csrf = web_login(client, session, org.accounts["staff_w1"])
    before = session.scalar(select(func.count()).select_from(Document))
    files_before = stored_files(settings)
    resp = client.post(
        "/documents/new",
        headers=csrf,
        data={"unit_id": str(org.units["W1"].id), "kind": "ke_hoach", "title": "Hỏng"},
        files={"file": ("hong.pdf", pdf_bytes(1)[:-300], "application/pdf")},
    )
    assert resp.status_code == 422
    assert "cắt cụt" in resp.text and 'value="Hỏng"' in resp.text
    assert session.scalar(select(func.count()).select_from(Document)) == before
    assert stored_files(settings) == files_before


def test_member_sees_unread_marker_then_reads_and_comments(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    doc = make_document(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=org.units["W1"],
        audience=[org.units["A"]],
        publish=True,
        title="Thông báo lịch học nghị quyết",
    )
    csrf = web_login(client, session, org.accounts["mem_a"])
    listing = client.get("/documents")
    assert "Thông báo lịch học nghị quyết" in listing.text and "Chưa đọc" in listing.text
    page = client.get(f"/documents/{doc.id}")
    assert page.status_code == 200
    assert f"/api/v1/documents/{doc.id}/file?version=1" in page.text
    assert (
        session.scalar(
            select(func.count()).select_from(DocumentRead).where(DocumentRead.document_id == doc.id)
        )
        == 1
    )
    assert "Chưa đọc" not in client.get("/documents").text
    resp = client.post(
        f"/documents/{doc.id}/comments",
        headers=csrf,
        data={"title": "Đề nghị đổi ngày", "body": "Ngày 15 trùng lịch họp tổ dân phố."},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    thread_url = resp.headers["location"].split("?")[0]
    assert "Đề nghị đổi ngày" in client.get(thread_url).text

    # The secretary answers and marks it; the member sees the answer.
    sec = web_login(client, session, org.accounts["sec_a"])
    assert "Đề nghị đổi ngày" in client.get("/feedback").text
    resp = client.post(
        f"{thread_url}/posts", headers=sec, data={"body": "Chi bộ sẽ dời sang ngày 16."}
    )
    assert resp.status_code == 200 and "Trả lời của chi bộ" in resp.text
    resp = client.post(f"{thread_url}/status", headers=sec, data={"status": "accepted"})
    assert "Đã tiếp thu" in resp.text


def test_member_submits_idea_and_other_cell_cannot_open_it(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["mem_b"])
    resp = client.post(
        "/feedback/ideas",
        headers=csrf,
        data={"title": "Kiến nghị sửa nhà văn hóa", "body": "Mái dột."},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    thread_id = int(re.findall(r"/feedback/(\d+)", resp.headers["location"])[0])
    assert session.get(FeedbackThread, thread_id) is not None
    web_login(client, session, org.accounts["sec_a"])
    assert client.get(f"/feedback/{thread_id}").status_code == 404
    csrf = web_login(client, session, org.accounts["mem_b"])
    bad = client.post("/feedback/ideas", headers=csrf, data={"title": "  ", "body": "x"})
    assert bad.status_code == 422


REGULATION = """Chương I. QUY ĐỊNH CHUNG
Điều 1. Phạm vi áp dụng
Quy định này áp dụng cho các chi bộ <script>alert(1)</script> trực thuộc.
Điều 2. Sinh hoạt chi bộ định kỳ
1. Chi bộ sinh hoạt thường kỳ mỗi tháng một lần, vào ngày mùng 5 hằng tháng.
2. Nội dung sinh hoạt gồm:
a) Thông tin thời sự;
b) Nhiệm vụ tháng sau.
Chương II. ĐẢNG VIÊN
Điều 3. Đảng phí
Đảng viên đóng đảng phí hằng tháng.
"""


def test_member_reads_the_text_with_its_structure_and_the_cited_passage(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    import hashlib

    from app.documents.models import DocumentVersion
    from app.knowledge.models import IndexedChunk

    doc = make_document(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=org.units["W1"],
        audience=[org.units["A"]],
        publish=True,
        title="Quy định sinh hoạt chi bộ",
        content=REGULATION.encode(),
    )
    web_login(client, session, org.accounts["mem_a"])
    page = client.get(f"/documents/{doc.id}").text
    assert '<h3 id="chuong-i" class="doc-h3">Chương I. QUY ĐỊNH CHUNG</h3>' in page
    assert '<h4 id="dieu-2" class="doc-h4">Điều 2. Sinh hoạt chi bộ định kỳ</h4>' in page
    assert '<li id="dieu-2-khoan-1"><span class="doc-marker">1.</span>' in page
    assert '<li id="dieu-2-khoan-2-diem-b"><span class="doc-marker">b)</span>' in page
    assert '<a href="#dieu-3">Điều 3. Đảng phí</a>' in page  # the table of contents
    # The file's text is text: markup in it is shown, never run.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    # Reading the page is still the read receipt.
    assert session.scalar(
        select(func.count()).select_from(DocumentRead).where(DocumentRead.document_id == doc.id)
    )
    # A Hỏi đáp citation (`?passage=N#passage`) marks its clause in the text.
    version = session.scalars(
        select(DocumentVersion).where(DocumentVersion.document_id == doc.id)
    ).one()
    text = "1. Chi bộ sinh hoạt thường kỳ mỗi tháng một lần, vào ngày mùng 5 hằng tháng."
    session.add(
        IndexedChunk(
            document_id=doc.id,
            version_id=version.id,
            chunk_key=f"d{doc.id}v{version.id}c1",
            ordinal=1,
            article="Điều 2, khoản 1",
            text=text,
            text_sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
    )
    session.flush()
    cited = client.get(f"/documents/{doc.id}?passage=1").text
    assert (
        '<span id="passage" tabindex="-1"><mark class="cited">Chi bộ sinh hoạt thường kỳ' in cited
    )
    assert cited.count('class="cited"') == 1 and "Đoạn được trích dẫn" not in cited
