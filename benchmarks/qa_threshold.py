"""The extractive answer's trade-off per threshold (`pipelines.qa.MIN_PROBABILITY`), by the lexical
probability (evidence alone) and by the one the app uses (evidence and the question's cosine).

Every paragraph of a SQuAD-format file is indexed as its own document, addressed to a unit of
its own. Each question is asked twice, as the app asks (hybrid search, the top `--k` passages,
`pipelines.qa.select`): once with every paragraph visible, and once with its gold paragraph
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
from benchmarks import qa_party
from pipelines.chunking import CHUNKING_VERSION, chunk_text
from pipelines.qa import MIN_PROBABILITY, Passage, probability, select
from vectorstore.chunks import IndexChunk
from vectorstore.hybrid import HybridIndex

DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "shared" / "eval" / "vi-qa-dev.json"
THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(11)]


@dataclass
class Asked:
    evidence: float  # lexical evidence of the chosen quote (pipelines.qa.select)
    cosine: float  # the question's cosine with that quote
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
    query = index.embeddings.embed_query_array(question)

    def cosine(text: str) -> float:
        # Indexed sentences: their vectors come from the cache, as in the app.
        return float(query @ index.embeddings.embed_passages([text])[0])

    chosen = select(question, passages, cosine)
    if chosen is None:
        return Asked(0.0, -1.0, False)
    quoted = " ".join(text for _, text in chosen.quotes)
    return Asked(chosen.evidence, chosen.cosine or -1.0, any(a in quoted for a in answers))


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
        mark = " <- MIN_PROBABILITY" if abs(t - MIN_PROBABILITY) < 1e-9 else ""
        mark += " (best split)" if t == best else ""
        print(f"     {t:.2f} | {found:19.3f} | {right:21.3f} | {false:19.3f} | {lucky:19.3f}{mark}")


def zalo_runs(dataset: Path, k: int) -> tuple[list[Asked], list[Asked], float, int]:
    """Every question asked with its gold paragraph indexed and with it removed; the indexing
    time and the paragraph count."""
    paragraphs, questions = load(dataset)
    settings = Settings()
    settings.vectorstore.mode = "embedded"
    with tempfile.TemporaryDirectory(prefix="sotay-qa-") as tmp:
        index = HybridIndex.open(Path(tmp) / "index", settings, chunking_version=CHUNKING_VERSION)
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
        with_gold = [ask(index, texts, q, a, None, k) for q, _, a in questions]
        without = [ask(index, texts, q, a, everyone - {g + 1}, k) for q, g, a in questions]
        index.close()

    return with_gold, without, indexed_s, len(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--k", type=int, default=Settings().llm.top_k)
    parser.add_argument("--party", type=Path, default=qa_party.DEFAULT_DATASET)
    parser.add_argument("--no-party", action="store_true")
    args = parser.parse_args()
    with_gold, without, indexed_s, n_paragraphs = zalo_runs(args.dataset, args.k)
    questions = with_gold
    n = len(questions)
    print(f"dataset {args.dataset.name}: {n_paragraphs} paragraphs, {n} questions, k={args.k}")
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
    table(
        "probability from the lexical evidence alone (no embedder)",
        [(probability(a.evidence, None), probability(b.evidence, None)) for a, b in pairs],
        both,
    )
    table(
        "probability from the evidence and the cosine (what the app uses)",
        [(probability(a.evidence, a.cosine), probability(b.evidence, b.cosine)) for a, b in pairs],
        both,
    )
    if not args.no_party:
        print(f"\nparty-domain dev set ({args.party}): answers per threshold, by document half")
        qa_party.run(args.party)


if __name__ == "__main__":
    main()
