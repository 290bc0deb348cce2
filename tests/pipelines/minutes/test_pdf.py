"""The PDF export and the printable pack, read back with poppler's pdftotext: the header, the
attendance line and the vote figures with their diacritics (compared in NFC), A4 pages, and
markup in a comment, a note or a document printed as text, never obeyed."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from pipelines.minutes import Comment, MinutesDraft, draft_minutes
from pipelines.minutes.pack import MeetingPack, PackAgendaItem, PackDocument, render_pack
from pipelines.minutes.pdf_export import minutes_html, render_pdf
from tests.pipelines.minutes.fixtures import meeting

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext is missing: install poppler-utils (`make system-deps`)",
)

HOSTILE = '<script>alert("x")</script> </td></tr></table><h1>giả mạo</h1> & <img src="http://x/">'


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    out = subprocess.run(args, check=True, capture_output=True, timeout=60).stdout
    return unicodedata.normalize("NFC", out.decode("utf-8"))


def flat(text: str) -> str:
    """Lines joined with single spaces: a sentence wrapped over two lines reads as one."""
    return " ".join(text.split())


def squeezed(text: str) -> str:
    """Without any whitespace: markup printed as text may wrap after a "/" anywhere."""
    return "".join(text.split())


def pages(pdf: bytes, tmp_path: Path) -> list[tuple[float, float]]:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], check=True, capture_output=True, text=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    return [(float(w), float(h)) for w, h in sizes]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def hostile_draft() -> MinutesDraft:
    data = meeting()
    data.record.comments.append(
        Comment(
            id=103,
            author="Lê Văn Cường",
            text=f"Đề nghị ghi rõ thẻ {HOSTILE} trong biên bản khu phố.",
            agenda_item_id=3,
        )
    )
    draft = draft_minutes(data)
    assert any(HOSTILE in s.text for sec in draft.sections for s in sec.sentences)
    return draft


def test_minutes_pdf_round_trip(tmp_path: Path) -> None:
    draft = draft_minutes(meeting())
    pdf = render_pdf(draft)
    assert pdf.startswith(b"%PDF-")
    # A4 is 595.28 x 841.89 points.
    sizes = pages(pdf, tmp_path)
    assert sizes and all(abs(w - 595.28) < 1 and abs(h - 841.89) < 1 for w, h in sizes)

    layout = pdf_text(pdf, tmp_path, layout=True)
    # The two-column header: each left line beside its right line.
    first = [re.split(r"\s{2,}", line.strip()) for line in layout.splitlines()[:3]]
    left = [parts[0].strip() for parts in first]
    right = [parts[-1].strip() for parts in first if len(parts) > 1]
    assert left == [nfc("ĐẢNG ỦY PHƯỜNG BẾN NGHÉ"), nfc("CHI BỘ KHU PHỐ 3"), "*"]
    assert right == [
        nfc("ĐẢNG CỘNG SẢN VIỆT NAM"),
        nfc("Phường Bến Nghé, ngày 05 tháng 12 năm 2026"),
    ]

    text = flat(pdf_text(pdf, tmp_path))
    for expected in (
        "BIÊN BẢN",
        "SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 12 NĂM 2026",
        "2. Thành phần dự họp",
        "Tổng số đảng viên của chi bộ: 13 đồng chí.",
        "Có mặt: 9 đồng chí.",
        "Vắng có phép: 2 đồng chí: đồng chí Ngô Thị Lan (ốm), đồng chí Dương Văn Minh (đi công tác).",
        "Vắng không phép: 1 đồng chí: đồng chí Lý Văn Nam.",
        "Miễn sinh hoạt: 1 đồng chí: đồng chí Mai Văn Phúc (tuổi cao).",
        "Khách mời: đồng chí Võ Văn Tâm, Đảng ủy viên phường.",
        "tán thành 8 đồng chí, đạt 88,9%",
        "không tán thành 1 đồng chí, chiếm 11,1%",
        "tán thành 7 phiếu, đạt 77,8%",
        "ý kiến khác 1 phiếu, chiếm 11,1%",
        "CHỦ TRÌ",
        "THƯ KÝ",
        "(Ký, ghi rõ họ tên)",
        "Nguyễn Văn An",
        "Trần Thị Bình",
    ):
        assert nfc(expected) in text, expected
    # Every sentence of the draft is printed, in the draft's order.
    at = 0
    for sec in draft.sections:
        for s in sec.sentences:
            found = text.find(flat(nfc(s.text)), at)
            assert found >= 0, s.text
            at = found


def test_decomposed_input_prints_composed(tmp_path: Path) -> None:
    draft = draft_minutes(meeting())
    draft.header_left = [unicodedata.normalize("NFD", x) for x in draft.header_left]
    text = flat(pdf_text(render_pdf(draft), tmp_path))
    assert nfc("ĐẢNG ỦY PHƯỜNG BẾN NGHÉ") in text


def test_markup_in_a_comment_is_printed_as_text(tmp_path: Path) -> None:
    draft = hostile_draft()
    html = minutes_html(draft)
    assert "<script>" not in html and "<h1>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;/td&gt;" in html
    text = flat(pdf_text(render_pdf(draft), tmp_path))
    assert squeezed(HOSTILE) in squeezed(text)
    # The table the comment tried to close still holds the signatures side by side.
    assert "CHỦ TRÌ" in text and "THƯ KÝ" in text


def pack(minutes: MinutesDraft | None) -> MeetingPack:
    return MeetingPack(
        superior_committee="Đảng ủy phường Bến Nghé",
        cell_name="Chi bộ Khu phố 3",
        title="Sinh hoạt chi bộ thường kỳ tháng 12",
        date=dt.date(2026, 12, 5),
        start=dt.time(14, 0),
        end=dt.time(16, 30),
        place="Hội trường khu phố 3",
        member_name="Mai Văn Phúc",
        agenda=[
            PackAgendaItem(title=a.title, presenter=a.presenter) for a in meeting().record.agenda
        ],
        documents=[
            PackDocument(
                title="Báo cáo công tác tháng 11",
                symbol="12-BC/CB",
                text="Tháng 11, khu phố hoàn thành vệ sinh môi trường.\nThu đảng phí đạt 100%.",
            ),
            PackDocument(
                title="Nghị quyết về đột phá phát triển khoa học, công nghệ, chuyển đổi số",
                symbol="57-NQ/TW",
                kind="first_page",
                text=f"BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 57-NQ/TW {HOSTILE}",
            ),
        ],
        minutes=minutes,
    )


def test_pack_holds_notice_agenda_documents_and_minutes(tmp_path: Path) -> None:
    draft = draft_minutes(meeting())
    pdf = render_pack(pack(draft))
    text = flat(pdf_text(pdf, tmp_path))
    for expected in (
        "CHI BỘ KHU PHỐ 3",
        "THÔNG BÁO Sinh hoạt chi bộ thường kỳ tháng 12",
        "Kính gửi: đồng chí Mai Văn Phúc",
        "Thời gian: 14 giờ 00 đến 16 giờ 30, ngày 05 tháng 12 năm 2026",
        "Địa điểm: Hội trường khu phố 3",
        "1. Báo cáo kết quả công tác tháng 11 và phương hướng tháng 12",
        "Trình bày: đồng chí Phạm Thị Dung",
        "3. Học tập chuyên đề chuyển đổi số theo Nghị quyết 57-NQ/TW",
        "TÀI LIỆU NGHIÊN CỨU TRƯỚC",
        "1. Báo cáo công tác tháng 11 (12-BC/CB) Tóm tắt",
        "Thu đảng phí đạt 100%.",
        "Trang đầu của văn bản BAN CHẤP HÀNH TRUNG ƯƠNG Số 57-NQ/TW",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Có mặt: 9 đồng chí.",
        "tán thành 7 phiếu, đạt 77,8%",
        "Trang 1 / ",
    ):
        assert nfc(expected) in text, expected
    assert squeezed(HOSTILE) in squeezed(text)
    # Notice, documents and minutes each start a page: more pages than the minutes alone.
    assert len(pages(pdf, tmp_path)) > len(pages(render_pdf(draft), tmp_path))


def test_pack_without_minutes_or_documents(tmp_path: Path) -> None:
    bare = pack(None).model_copy(update={"documents": [], "member_name": ""})
    pdf = render_pack(bare)
    text = flat(pdf_text(pdf, tmp_path))
    assert nfc("Địa điểm: Hội trường khu phố 3") in text
    assert "Kính gửi" not in text and "TÀI LIỆU" not in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
    assert len(pages(pdf, tmp_path)) == 1


def test_styles_apply_in_a_serif_face(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = render_pack(pack(draft_minutes(meeting())))
    assert not [r.getMessage() for r in caplog.records], "WeasyPrint refused some CSS"
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    names = [line.split()[0] for line in fonts.stdout.splitlines()[2:]]
    # One family that covers Vietnamese, no letter filled in from another face.
    families = {n.split("+")[-1].split("-")[0] for n in names}
    assert len(families) == 1 and families == {"DejaVu"}, names
    assert any("Bold" in n for n in names) and any("Italic" in n for n in names), names
