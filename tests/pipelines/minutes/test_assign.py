"""Assigning statements to agenda items and picking them: explicit tags first, similarity with
the packaged embeddings (or the lexical fallback), MMR for variety."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from pipelines.minutes import Embedder, NoteLine, check_minutes, draft_minutes
from pipelines.minutes.assign import lexical_vectors, mmr
from pipelines.minutes.discussion import assign, collect, unique
from tests.pipelines.minutes.fixtures import meeting
from tests.pipelines.minutes.helpers import assert_figures, assert_provenance


@pytest.fixture(scope="module")
def embedder() -> Iterator[Embedder]:
    from vectorstore.config import EmbeddingSettings
    from vectorstore.embeddings import make_embeddings

    provider: Embedder = make_embeddings(EmbeddingSettings())
    yield provider


def _items(embedder: Embedder | None) -> dict[str, int]:
    data = meeting()
    candidates = unique(collect(data))
    assign(data, candidates, embedder)
    return {c.text: data.record.agenda[c.item].id for c in candidates}


def test_packaged_embedder_assigns_untagged_statements(embedder: Embedder) -> None:
    items = _items(embedder)
    assert items["Hướng dẫn cài ứng dụng trên điện thoại cho các đồng chí chưa biết dùng."] == 3
    assert items["Tháng này khu phố đã hoàn thành vệ sinh môi trường đường phố."] == 1
    assert items["Về việc kết nạp quần chúng Trần Văn Quý, chi bộ đã thẩm tra lý lịch."] == 2
    assert items["Quần chúng Trần Văn Quý gương mẫu, tôi đồng ý đề nghị kết nạp."] == 2  # a comment
    # Tags win over similarity: a note tagged to item 1 stays there.
    assert items["Rà soát danh sách hộ nghèo trước khi xét hỗ trợ dịp Tết."] == 1


def test_draft_with_packaged_embedder(embedder: Embedder) -> None:
    data = meeting()
    draft = draft_minutes(data, embedder=embedder)
    assert_figures(draft, data)
    assert_provenance(draft, data)
    assert check_minutes(draft.text_sections(), data.record) == []
    assert "Hướng dẫn cài ứng dụng trên điện thoại" in draft.section("item-3").text()
    assert draft_minutes(meeting(), embedder=embedder) == draft


def test_lexical_fallback_uses_shared_words() -> None:
    items = _items(None)
    assert items["Về việc kết nạp quần chúng Trần Văn Quý, chi bộ đã thẩm tra lý lịch."] == 2
    assert items["Về chuyển đổi số, đề nghị mở lớp hướng dẫn dùng ứng dụng Sổ Tay."] == 3
    vectors = lexical_vectors(["chuyển đổi số", "chuyển đổi số cho đảng viên", "hộ nghèo"])
    assert vectors[0] @ vectors[1] > 0.5 and vectors[0] @ vectors[2] == 0


def test_mmr_prefers_variety_over_a_near_duplicate() -> None:
    vectors = np.array([[1, 0, 0], [0.99, 0.14, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    relevance = [0.9, 0.89, 0.6, 0.1]
    assert mmr(relevance, vectors, 2) == [0, 2]
    assert mmr(relevance, vectors, 2, lam=1.0) == [0, 1]
    assert mmr(relevance, vectors, 1, chosen=[0]) == [2]


def test_at_most_max_per_item_besides_comments() -> None:
    data = meeting()
    data.notes += [
        NoteLine(text=f"Ý kiến số {n}: cần chăm lo Tết cho hộ nghèo khu phố.", agenda_item_id=1)
        for n in range(12)
    ]
    draft = draft_minutes(data, max_per_item=3)
    discussion = [s for s in draft.section("item-1").sentences if s.part == "discussion"]
    comments = [c for c in data.record.comments if c.agenda_item_id == 1]
    assert len(discussion) == len(comments) + 3
    # Near-identical lines are not all picked: at most one of the twelve.
    assert sum("cần chăm lo Tết cho hộ nghèo" in s.text for s in discussion) <= 1


def test_notes_tagged_inline_by_agenda_number() -> None:
    data = meeting()
    data.notes = [
        NoteLine(text="[3] Đ/c Hải: đề nghị in tài liệu khổ chữ lớn cho các cụ."),
        NoteLine(text="[Nội dung 2] Đề nghị bổ sung nhận xét của chi đoàn khu phố."),
        NoteLine(text="[9] Một số thứ tự không có trong chương trình, gắn theo nội dung câu."),
    ]
    draft = draft_minutes(data)
    assert "Đồng chí Đặng Văn Hải phát biểu: đề nghị in tài liệu khổ chữ lớn cho các cụ." in (
        draft.section("item-3").text()
    )
    assert "Đề nghị bổ sung nhận xét của chi đoàn khu phố." in draft.section("item-2").text()
    assert "[9]" not in draft.text() and "[3]" not in draft.text()
    assert_provenance(draft, data)
