"""Retrieval on a SQuAD-format dev set: BM25 only, dense only and hybrid side by side, then the
vector store's filtered against unfiltered query latency.

    python benchmarks/retrieval.py                                   # ../shared/eval/vi-qa-dev.json
    python benchmarks/retrieval.py --questions 200 --extra 20000     # smaller run, bigger store

Indexes into a temporary folder (never the app's data). `--extra N` adds N random sentence
vectors addressed to units nobody in the test tree may read, so the store's post-filter has to
skip them and the filtered-query fallback shows its cost at a larger collection size.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.config import Settings  # noqa: E402
from pipelines.chunking import CHUNKING_VERSION  # noqa: E402
from pipelines.eval_retrieval import (  # noqa: E402
    ask_all,
    eval_settings,
    index_squad,
    load_squad,
    percentile,
    scores,
    unit_tree,
)
from vectorstore.hybrid import HybridIndex  # noqa: E402
from vectorstore.store import VectorRecord  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "vi-qa-dev.json"


def store_latency(
    index: HybridIndex, queries: list[str], allowed: set[int]
) -> list[tuple[str, float, float]]:
    vectors = [index.embeddings.embed_query_array(q) for q in queries]
    rows = []
    memory = index.lexical.units  # the audience map the hybrid search hands the store
    cases: list[tuple[str, set[int] | None, str, bool]] = [
        ("unfiltered", None, "auto", True),
        ("filtered, post-filter, audience from memory (hybrid's path)", allowed, "auto", True),
        ("filtered, post-filter, audience from chroma metadata", allowed, "auto", False),
        ("filtered, chroma where only", allowed, "where", False),
        ("filtered, one ward only (post-filter falls back to where)", {max(allowed)}, "auto", True),
    ]
    for name, units, strategy, from_memory in cases:
        ms = []
        for v in vectors:
            t0 = time.perf_counter()
            index.store.query(
                v,
                100,
                units,
                strategy=strategy,  # type: ignore[arg-type]
                units_of=memory if from_memory else None,
            )
            ms.append((time.perf_counter() - t0) * 1000)
        rows.append((name, percentile(ms, 50), percentile(ms, 95)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT)
    parser.add_argument("--questions", type=int, default=0, help="ask only the first N")
    parser.add_argument("--extra", type=int, default=0, help="extra random vectors in the store")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    squad = load_squad(args.dataset)
    if args.questions:
        squad = squad.model_copy(update={"questions": squad.questions[: args.questions]})
    settings = eval_settings(Settings())
    with tempfile.TemporaryDirectory(prefix="sotay-bench-") as tmp:
        index = HybridIndex.open(Path(tmp) / "index", settings, chunking_version=CHUNKING_VERSION)
        seconds = index_squad(index, squad)
        chunks, vectors = index.counts()
        print(f"\n{len(squad.paragraphs)} paragraphs ({chunks} chunks, {vectors} sentence vectors)")
        print(f"indexed in {seconds:.1f} s: {len(squad.paragraphs) / seconds:.1f} paragraphs/s\n")
        print("| method | recall@1 | recall@5 | MRR@10 | p50 ms | p95 ms |")
        print("|---|---|---|---|---|---|")
        for mode, label in (
            ("lexical", "BM25 only"),
            ("dense", "dense only"),
            ("hybrid", "hybrid"),
        ):
            ranks, ms, _ = ask_all(index, squad, filtered=True, mode=mode)
            r1, r5, mrr = scores(ranks)
            p50, p95 = percentile(ms, 50), percentile(ms, 95)
            print(f"| {label} | {r1:.3f} | {r5:.3f} | {mrr:.3f} | {p50:.1f} | {p95:.1f} |")
        _, ms, _ = ask_all(index, squad, filtered=False)
        print(f"| hybrid, no filter | | | | {percentile(ms, 50):.1f} | {percentile(ms, 95):.1f} |")

        if args.extra:
            rng = np.random.default_rng(0)
            extra = rng.normal(size=(args.extra, 384)).astype(np.float32)
            extra /= np.linalg.norm(extra, axis=1, keepdims=True)
            index.store.add(
                [
                    VectorRecord(f"x{i}", 0, f"x{i}", "", (10_000 + i % 50,), "", v)
                    for i, v in enumerate(extra)
                ]
            )
        _, allowed = unit_tree()
        asker = next(iter(allowed.values()))
        queries = [q for q, _ in squad.questions[:200]]
        print(f"\nvector store alone, {index.store.count()} vectors, k=100 sentences")
        print("| query | p50 ms | p95 ms |")
        print("|---|---|---|")
        for name, p50, p95 in store_latency(index, queries, asker):
            print(f"| {name} | {p50:.1f} | {p95:.1f} |")
        index.close()


if __name__ == "__main__":
    main()
