"""Clause-level answers (issue 10): the answer type read from the question words, the clause that
holds a short answer inside a long sentence or a neighbouring item, lists quoted whole, and a
question asking for a value no passage holds declined. Texts written for these tests."""

from __future__ import annotations

import pytest

from pipelines import answer_select as sel
from pipelines.qa import Passage, answer_extractive, select


def passage(text: str, heading: str = "", rank: int = 0, score: float = 2.0) -> Passage:
    return Passage(
        chunk_id=f"d{rank}c0",
        ordinal=0,
        document_id=10 + rank,
        title="Quy chế hoạt động của Hội",
        number=f"0{rank + 1}-QC/HCCB",
        article=heading.split(".")[0] if heading else "",
        heading=heading,
        text=text,
        score=score,
    )


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hồ sơ hội viên được giữ bao lâu?", sel.Kind.DURATION),
        ("Phải báo trước mấy ngày?", sel.Kind.DURATION),
        ("Hạn cuối nộp danh sách là ngày nào?", sel.Kind.DATE),
        ("Việc khảo sát làm vào tháng mấy?", sel.Kind.DATE),
        ("Khi nào thì được miễn hội phí?", sel.Kind.WHEN),
        ("Mỗi tổ có bao nhiêu người?", sel.Kind.NUMBER),
        ("Hội phí mỗi năm là bao nhiêu tiền?", sel.Kind.MONEY),
        ("Hồ sơ gồm những giấy tờ gì?", sel.Kind.LIST),
        ("Lớp tập huấn tổ chức ở đâu?", sel.Kind.PLACE),
        ("Ai ký giấy giới thiệu?", sel.Kind.OTHER),
    ],
)
def test_the_answer_type_is_read_from_the_question_words(question: str, kind: sel.Kind) -> None:
    assert sel.question_kind(question) is kind


LONG = (
    "Hồ sơ hội viên do văn phòng Hội cập nhật mỗi khi có thay đổi về nơi ở, nơi làm việc, "
    "khen thưởng hoặc kỷ luật, được sắp xếp theo từng chi hội và đối chiếu với sổ theo dõi "
    "hội viên vào cuối mỗi quý để bảo đảm thống nhất giữa hồ sơ giấy và danh sách điện tử; "
    "thời hạn lưu giữ hồ sơ là 10 năm kể từ ngày hội viên chuyển đi."
)


def test_a_short_answer_is_found_in_its_clause_of_a_long_sentence() -> None:
    assert len(LONG) > sel.MAX_QUOTE
    p = passage(LONG, heading="Điều 7. Quản lý hồ sơ hội viên")
    answer = answer_extractive("Hồ sơ hội viên phải lưu giữ bao lâu?", [p])
    assert answer.found and "10 năm" in answer.answer
    # The clause is quoted, not the whole sentence, and it is the passage's own text.
    snippet = answer.citations[0].snippet
    assert snippet.startswith("thời hạn lưu giữ") and snippet in LONG


def test_the_value_asked_for_may_sit_in_the_neighbouring_item() -> None:
    p = passage(
        "a) Khảo sát việc giữ gìn vệ sinh môi trường tại 6 tổ dân phố ven sông;\n"
        "b) Thời gian thực hiện trong tháng 8 năm 2027.",
        heading="2. Khảo sát chuyên đề",
    )
    answer = answer_extractive("Việc khảo sát vệ sinh môi trường ở các tổ làm vào tháng mấy?", [p])
    assert answer.found and "tháng 8 năm 2027" in answer.answer
    assert "6 tổ dân phố" in answer.answer  # the clause that matched comes with it


ITEMS = [
    "Tờ trình của chi hội",
    "Bản tóm tắt thành tích",
    "Biên bản họp xét",
    "Danh sách trích ngang",
    "Ý kiến của khu dân cư",
]


def test_a_list_is_quoted_whole() -> None:
    text = "Hồ sơ đề nghị khen thưởng gồm:\n" + "\n".join(f"- {item};" for item in ITEMS)
    p = passage(text, heading="Điều 9. Khen thưởng")
    other = passage("Chi hội họp xét khen thưởng vào tháng 11 hằng năm.", rank=1, score=0.5)
    answer = answer_extractive("Đề nghị khen thưởng cần những giấy tờ gì?", [p, other])
    assert answer.found
    assert all(item in answer.answer for item in ITEMS)  # more than three sentences
    assert {c.document_id for c in answer.citations} == {p.document_id}


def test_a_list_asked_for_from_one_of_its_items_is_quoted_whole() -> None:
    text = "Hồ sơ đề nghị khen thưởng gồm:\n" + "\n".join(f"- {item};" for item in ITEMS)
    chosen = select(
        "Hồ sơ khen thưởng gồm những gì, có cần biên bản họp xét không?", [passage(text)]
    )
    assert chosen is not None
    quoted = " ".join(q for _, q in chosen.quotes)
    assert all(item in quoted for item in ITEMS)


def test_a_question_asking_for_a_value_no_passage_holds_is_declined() -> None:
    p = passage(
        "Hồ sơ hội viên do văn phòng Hội cập nhật mỗi khi có thay đổi và đối chiếu với sổ "
        "theo dõi vào cuối mỗi quý.",
        heading="Điều 7. Quản lý hồ sơ hội viên",
    )
    assert not answer_extractive("Hồ sơ hội viên phải lưu giữ bao nhiêu năm?", [p]).found
    fee = passage("Hội viên tham gia đầy đủ sinh hoạt chi hội và đóng hội phí theo quy định.")
    assert not answer_extractive("Hội phí mỗi năm là bao nhiêu tiền?", [fee]).found


def test_a_number_the_question_names_must_be_in_the_passage() -> None:
    p = passage("Kỷ niệm chương 30 năm được trao cho hội viên có 30 năm tham gia Hội liên tục.")
    named = select("Kỷ niệm chương 30 năm trao cho ai?", [p])
    other = select("Kỷ niệm chương 25 năm trao cho ai?", [p])
    assert named is not None and other is not None
    assert other.evidence < named.evidence


def test_a_sentence_about_another_year_does_not_answer_for_the_year_asked() -> None:
    assert sel.years("Kế hoạch giai đoạn 2025-2030, năm 2026") == {"2025", "2030", "2026"}
    assert sel.other_year({"2026"}, "Năm 2025, Hội kết nạp được 40 hội viên mới.")
    assert not sel.other_year({"2026"}, "Năm 2026 kết nạp ít nhất 50 hội viên mới.")
    assert not sel.other_year({"2026"}, "Mỗi chi hội kết nạp ít nhất 5 hội viên.")
    p = passage(
        "Năm 2025, Hội kết nạp được 40 hội viên mới, đạt chỉ tiêu đề ra. "
        "Năm 2026, Hội phấn đấu kết nạp ít nhất 50 hội viên mới."
    )
    chosen = select("Năm 2026 Hội đặt chỉ tiêu kết nạp bao nhiêu hội viên?", [p])
    assert chosen is not None and "50 hội viên" in chosen.quotes[0][1]


def test_the_document_title_is_context_for_its_clauses() -> None:
    # The question names the plan ("đợt tập huấn"), the clause only who does what.
    text = "Văn phòng Hội chuẩn bị tài liệu và giảng viên; các chi hội cử người tham dự."

    def plan(title: str) -> Passage:
        return passage(text).model_copy(update={"title": title})

    question = "Ai chuẩn bị tài liệu cho đợt tập huấn kỹ năng?"
    titled = select(question, [plan("Kế hoạch tập huấn kỹ năng cho cán bộ chi hội")])
    untitled = select(question, [plan("Thông báo")])
    assert titled is not None and untitled is not None
    assert titled.evidence > untitled.evidence
    assert "Văn phòng Hội" in titled.quotes[0][1]
