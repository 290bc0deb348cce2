"""The answer step's trade-off on a party-domain dev set (tests/data/qa): per threshold, correct answers, wrong ones and missed ones, for each half of the documents and the whole set.

The dataset is published as `sotay eval qa` publishes it (a temporary organisation, the index
jobs run here); each question is retrieved once as its member, with its query vector, and the
answer step is then run at every threshold on the same passages. Halves are by document: a
question belongs to half 0 or 1 by the index of its gold document (for a question in no
document, by its own index), so that weights chosen on one half can be checked on the other.

    .venv/bin/python -m benchmarks.qa_party [--dataset tests/data/qa/party/dataset.json]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.core.config import Settings
from app.core.db import Database
from app.core.migrate import upgrade
from app.jobs.service_dispatch import use_dispatcher
from app.knowledge import service as knowledge_service
from app.knowledge import service_index
from app.knowledge.service_eval import (
    RecordingDispatcher,
    _actor,
    _Org,
    eval_settings,
    publish_all,
    run_index_jobs,
)
from pipelines.eval_qa import QuestionSpec, judge, load_dataset, norm_number
from pipelines.qa import MIN_PROBABILITY, Passage, answer_extractive

DEFAULT_DATASET = Path(__file__).resolve().parents[1] / "tests/data/qa/party/dataset.json"
THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(11)]


@dataclass
class Case:
    question: QuestionSpec
    half: int
    passages: list[Passage]
    vector: np.ndarray


def collect(
    dataset: Path, settings: Settings, tmp: Path
) -> tuple[list[Case], Callable[[str], np.ndarray]]:
    """Every question's passages as its member sees them, and a sentence embedder (memoised:
    every threshold asks for the same sentences); the data dir is made under `tmp`."""
    data = load_dataset(dataset)
    order = {norm_number(d.number): i for i, d in enumerate(data.documents)}
    sent = RecordingDispatcher()
    cases: list[Case] = []
    cfg = eval_settings(settings, tmp / "data")
    db = Database(cfg)
    use_dispatcher(sent)
    try:
        upgrade(db.engine)
        with db.session() as s:
            org = _Org(s, data)
        publish_all(db, cfg, data, org)
        run_index_jobs(db, cfg, sent)
        embeddings = service_index.open_index(cfg).embeddings
        for n, q in enumerate(data.questions):
            with db.session() as s:
                actor = _actor(s, org.accounts[q.ask_as])
                vector = embeddings.embed_query_array(q.question)
                passages = knowledge_service.retrieve(s, cfg, actor, q.question, vector)
            half = order[norm_number(q.document)] % 2 if q.document else n % 2
            cases.append(Case(q, half, passages, vector))
    finally:
        use_dispatcher(None)
        db.dispose()
    memo: dict[str, np.ndarray] = {}

    def embed(sentence: str) -> np.ndarray:
        if sentence not in memo:
            memo[sentence] = np.asarray(embeddings.embed_passages([sentence], remember=False)[0])
        return memo[sentence]

    return cases, embed


def outcomes(
    cases: Sequence[Case], embed: Callable[[str], np.ndarray], threshold: float
) -> list[tuple[int, str, str]]:
    """(half, expect, verdict) per question, answered at `threshold`."""
    out: list[tuple[int, str, str]] = []
    for c in cases:
        vector = c.vector

        def similarity(sentence: str, v: np.ndarray = vector) -> float:
            return float(v @ embed(sentence))

        a = answer_extractive(
            c.question.question, c.passages, min_probability=threshold, similarity=similarity
        )
        o = judge(
            c.question,
            a.found,
            a.answer,
            [x.number or "" for x in a.citations],
            [x.article for x in a.citations],
            0.0,
        )
        out.append((c.half, o.expect, o.verdict))
    return out


def print_table(rows: dict[float, list[tuple[int, str, str]]]) -> None:
    print(
        "threshold | set   | correct / answerable | wrong (answerable) | declined wrongly "
        "| wrong on unanswerable"
    )
    print(
        "----------|-------|----------------------|--------------------|------------------|"
        + "-" * 22
    )
    for t, res in rows.items():
        mark = " <- MIN_PROBABILITY" if abs(t - MIN_PROBABILITY) < 1e-9 else ""
        for name, keep in (("half0", {0}), ("half1", {1}), ("all", {0, 1})):
            sel = [r for r in res if r[0] in keep]
            ans = [v for _, e, v in sel if e == "answer"]
            una = [v for _, e, v in sel if e == "decline"]
            correct = ans.count("correct")
            print(
                f"     {t:.2f} | {name:5} | {correct:3d}/{len(ans):3d} = {correct / max(len(ans), 1):6.1%}"
                f" | {ans.count('wrong'):18d} | {ans.count('declined_wrongly'):16d} "
                f"| {una.count('wrong'):3d}/{len(una):3d} = {una.count('wrong') / max(len(una), 1):6.1%}"
                f"{mark if name == 'all' else ''}"
            )


def run(dataset: Path) -> None:
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="sotay-qa-party-") as tmp:
        cases, embed = collect(dataset, Settings(), Path(tmp))
        print(f"dataset {dataset.name}: {len(cases)} questions")
        print_table({t: outcomes(cases, embed, t) for t in THRESHOLDS})
        service_index.close_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    run(parser.parse_args().dataset)


if __name__ == "__main__":
    main()
