"""The DOCX export, parsed back with python-docx: A4, the header, the title, the attendance
line, the vote figures and the signatures, diacritics intact."""

from __future__ import annotations

import io

from docx import Document

from pipelines.minutes import draft_minutes
from pipelines.minutes.docx_export import render_docx
from tests.pipelines.minutes.fixtures import meeting


def test_docx_round_trip() -> None:
    draft = draft_minutes(meeting())
    doc = Document(io.BytesIO(render_docx(draft)))
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    # Stored in twentieths of a point: within a hundredth of a millimetre of A4.
    assert abs(section.page_width.cm - 21.0) < 0.01 and abs(section.page_height.cm - 29.7) < 0.01
    header, signatures = doc.tables
    left, right = (c.text.splitlines() for c in header.rows[0].cells)
    assert left == ["ĐẢNG ỦY PHƯỜNG BẾN NGHÉ", "CHI BỘ KHU PHỐ 3", "*"]
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Phường Bến Nghé, ngày 05 tháng 12 năm 2026"]
    paragraphs = [p.text for p in doc.paragraphs]
    assert "BIÊN BẢN" in paragraphs
    assert "SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 12 NĂM 2026" in paragraphs
    assert "Có mặt: 9 đồng chí." in paragraphs
    assert (
        "Vắng có phép: 2 đồng chí: đồng chí Ngô Thị Lan (ốm), đồng chí Dương Văn Minh (đi công tác)."
        in paragraphs
    )
    body = "\n".join(paragraphs)
    assert "tán thành 8 đồng chí, đạt 88,9%" in body
    assert "tán thành 7 phiếu, đạt 77,8%" in body
    assert "2. Thành phần dự họp" in paragraphs
    chair, secretary = (c.text.splitlines() for c in signatures.rows[0].cells)
    assert chair[0] == "CHỦ TRÌ" and chair[-1] == "Nguyễn Văn An"
    assert secretary[0] == "THƯ KÝ" and secretary[-1] == "Trần Thị Bình"
    # Every sentence of the draft is a paragraph of the document, as often as in the draft.
    sentences = [s.text for sec in draft.sections for s in sec.sentences]
    for text in sentences:
        assert paragraphs.count(text) == sentences.count(text), text
