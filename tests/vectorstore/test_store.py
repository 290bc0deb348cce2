"""chromadb store in a temporary folder: the audience filter never lets a chunk through that is
not addressed to an allowed unit, on the post-filter path and on the filtered-query fallback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vectorstore.store import ChromaStore, VectorRecord


def _records(n: int) -> list[VectorRecord]:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(n, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    # Unit 1 is the root: addressed by every tenth chunk; the others go to units 2..9.
    return [
        VectorRecord(
            chunk_id=f"c{i}",
            ordinal=0,
            document_id=f"d{i // 2}",
            article="",
            units=(1, 2 + i % 8) if i % 10 == 0 else (2 + i % 8,),
            text=f"câu {i}",
            vector=vectors[i],
        )
        for i in range(n)
    ]


@pytest.fixture
def store(tmp_path: Path) -> ChromaStore:
    s = ChromaStore(path=tmp_path / "chroma", collection="test_sentences")
    s.add(_records(200))
    return s


@pytest.mark.parametrize("strategy", ["auto", "post", "where"])
@pytest.mark.parametrize("allowed", [{1}, {3}, {2, 9}, {4, 5, 6}, {99}])
def test_filter_never_returns_a_chunk_outside_the_allowed_units(
    store: ChromaStore, strategy: str, allowed: set[int]
) -> None:
    records = {r.chunk_id: r for r in _records(200)}
    rng = np.random.default_rng(1)
    for _ in range(5):
        query = rng.normal(size=16).astype(np.float32)
        hits = store.query(query, 10, allowed, strategy=strategy)  # type: ignore[arg-type]
        for hit in hits:
            assert set(records[hit.chunk_id].units) & allowed
        if strategy != "post":
            eligible = [r for r in records.values() if set(r.units) & allowed]
            assert len(hits) == min(10, len(eligible))


def test_filtered_results_are_the_nearest_allowed(store: ChromaStore) -> None:
    query = _records(200)[33].vector
    unfiltered = store.query(query, 200)
    expected = [h.chunk_id for h in unfiltered if 5 in h.units][:5]
    assert [h.chunk_id for h in store.query(query, 5, {5}, strategy="where")] == expected
    assert [h.chunk_id for h in store.query(query, 5, {5})] == expected


def test_remove_and_reopen(tmp_path: Path) -> None:
    s = ChromaStore(path=tmp_path / "chroma", collection="test_sentences")
    s.add(_records(20))
    s.remove_document("d0")
    assert s.count() == 18 and s.count_document("d0") == 0
    reopened = ChromaStore(path=tmp_path / "chroma", collection="test_sentences")
    assert reopened.count() == 18
    assert "d0" not in reopened.document_ids()
    assert reopened.texts(["c5:0"]) == {"c5:0": "câu 5"}


def test_a_chunk_without_audience_is_refused(tmp_path: Path) -> None:
    s = ChromaStore(path=tmp_path / "chroma")
    record = _records(1)[0]
    bad = VectorRecord("x", 0, "d", "", (), "câu", record.vector)
    with pytest.raises(ValueError, match="audience"):
        s.add([bad])
