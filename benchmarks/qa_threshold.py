"""Calibrates the extractive answer's evidence threshold (`pipelines.qa.MIN_EVIDENCE`), by term
coverage alone and by the support the app uses (coverage + DENSE_WEIGHT x (cosine - center)).

Every paragraph of a SQuAD-format file is indexed as its own document, addressed to a unit of
its own. Each question is asked twice, as the app asks (hybrid search, the top `--k` passages,
`rank_sentences`): once with every paragraph visible, and once with its gold paragraph
filtered out in the store query, so that only distractors are left (the lexical statistics
still count the gold paragraph: a negligible difference over a whole collection). For each
threshold the table prints how often the answer is given in both settings, and how often the
quoted sentence contains the gold answer text.

    .venv/bin/python -m benchmarks.qa_threshold [--dataset ../shared/eval/vi-qa-dev.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from app.core.config import Settings
from app.core.text import nfc
from pipelines.chunking import chunk_text
from pipelines.qa import MIN_EVIDENCE, Passage, rank_sentences, support
from vectorstore.hybrid import HybridIndex, IndexChunk

DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "shared" / "eval" / "vi-qa-dev.json"
THRESHOLDS = [round(0.25 + 0.05 * i, 2) for i in range(13)]


@dataclass
class Asked:
    evidence: float  # term coverage of the top-ranked sentence
    cosine: float  # the question's cosine with that sentence
    holds_answer: bool  # the top-ranked sentence contains a gold answer text


def load(path: Path) -> tuple[list[str], list[tuple[str, int, list[str]]]]:
    """Paragraphs, and (question, paragraph index, answer texts) for answerable questions."""
    data = json.loads(path.read_text(encoding="utf-8"))
    paragraphs: list[str] = []
    questions: list[tuple[str, int, list[str]]] = []
    for article in data["data"]:
        for para in article.get("paragraphs", []):
            paragraphs.append(nfc(para["context"]))
            for qa in para.get("qas", []):
                if not qa.get("is_impossible"):
                    answers = [nfc(a["text"]) for a in qa.get("answers", []) if a.get("text")]
                    questions.append((nfc(qa["question"]), len(paragraphs) - 1, answers))
    return paragraphs, questions


def ask(
    index: HybridIndex,
    texts: dict[str, str],
    question: str,
    answers: list[str],
    allowed: set[int] | None,
    k: int,
) -> Asked:
    # As app.knowledge.service.retrieve: twice k candidates, the first k kept.
    hits = index.search(question, k=k * 2, allowed_unit_ids=allowed, snippets=False)[:k]
    passages = [
        Passage(
            chunk_id=h.chunk_id,
            ordinal=0,
            document_id=int(h.document_id),
            title="",
            text=texts[h.chunk_id],
            score=h.score,
        )
        for h in hits
    ]
    ranked = rank_sentences(question, passages)
    if not ranked:
        return Asked(0.0, -1.0, False)
    sentence = ranked[0][4]
    # Indexed sentences: their vectors come from the cache, as in the app.
    vector = index.embeddings.embed_passages([sentence])[0]
    cosine = float(index.embeddings.embed_query_array(question) @ vector)
    return Asked(ranked[0][1], cosine, any(a in sentence for a in answers))


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a gold-indexed question outscores a gold-removed one."""
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / max(len(pos) * len(neg), 1)


def table(name: str, score: list[tuple[float, float]], runs: list[list[Asked]]) -> None:
    """Rows per threshold for one score; `score[i]` is (gold indexed, gold removed)."""
    with_gold, without = runs
    n = len(with_gold)
    pos, neg = [s for s, _ in score], [s for _, s in score]
    print(f"\n{name}: AUC {auc(pos, neg):.3f}")
    print(
        "threshold | found, gold indexed | ...quoting the answer "
        "| found, gold removed | ...quoting an answer"
    )
    print(
        "----------|---------------------|-----------------------|---------------------|" + "-" * 21
    )
    best = max(THRESHOLDS, key=lambda t: sum(p >= t for p in pos) - sum(q >= t for q in neg))
    for t in THRESHOLDS:
        found = sum(p >= t for p in pos) / n
        right = sum(p >= t and r.holds_answer for p, r in zip(pos, with_gold, strict=True)) / n
        false = sum(q >= t for q in neg) / n
        lucky = sum(q >= t and r.holds_answer for q, r in zip(neg, without, strict=True)) / n
        mark = " <- MIN_EVIDENCE" if abs(t - MIN_EVIDENCE) < 1e-9 else ""
        mark += " (best split)" if t == best else ""
        print(f"     {t:.2f} | {found:19.3f} | {right:21.3f} | {false:19.3f} | {lucky:19.3f}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--k", type=int, default=Settings().llm.top_k)
    args = parser.parse_args()
    paragraphs, questions = load(args.dataset)
    settings = Settings()
    settings.vectorstore.mode = "embedded"
    with tempfile.TemporaryDirectory(prefix="sotay-qa-") as tmp:
        index = HybridIndex.open(Path(tmp) / "index", settings)
        texts: dict[str, str] = {}
        chunks: list[IndexChunk] = []
        for i, context in enumerate(paragraphs):
            for c in chunk_text(context, max_chars=1500):
                key = f"p{i}c{c.ordinal}"
                texts[key] = c.text
                # Unit i+1 is paragraph i's alone: leaving it out of the allowed set removes it.
                chunks.append(IndexChunk(key, str(i), c.text, (i + 1,), c.article))
        started = time.perf_counter()
        index.index_documents(chunks)
        indexed_s = time.perf_counter() - started
        everyone = {i + 1 for i in range(len(paragraphs))}
        with_gold = [ask(index, texts, q, a, None, args.k) for q, _, a in questions]
        without = [ask(index, texts, q, a, everyone - {g + 1}, args.k) for q, g, a in questions]
        index.close()

    n = len(questions)
    print(f"dataset {args.dataset.name}: {len(paragraphs)} paragraphs, {n} questions, k={args.k}")
    print(f"(indexed in {indexed_s:.1f} s)")
    for name, runs in (("gold indexed", with_gold), ("gold removed", without)):
        ev = [r.evidence for r in runs]
        quart = statistics.quantiles(ev, n=4)
        print(
            f"top-sentence evidence, {name}: median {statistics.median(ev):.3f}, "
            f"quartiles {quart[0]:.3f} / {quart[2]:.3f}"
        )
    # A distractor may hold the answer too (several paragraphs on one topic): the last column
    # counts the answers given without the gold paragraph that still quote a gold answer text.
    both = [with_gold, without]
    pairs = list(zip(with_gold, without, strict=True))
    table("term coverage alone", [(a.evidence, b.evidence) for a, b in pairs], both)
    table(
        "support = coverage + dense (what the app uses)",
        [(support(a.evidence, a.cosine), support(b.evidence, b.cosine)) for a, b in pairs],
        both,
    )


if __name__ == "__main__":
    main()
