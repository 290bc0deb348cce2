"""BM25 index: Vietnamese tokens, persistence, incremental removal, audience filter."""

from __future__ import annotations

from pathlib import Path

from vectorstore.lexical import LexicalDoc, LexicalIndex
from vectorstore.tokens import lexical_tokens, query_tokens

DOCS = [
    LexicalDoc("a1", "A", "Đảng viên tuổi cao được miễn sinh hoạt đảng.", (1,), "Điều 5, khoản 1"),
    LexicalDoc("a2", "A", "Hồ sơ gồm đơn và ý kiến của chi ủy.", (1,), "Điều 6"),
    LexicalDoc("b1", "B", "Hạn nộp báo cáo quý IV là ngày 15 tháng 12.", (2,), ""),
    LexicalDoc("c1", "C", "Chi bộ họp thường kỳ mỗi tháng một lần.", (3, 4), ""),
]


def test_tokens_have_bigrams_and_accent_free_copies() -> None:
    tokens = lexical_tokens("Sinh hoạt Đảng")
    assert {"sinh", "hoạt", "đảng", "sinh_hoạt", "hoạt_đảng", "~hoat", "~dang"} <= set(tokens)
    # A query typed without diacritics reaches the accent-free copies.
    assert {"~sinh_hoat", "~hoat"} <= set(query_tokens("sinh hoat"))


def test_search_persists_and_reloads(tmp_path: Path) -> None:
    path = tmp_path / "lex.sqlite3"
    index = LexicalIndex(path)
    index.add(DOCS)
    first = index.search("đảng viên được miễn sinh hoạt khi nào", k=3)
    assert first[0][0] == "a1"
    index.close()

    reopened = LexicalIndex(path)
    assert len(reopened) == 4
    assert reopened.search("đảng viên được miễn sinh hoạt khi nào", k=3) == first
    assert reopened.info("a1") == ("A", "Điều 5, khoản 1", (1,))
    # Without diacritics, as members often type.
    assert reopened.search("han nop bao cao quy IV", k=1)[0][0] == "b1"
    reopened.close()


def test_remove_document_and_replace(tmp_path: Path) -> None:
    index = LexicalIndex(tmp_path / "lex.sqlite3")
    index.add(DOCS)
    assert index.remove_document("A") == 2
    assert index.search("miễn sinh hoạt", k=5) == [] or all(
        cid not in ("a1", "a2") for cid, _ in index.search("miễn sinh hoạt", k=5)
    )
    assert index.chunk_count("A") == 0 and len(index) == 2
    index.add([LexicalDoc("b1", "B", "Hạn nộp báo cáo quý IV đã lùi sang tháng 1.", (2,))])
    assert index.chunk_count("B") == 1
    index.close()
    reopened = LexicalIndex(tmp_path / "lex.sqlite3")
    assert reopened.document_ids() == {"B", "C"}
    assert "lùi" in (reopened.text("b1") or "")
    reopened.close()


def test_filter_keeps_only_allowed_units(tmp_path: Path) -> None:
    index = LexicalIndex(tmp_path / "lex.sqlite3")
    index.add(DOCS)
    for allowed in ({1}, {2}, {4}, {2, 3}, set()):
        for cid, _ in index.search(
            "đảng viên chi bộ báo cáo hồ sơ", k=10, allowed_unit_ids=allowed
        ):
            units = index.units(cid)
            assert units is not None and set(units) & allowed
    assert {c for c, _ in index.search("chi bộ họp", k=10, allowed_unit_ids={4})} == {"c1"}
    index.close()
