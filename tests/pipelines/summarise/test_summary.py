"""The offline summary: key points by centrality and coverage that cite their chunk, the tasks,
the short version without abbreviations, and an instruction inside the document that changes
nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipelines.minutes import Embedder
from pipelines.summarise import DocumentSummary, expand_abbreviations, key_points, summarise
from pipelines.summarise.keypoints import MAX_POINTS, MIN_POINTS
from tests.pipelines.summarise.helpers import (
    INJECTION,
    content_words,
    dataset,
    reference,
    with_injection,
)


@pytest.fixture(scope="module")
def embedder() -> Iterator[Embedder]:
    from vectorstore.config import EmbeddingSettings
    from vectorstore.embeddings import make_embeddings

    provider: Embedder = make_embeddings(EmbeddingSettings())
    yield provider


def _assert_cited(summary: DocumentSummary, index: int) -> None:
    chunks = {c.id: c for c in reference(index).chunks}
    assert MIN_POINTS <= len(summary.key_points) <= MAX_POINTS
    for point in summary.key_points:
        chunk = chunks[point.chunk_id]
        assert point.article == chunk.article
        # the key words of the point occur in the chunk it cites
        assert content_words(point.text) <= content_words(chunk.text), point.text
    for task in summary.tasks:
        assert task.chunk_id in chunks
    assert len(summary.short) == 3
    for sentence in summary.short:
        assert sentence.chunk_ids and set(sentence.chunk_ids) <= set(chunks)


@pytest.mark.parametrize("index", range(len(dataset().documents)))
def test_every_reference_document_lexical(index: int) -> None:
    summary = summarise(reference(index))
    _assert_cited(summary, index)
    assert summary.mode == "offline" and summary.fallback_reason is None
    assert summarise(reference(index)) == summary  # deterministic


@pytest.mark.parametrize("index", [0, 2, 4])
def test_packaged_embeddings(embedder: Embedder, index: int) -> None:
    summary = summarise(reference(index), embedder)
    _assert_cited(summary, index)
    assert summarise(reference(index), embedder) == summary
    # in reading order, distinct, and not all from one article (coverage)
    texts = [p.text for p in summary.key_points]
    assert len(set(texts)) == len(texts)
    assert len({p.article.split(",")[0] for p in summary.key_points}) >= 2


def test_key_points_leave_out_headers_and_recipients() -> None:
    for point in key_points(reference(0)):
        assert not point.text.isupper()
        assert not point.text.lower().startswith(("nơi nhận", "t/m", "số "))


def test_short_version_writes_out_abbreviations() -> None:
    text = (
        "Thực hiện Chỉ thị 05-CT/TW và NQ của BCH, UBND phường phối hợp MTTQ, "
        "theo Quyết định 123/QĐ-UBND, xong trước 30/6/2026 (theo mẫu)."
    )
    plain = expand_abbreviations(text)
    assert plain == (
        "Thực hiện Chỉ thị số 05 của Trung ương và nghị quyết của Ban Chấp hành, "
        "Ủy ban nhân dân phường phối hợp Mặt trận Tổ quốc, theo Quyết định số 123 của "
        "Ủy ban nhân dân, xong trước ngày 30 tháng 6 năm 2026."
    )
    assert expand_abbreviations("các văn bản CT/TW") == "các văn bản chỉ thị của Trung ương"
    assert expand_abbreviations("xong trong quý I/2026") == "xong trong quý 1 năm 2026"


def test_short_version_puts_a_task_of_the_cell_first_among_tasks() -> None:
    short = summarise(reference(2)).short
    assert any(s.text.startswith("Các chi bộ") and "quý 1 năm 2026" in s.text for s in short)


@pytest.mark.parametrize("index", range(len(dataset().documents)))
def test_short_version_has_no_abbreviation_left(index: int) -> None:
    from audio.tts.normalise import load_table

    table = load_table()
    keys = {*table.words, *table.issuers, *table.doctypes}
    for sentence in summarise(reference(index)).short:
        tokens = set(sentence.text.replace("/", " ").replace("-", " ").replace(",", " ").split())
        assert not [t for t in tokens if t in keys and t.isupper()], sentence.text


def test_an_instruction_in_the_document_changes_nothing(embedder: Embedder) -> None:
    for emb in (None, embedder):
        plain = summarise(reference(0), emb)
        injected = summarise(with_injection(reference(0)), emb)
        assert injected == plain
        everything = " ".join(
            [p.text for p in injected.key_points]
            + [t.text for t in injected.tasks]
            + [s.text for s in injected.short]
        )
        assert "tóm tắt rằng" not in everything and "nghỉ sinh hoạt" not in everything
    assert INJECTION in with_injection(reference(0)).chunks[3].text
