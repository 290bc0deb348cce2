"""Chunking follows Vietnamese legal structure and keeps article labels for citations."""

from __future__ import annotations

import unicodedata

from pipelines.chunking import Block, chunk_blocks, chunk_text

LEGAL = """QUY ĐỊNH
về sinh hoạt đảng
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy định này hướng dẫn việc miễn sinh hoạt đảng.
Điều 2. Đảng viên được miễn sinh hoạt
1. Đảng viên tuổi cao, sức khỏe yếu được miễn sinh hoạt đảng.
2. Đảng viên được xét miễn sinh hoạt trong các trường hợp sau:
a) Ốm đau điều trị dài ngày;
b) Đi công tác xa nơi cư trú.
Chương II
THỦ TỤC
Mục 1. Hồ sơ
Điều 3. Hồ sơ đề nghị
Hồ sơ gồm đơn của đảng viên và ý kiến của chi ủy.
"""


def test_legal_structure_gives_article_and_clause_labels() -> None:
    chunks = chunk_text(LEGAL)
    by_article = {c.article: c for c in chunks}
    assert "Điều 1" in by_article
    assert "Điều 2, khoản 1" in by_article
    k2 = by_article["Điều 2, khoản 2"]
    # Điểm a) and b) stay inside their khoản.
    assert "a) Ốm đau" in k2.text and "b) Đi công tác" in k2.text
    assert k2.headings == ["Chương I NHỮNG QUY ĐỊNH CHUNG", "Điều 2. Đảng viên được miễn sinh hoạt"]
    d3 = by_article["Điều 3"]
    assert d3.headings == ["Chương II THỦ TỤC", "Mục 1. Hồ sơ", "Điều 3. Hồ sơ đề nghị"]
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_numbered_list_outside_an_article_is_not_a_clause() -> None:
    chunks = chunk_text("Kế hoạch\n1. Họp chi bộ.\n2. Báo cáo quý.\n")
    assert all(c.article == "" for c in chunks)


def test_text_is_nfc_normalised() -> None:
    decomposed = unicodedata.normalize(
        "NFD", "Điều 4. Quyền của đảng viên\nĐảng viên được thông tin."
    )
    chunks = chunk_text(decomposed)
    assert chunks and all(unicodedata.is_normalized("NFC", c.text) for c in chunks)
    assert chunks[0].article == "Điều 4"


def test_headings_form_the_path_and_long_text_is_cut_at_sentences() -> None:
    long_para = " ".join(f"Câu thứ {i} nói về nghị quyết của chi bộ." for i in range(60))
    blocks = [
        Block("Báo cáo", 1),
        Block("Tình hình", 2),
        Block(long_para),
        Block("Phương hướng", 2),
        Block("Tiếp tục học tập nghị quyết."),
    ]
    chunks = chunk_blocks(blocks, max_chars=500)
    assert len(chunks) > 2
    assert all(len(c.text) <= 500 for c in chunks)
    assert chunks[0].headings == ["Báo cáo", "Tình hình"]
    assert chunks[-1].headings == ["Báo cáo", "Phương hướng"]
    assert chunks[-1].text == "Tiếp tục học tập nghị quyết."


def test_a_one_line_article_keeps_its_words() -> None:
    text = (
        "Điều 2. Hạn báo cáo\n1. Hạn nộp báo cáo quý IV là ngày 15 tháng 12.\n"
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\n"
    )
    chunks = chunk_text(text)
    assert [(c.article, c.text) for c in chunks] == [
        ("Điều 2, khoản 1", "1. Hạn nộp báo cáo quý IV là ngày 15 tháng 12."),
        ("Điều 3", "Quyết định này có hiệu lực kể từ ngày ký."),
    ]
