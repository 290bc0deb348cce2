"""The reranker seam inside hybrid search. No cross-encoder ships in a package, so the scorer
here is a stand-in with a known preference (the sentence-transformers one is exercised by
test_embeddings_st.py); what is under test is the blend, the head size and the permission
filter in front of the model."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from pipelines.chunking import CHUNKING_VERSION
from tests.vectorstore.test_hybrid import CHUNKS
from vectorstore.config import RetrievalSettings, VectorConfig
from vectorstore.hybrid import HybridIndex
from vectorstore.rerank import make_reranker


class Prefers:
    """Scores 1 for a text holding `word`, 0 otherwise; records what it was shown."""

    model_id = "test-prefers"

    def __init__(self, word: str) -> None:
        self.word = word
        self.seen: list[str] = []

    def scores(self, query: str, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.array([1.0 if self.word in t else 0.0 for t in texts], dtype=np.float32)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HybridIndex]:
    path = tmp_path_factory.mktemp("rerank")
    index = HybridIndex.open(path / "index", VectorConfig(), chunking_version=CHUNKING_VERSION)
    index.index_documents(CHUNKS)
    yield index
    index.close()


QUESTION = "Đảng viên được miễn sinh hoạt đảng khi nào?"


def test_a_strong_reranker_reorders_the_head(built: HybridIndex) -> None:
    plain = [h.chunk_id for h in built.search(QUESTION, 4)]
    assert plain[0] == "qd-1"
    built.reranker, built.rerank_weight = Prefers("văn hóa"), 5.0
    try:
        reranked = [h.chunk_id for h in built.search(QUESTION, 4)]
    finally:
        built.reranker = None
    assert reranked[0] == "tb-1" and set(reranked) == set(plain)


def test_weight_zero_keeps_the_fused_order(built: HybridIndex) -> None:
    plain = [h.chunk_id for h in built.search(QUESTION, 4)]
    built.reranker, built.rerank_weight = Prefers("văn hóa"), 0.0
    try:
        assert [h.chunk_id for h in built.search(QUESTION, 4)] == plain
    finally:
        built.reranker = None


def test_the_reranker_only_reads_what_the_asker_may_see(built: HybridIndex) -> None:
    spy = Prefers("văn hóa")
    built.reranker, built.rerank_weight = spy, 5.0
    try:
        hits = built.search(QUESTION, 4, allowed_unit_ids=[1, 2])
    finally:
        built.reranker = None
    assert {h.document_id for h in hits} <= {"qd", "kh"}
    assert spy.seen and not any("văn hóa" in t for t in spy.seen)


def test_factory() -> None:
    assert make_reranker(RetrievalSettings()) is None
    with pytest.raises(ValueError, match="RERANK_MODEL"):
        make_reranker(RetrievalSettings(reranker="cross-encoder"))
