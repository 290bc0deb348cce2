"""Retrieval evaluation on any SQuAD-format file, in a temporary index.

Every `context` is indexed as its own document (contexts without questions are distractors),
chunked as the product chunks. Every question is asked; its gold is its own paragraph, and a
paragraph's rank is that of its best chunk. Queries run through the permission filter: each
paragraph is addressed to the root unit and to one ward of a small synthetic tree, and each
question is asked by a member of a ward, whose allowed units are the ward's ancestor chain and
subtree. Every paragraph stays visible (through the root), so the scores are those of the whole
collection while the latency is that of the filtered path.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from pipelines.chunking import CHUNKING_VERSION, chunk_text
from pipelines.text import nfc
from vectorstore.config import VectorConfig, VectorSettings

if TYPE_CHECKING:
    from vectorstore.hybrid import HybridIndex

log = logging.getLogger(__name__)

ROOT = 1
DISTRICTS = 4
WARDS_PER_DISTRICT = 4
CHUNK_MAX_CHARS = 1500


class EvalResult(BaseModel):
    recall_at_1: float
    recall_at_5: float
    mrr_at_10: float
    # Supplementary, as open-domain QA reports it (DPR's top-k accuracy): the first (first five)
    # paragraphs hold a gold answer text. Differs from recall where paragraphs overlap: a
    # sibling that repeats the answer sentence is right for the asker and wrong for recall.
    answer_recall_at_1: float
    answer_recall_at_5: float
    query_ms_p50: float
    query_ms_p95: float
    unfiltered_query_ms_p50: float
    unfiltered_query_ms_p95: float
    index_paragraphs_per_s: float
    index_seconds: float
    questions: int
    paragraphs: int
    chunks: int
    sentence_vectors: int
    config: dict[str, Any]


class Squad(BaseModel):
    paragraphs: list[tuple[str, str]]  # (title, context)
    questions: list[tuple[str, int]]  # (question, paragraph index)
    answers: list[list[str]] = []  # per question, its gold answer texts (may be empty)


def load_squad(path: Path) -> Squad:
    """Paragraphs and questions of a SQuAD v1/v2 file (unanswerable questions are skipped:
    they have no gold paragraph to find)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    paragraphs: list[tuple[str, str]] = []
    questions: list[tuple[str, int]] = []
    answers: list[list[str]] = []
    for article in data["data"]:
        title = nfc(str(article.get("title") or ""))
        for para in article.get("paragraphs", []):
            index = len(paragraphs)
            paragraphs.append((title, nfc(para["context"])))
            for qa in para.get("qas", []):
                if qa.get("is_impossible"):
                    continue
                questions.append((nfc(qa["question"]), index))
                answers.append([nfc(a["text"]) for a in qa.get("answers", []) if a.get("text")])
    return Squad(paragraphs=paragraphs, questions=questions, answers=answers)


def unit_tree() -> tuple[list[int], dict[int, set[int]]]:
    """Ward ids, and for each ward the units a member there may read: its ancestor chain
    (root, district, ward) plus its subtree (a ward has none below it)."""
    wards: list[int] = []
    allowed: dict[int, set[int]] = {}
    next_id = ROOT + 1
    for _ in range(DISTRICTS):
        district = next_id
        next_id += 1
        for _ in range(WARDS_PER_DISTRICT):
            ward = next_id
            next_id += 1
            wards.append(ward)
            allowed[ward] = {ROOT, district, ward}
    return wards, allowed


def index_squad(index: HybridIndex, squad: Squad) -> float:
    """Chunk and index every paragraph (one document each); returns the seconds it took."""
    from vectorstore.chunks import IndexChunk
    from vectorstore.tokens import split_sentences

    wards, _ = unit_tree()
    # Throughput, not start-up: the model is loaded by `open`, and the sentence splitter's
    # import (~0.3 s) is paid once per worker process, as the model is.
    split_sentences("Khởi động.")
    started = time.perf_counter()
    chunks: list[IndexChunk] = []
    for i, (title, context) in enumerate(squad.paragraphs):
        units = (ROOT, wards[i % len(wards)])
        for chunk in chunk_text(context, max_chars=CHUNK_MAX_CHARS):
            chunks.append(
                IndexChunk(
                    chunk_id=f"p{i}-c{chunk.ordinal}",
                    document_id=f"p{i}",
                    text=chunk.text,
                    units=units,
                    article=chunk.article,
                    headings=tuple(chunk.headings),
                    title=title,
                )
            )
    log.info("indexing %d paragraphs as %d chunks", len(squad.paragraphs), len(chunks))
    index.index_documents(chunks, progress=lambda done, total: log.info("%d/%d", done, total))
    return time.perf_counter() - started


def ask_all(
    index: HybridIndex, squad: Squad, *, filtered: bool = True, mode: str = "hybrid"
) -> tuple[list[int | None], list[float], list[list[int]]]:
    """Each question's gold rank (None past 10), its latency in ms, and its top-10 paragraphs."""
    wards, allowed = unit_tree()
    index.search("khởi động", 1, mode=mode)  # loads the query path once, outside the timings
    ranks: list[int | None] = []
    latencies: list[float] = []
    tops: list[list[int]] = []
    for j, (question, gold) in enumerate(squad.questions):
        asker = allowed[wards[j % len(wards)]] if filtered else None
        t0 = time.perf_counter()
        hits = index.search(question, 20, asker, mode=mode)
        latencies.append((time.perf_counter() - t0) * 1000)
        ranked = list(dict.fromkeys(h.document_id for h in hits))[:10]
        target = f"p{gold}"
        ranks.append(ranked.index(target) if target in ranked else None)
        tops.append([int(d[1:]) for d in ranked])
    return ranks, latencies, tops


def answer_recall(squad: Squad, tops: list[list[int]], k: int) -> float:
    """Share of questions whose first k paragraphs include the gold one or hold a gold answer
    text (case-insensitive); questions without answer texts count by the gold paragraph."""
    hits = 0
    for j, (_, gold) in enumerate(squad.questions):
        answers = [a.lower() for a in (squad.answers[j] if j < len(squad.answers) else [])]
        first = tops[j][:k]
        hits += gold in first or any(
            a in squad.paragraphs[p][1].lower() for p in first for a in answers
        )
    return round(hits / (len(squad.questions) or 1), 4)


def scores(ranks: list[int | None]) -> tuple[float, float, float]:
    """recall@1, recall@5, MRR@10."""
    n = len(ranks) or 1
    return (
        round(sum(r == 0 for r in ranks) / n, 4),
        round(sum(r is not None and r < 5 for r in ranks) / n, 4),
        round(sum(1.0 / (r + 1) for r in ranks if r is not None) / n, 4),
    )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def eval_settings(settings: VectorSettings | None) -> VectorConfig:
    """A copy of the vector sections (the app's, or the defaults) on an embedded store."""
    config = VectorConfig.of(settings) if settings is not None else VectorConfig()
    # The eval never uses the app's data: an embedded store in a fresh temporary folder.
    config.vectorstore.mode = "embedded"
    return config


def run_eval(dataset: Path, settings: VectorSettings | None = None) -> EvalResult:
    """Index the dataset into a temporary store, ask every question, and measure."""
    from vectorstore.hybrid import HybridIndex

    config = eval_settings(settings)
    squad = load_squad(dataset)
    with tempfile.TemporaryDirectory(prefix="sotay-eval-") as tmp:
        index = HybridIndex.open(Path(tmp) / "index", config, chunking_version=CHUNKING_VERSION)
        try:
            index_seconds = index_squad(index, squad)
            log.info("indexed %d paragraphs in %.1f s", len(squad.paragraphs), index_seconds)
            ranks, filtered_ms, tops = ask_all(index, squad, filtered=True)
            _, unfiltered_ms, _ = ask_all(index, squad, filtered=False)
            n_chunks, n_vectors = index.counts()
            embed_id = getattr(index.embeddings, "model_id", config.embeddings.provider)
        finally:
            index.close()

    r1, r5, mrr = scores(ranks)
    return EvalResult(
        recall_at_1=r1,
        recall_at_5=r5,
        mrr_at_10=mrr,
        answer_recall_at_1=answer_recall(squad, tops, 1),
        answer_recall_at_5=answer_recall(squad, tops, 5),
        query_ms_p50=round(percentile(filtered_ms, 50), 2),
        query_ms_p95=round(percentile(filtered_ms, 95), 2),
        unfiltered_query_ms_p50=round(percentile(unfiltered_ms, 50), 2),
        unfiltered_query_ms_p95=round(percentile(unfiltered_ms, 95), 2),
        index_paragraphs_per_s=round(len(squad.paragraphs) / max(index_seconds, 1e-9), 2),
        index_seconds=round(index_seconds, 2),
        questions=len(squad.questions),
        paragraphs=len(squad.paragraphs),
        chunks=n_chunks,
        sentence_vectors=n_vectors,
        config={
            "embeddings": embed_id,
            "dense": (
                "best sentence per chunk (max cosine); each sentence embedded after its"
                " heading, or after the chunk's first words"
            ),
            "lexical": "BM25 k1=1.2 b=0.75, syllables + bigrams + accent-free copies",
            "fusion": "z-score of BM25, best-sentence dense, best-sentence lexical",
            "weight_lexical": config.retrieval.weight_lexical,
            "weight_dense": config.retrieval.weight_dense,
            "weight_sentence": config.retrieval.weight_sentence,
            "candidates": config.retrieval.candidates,
            "reranker": (
                f"{config.retrieval.reranker}:{config.retrieval.rerank_model}"
                f" (top {config.retrieval.rerank_candidates},"
                f" weight {config.retrieval.rerank_weight})"
                if config.retrieval.reranker != "none"
                else "none"
            ),
            "vector_store": "chromadb embedded (temporary)",
            "permission_filter": "allowed units = asker's ancestor chain + subtree",
            "chunk_max_chars": CHUNK_MAX_CHARS,
            # Timings on a shared machine mean little without the load they were taken under.
            "cpu_count": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
        },
    )
