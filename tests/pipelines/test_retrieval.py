"""pipelines.retrieval: search never reaches past the asker's audience tokens, and the shared
handle reloads only when the writer's generation moves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines import retrieval
from tests.vectorstore.test_hybrid import CHUNKS
from vectorstore.config import VectorConfig

QUESTION = "Hạn nộp báo cáo quý IV là ngày nào?"


@pytest.fixture
def index_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "index"
    retrieval.open_index(path, VectorConfig(), 1).index_documents(CHUNKS)
    yield path
    retrieval.close_all()


def test_an_empty_audience_finds_nothing_rather_than_everything(index_path: Path) -> None:
    index = retrieval.open_index(index_path, VectorConfig())
    assert index.search(QUESTION, 10)  # unfiltered, the index has an answer
    assert retrieval.retrieve(index, QUESTION, audience=set(), k=10) == []
    assert retrieval.retrieve(index, QUESTION, audience=(), k=10) == []


def test_only_chunks_sharing_a_token_are_returned(index_path: Path) -> None:
    index = retrieval.open_index(index_path, VectorConfig())
    by_chunk = {c.chunk_id: set(c.units) for c in CHUNKS}
    for audience in ({1}, {3}, {1, 3}, {99}):
        hits = retrieval.retrieve(index, QUESTION, audience=audience, k=10)
        assert all(by_chunk[h.chunk_id] & audience for h in hits), audience
        reachable = {c for c, units in by_chunk.items() if units & audience}
        assert {h.chunk_id for h in hits} <= reachable
    assert retrieval.retrieve(index, QUESTION, audience={99}, k=10) == []
    assert retrieval.retrieve(index, QUESTION, audience={2}, k=1)[0].chunk_id == "kh-1"


def test_the_handle_is_shared_and_reloads_on_a_new_generation(index_path: Path) -> None:
    first = retrieval.open_index(index_path, VectorConfig(), 1)
    postings = first.lexical
    assert retrieval.open_index(index_path, VectorConfig(), 1) is first
    assert first.lexical is postings  # same generation: nothing re-read
    assert retrieval.open_index(index_path, VectorConfig(), 2) is first
    assert first.lexical is not postings  # swapped, so a search under way keeps the old one
    retrieval.mark_generation(index_path, 3)
    swapped = first.lexical
    retrieval.open_index(index_path, VectorConfig(), 3)
    assert first.lexical is swapped  # the writer marked its own handle current


def test_query_similarity_is_the_cosine_with_the_bare_sentence(index_path: Path) -> None:
    index = retrieval.open_index(index_path, VectorConfig())
    query = retrieval.embed_query(index, QUESTION)
    similarity = retrieval.QuerySimilarity(index, query)
    near = similarity("Hạn nộp báo cáo quý IV là ngày 15 tháng 12.")
    far = similarity("Chi bộ họp vào tối thứ sáu.")
    assert -1.0 <= far < near <= 1.0
    # A reader never writes the vector cache: the sentence is embedded again when asked.
    cache = index.embeddings
    misses = cache.misses
    similarity("Một câu chưa từng được lập chỉ mục.")
    cache.embed_passages(["Một câu chưa từng được lập chỉ mục."], remember=False)
    assert cache.misses == misses + 2
