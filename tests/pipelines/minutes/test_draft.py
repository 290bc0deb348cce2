"""The offline draft of the fixture meeting: the official layout, exact figures and names,
provenance, determinism, secret ballots and a prompt-injection line in the notes."""

from __future__ import annotations

import pytest

from pipelines.minutes import (
    NoteLine,
    NoteSource,
    TranscriptSegment,
    TranscriptSource,
    check_minutes,
    draft_minutes,
)
from pipelines.minutes.vi import condense, percent
from tests.pipelines.minutes.fixtures import INJECTION, meeting
from tests.pipelines.minutes.helpers import assert_figures, assert_provenance


def test_layout_header_title_and_closing() -> None:
    draft = draft_minutes(meeting())
    assert draft.header_left == ["ĐẢNG ỦY PHƯỜNG BẾN NGHÉ", "CHI BỘ KHU PHỐ 3", "*"]
    assert draft.header_right == [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Phường Bến Nghé, ngày 05 tháng 12 năm 2026",
    ]
    assert draft.title == ["BIÊN BẢN", "SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 12 NĂM 2026"]
    assert [s.key for s in draft.sections] == [
        "time_place",
        "attendance",
        "presiding",
        "item-1",
        "item-2",
        "item-3",
        "votes",
        "tasks",
        "closing",
    ]
    text = draft.text()
    assert "Thời gian: bắt đầu lúc 14 giờ 00 phút, ngày 05 tháng 12 năm 2026." in text
    assert "Chủ trì: đồng chí Nguyễn Văn An." in text and "Thư ký: đồng chí Trần Thị Bình." in text
    assert "Hội nghị kết thúc lúc 16 giờ 30 phút cùng ngày." in text
    assert "Biên bản đã được thông qua" in text
    assert [(s.role, s.name) for s in draft.signatures] == [
        ("CHỦ TRÌ", "Nguyễn Văn An"),
        ("THƯ KÝ", "Trần Thị Bình"),
    ]
    assert draft.mode == "offline" and draft.fallback_reason is None


def test_exact_counts_names_and_votes() -> None:
    data = meeting()
    draft = draft_minutes(data)
    assert_figures(draft, data)
    att = draft.section("attendance").text().splitlines()
    assert att == [
        "Tổng số đảng viên của chi bộ: 13 đồng chí.",
        "Có mặt: 9 đồng chí.",
        "Vắng có phép: 2 đồng chí: đồng chí Ngô Thị Lan (ốm), đồng chí Dương Văn Minh (đi công tác).",
        "Vắng không phép: 1 đồng chí: đồng chí Lý Văn Nam.",
        "Miễn sinh hoạt: 1 đồng chí: đồng chí Mai Văn Phúc (tuổi cao).",
        "Khách mời: đồng chí Võ Văn Tâm, Đảng ủy viên phường.",
    ]
    votes = draft.section("votes").text().splitlines()
    assert votes[0] == (
        "Biểu quyết giơ tay (nội dung: Thông qua phương hướng nhiệm vụ tháng 12): có mặt 9 đồng "
        "chí; tán thành 8 đồng chí, đạt 88,9%; không tán thành 1 đồng chí, chiếm 11,1%; ý kiến "
        "khác 0 đồng chí, chiếm 0%."
    )
    assert votes[1] == "Kết quả: được thông qua."
    assert votes[2] == "Các đồng chí không tán thành: đồng chí Đỗ Văn Khánh."
    assert votes[3].startswith("Bỏ phiếu kín (nội dung: Đề nghị kết nạp")
    assert "tán thành 7 phiếu, đạt 77,8%; không tán thành 1 phiếu, chiếm 11,1%" in votes[3]
    tasks = draft.section("tasks").text().splitlines()
    assert tasks == [
        "Đồng chí Lê Văn Cường: Lập danh sách hộ nghèo nhận quà Tết; thời hạn: 20/12/2026.",
        "Đồng chí Hoàng Văn Em: Mở lớp hướng dẫn dùng ứng dụng.",
    ]
    assert check_minutes(draft.text_sections(), data.record) == []


def test_agenda_items_report_discussion_conclusion() -> None:
    draft = draft_minutes(meeting())
    item = draft.section("item-1")
    parts = [s.part for s in item.sentences]
    assert parts[0] == "report" and parts[-1] == "conclusion"
    assert parts == sorted(parts, key=["report", "discussion", "conclusion"].index)
    assert item.sentences[0].text.startswith("Đồng chí Nguyễn Văn An trình bày: Báo cáo kết quả")
    assert item.sentences[1].text == "Tài liệu: “Báo cáo công tác tháng 11” (12-BC/CB)."
    text = item.text()
    # The comment tagged to item 1 is attributed to its author; the tagged note to its speaker.
    assert "Đồng chí Lê Văn Cường phát biểu: đề nghị khu phố sớm lập danh sách" in text
    assert "Đồng chí Lê Văn Cường phát biểu: đề nghị bổ sung chỉ tiêu" in text
    assert "Đồng chí Nguyễn Văn An kết luận: Chi bộ thống nhất báo cáo" in text
    item2 = draft.section("item-2").text()
    assert "Đồng chí Vũ Thị Giang phát biểu: quần chúng Trần Văn Quý gương mẫu" in item2
    assert "Chi bộ thống nhất: Đề nghị Đảng ủy phường xem xét kết nạp" in item2
    # Greetings and thanks are gone, fillers and stutters cut.
    full = draft.text()
    assert "Kính thưa" not in full and "Cảm ơn các đồng chí" not in full
    assert "tôi đề nghị tăng cường kiểm tra an ninh trật tự" in full and "Tôi tôi" not in full
    assert "Có ý kiến: đề nghị làm rõ thêm thời gian tham gia lớp cảm tình Đảng." in full


def test_every_sentence_has_provenance_that_holds_its_words() -> None:
    data = meeting()
    draft = draft_minutes(data)
    assert_provenance(draft, data)
    sources = [src for sec in draft.sections for s in sec.sentences for src in s.sources]
    assert any(isinstance(s, NoteSource) for s in sources)
    spoken = [s for s in sources if isinstance(s, TranscriptSource)]
    assert spoken and all(s.start < s.end and s.first_segment <= s.last_segment for s in spoken)


def test_same_input_same_draft() -> None:
    first = draft_minutes(meeting()).model_dump_json()
    assert all(draft_minutes(meeting()).model_dump_json() == first for _ in range(3))


def test_secret_ballot_gives_totals_never_names() -> None:
    data = meeting()
    secret = data.record.votes[1]
    # The app hands in names by mistake: the minutes still give only totals.
    secret.disagree_names = ["Đỗ Văn Khánh"]
    secret.abstain_names = ["Bùi Thị Hoa"]
    draft = draft_minutes(data)
    votes = draft.section("votes").text().splitlines()
    block = votes[votes.index(next(v for v in votes if v.startswith("Bỏ phiếu kín"))) :]
    assert block[0].count("phiếu") == 4
    for line in block:
        for a in data.record.attendance:
            assert a.name not in line
    assert check_minutes(draft.text_sections(), data.record) == []
    # A name written into the secret ballot's lines by hand is a mismatch.
    sections = draft.text_sections()
    sections["votes"] += "\nCác đồng chí không tán thành: đồng chí Đỗ Văn Khánh."
    (bad,) = check_minutes(sections, data.record)
    assert bad.field == "vote[2].names" and "Đỗ Văn Khánh" in bad.found


def test_injection_line_in_notes_changes_no_figure() -> None:
    clean = meeting()
    clean.notes = [n for n in clean.notes if n.text != INJECTION]
    hostile = meeting()
    hostile.notes.append(NoteLine(text=INJECTION, agenda_item_id=2))
    a, b = draft_minutes(clean), draft_minutes(hostile)
    for key in ("attendance", "votes", "tasks", "time_place", "closing"):
        assert a.section(key) == b.section(key)
    assert "100%" not in b.text() and "Bỏ qua hướng dẫn" not in b.text()
    assert check_minutes(b.text_sections(), hostile.record) == []


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [
        (1, 13, "7,7%"),
        (2, 3, "66,7%"),
        (1, 3, "33,3%"),
        (1, 1, "100%"),
        (0, 9, "0%"),
        (1, 8, "12,5%"),
        (1, 200, "0,5%"),
    ],
)
def test_percent_vietnamese(part: int, whole: int, text: str) -> None:
    assert percent(part, whole) == text


@pytest.mark.parametrize(
    ("spoken", "kept"),
    [
        ("Ừ thì là tháng này khu phố làm tốt vệ sinh.", "Tháng này khu phố làm tốt vệ sinh."),
        ("Tôi tôi đề nghị đề nghị bổ sung chỉ tiêu.", "Tôi đề nghị bổ sung chỉ tiêu."),
        ("Các đồng chí các đồng chí cần dần dần làm quen.", "Các đồng chí cần dần dần làm quen."),
        ("Kính thưa các đồng chí, chi bộ cần rà soát hồ sơ.", "Chi bộ cần rà soát hồ sơ."),
        ("Cảm ơn đồng chí.", None),
        ("Xin chào các đồng chí.", None),
        ("Ờ, cái này thì à.", None),
        ("dạ vâng ạ", None),
    ],
)
def test_condense_rules(spoken: str, kept: str | None) -> None:
    assert condense(spoken) == kept


def test_chair_concluding_aloud_is_the_conclusion_when_the_record_has_none() -> None:
    data = meeting()
    said = "Tôi xin kết luận: chi bộ thống nhất đề nghị kết nạp quần chúng Trần Văn Quý."
    data.transcript.insert(
        5, TranscriptSegment(index=99, start=33.0, end=35.0, text=said, speaker="Nguyễn Văn An")
    )
    draft = draft_minutes(data)
    item2 = draft.section("item-2").sentences
    (chair,) = [s for s in item2 if s.part == "conclusion" and s.text.startswith("Đồng chí Nguyễn")]
    assert (
        chair.text
        == "Đồng chí Nguyễn Văn An kết luận: chi bộ thống nhất đề nghị kết nạp quần chúng Trần Văn Quý."
    )
    assert chair.sources == [
        TranscriptSource(start=33.0, end=35.0, first_segment=99, last_segment=99)
    ]
    assert [s.part for s in item2][-2:] == ["conclusion", "conclusion"]  # then the resolution
    assert_provenance(draft, data)
    # Item 1 has the record's conclusion: nothing spoken replaces it.
    item1 = [s for s in draft.section("item-1").sentences if s.part == "conclusion"]
    assert [s.sources[0].kind for s in item1] == ["record"]
