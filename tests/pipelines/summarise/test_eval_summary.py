"""The reference set (tests/data/summaries) and `sotay eval summary`: every annotation points
at a sentence of its clause, and the figures stay at the level reached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli_eval import eval_app
from pipelines.chunking import chunk_text
from pipelines.summarise import PartyKind
from pipelines.summarise.evaluate import Dataset, run_eval

DATASET = Path(__file__).parents[2] / "data" / "summaries" / "dataset.json"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.model_validate(json.loads(DATASET.read_text(encoding="utf-8")))


def test_reference_set_size(dataset: Dataset) -> None:
    dev = [d for d in dataset.documents if d.split == "dev"]
    held_out = [d for d in dataset.documents if d.split == "held_out"]
    assert len(dev) >= 8 and len(held_out) >= 2
    assert sum(len(d.tasks) for d in dataset.documents) >= 60
    kinds = {d.file.split("-")[1] for d in dataset.documents}
    assert {"ct", "kh", "nq", "tb", "hd", "bc"} <= kinds


def test_every_annotation_quotes_its_clause(dataset: Dataset) -> None:
    for doc in dataset.documents:
        chunks = chunk_text((DATASET.parent / doc.file).read_text(encoding="utf-8"))
        for task in doc.tasks:
            PartyKind(task.responsible_kind)
            holding = [c for c in chunks if task.quote in c.text]
            assert [c.article for c in holding] == [task.clause], (doc.file, task.quote)


def test_figures_at_the_level_reached() -> None:
    r = run_eval(DATASET)
    dev, held_out, every = r.splits["dev"], r.splits["held_out"], r.splits["all"]
    # Issue 16: at least 0.8 recall on deadlines, on the documents the rules never saw too.
    assert held_out["deadline_recall"] >= 0.8
    # Reached: dev 0.964/1.000/0.982, held-out 0.963/0.963/0.889, all 0.964/0.991/0.958.
    assert every["precision"] >= 0.95 and every["recall"] >= 0.98
    assert every["deadline_recall"] >= 0.95 and every["deadline_accuracy"] >= 0.97
    assert every["responsible_accuracy"] >= 0.99 and every["citation_accuracy"] >= 0.99
    assert held_out["precision"] >= 0.95 and held_out["recall"] >= 0.95
    assert held_out["deadline_recall"] >= 0.88
    assert dev["recall"] >= 0.98 and dev["deadline_recall"] >= 0.97


def test_cli_prints_a_table_and_json() -> None:
    runner = CliRunner()
    table = runner.invoke(eval_app, ["summary", "--dataset", str(DATASET)])
    assert table.exit_code == 0, table.output
    assert "task precision" in table.output and "held_out" in table.output
    out = runner.invoke(eval_app, ["summary", "--dataset", str(DATASET), "--json"])
    assert out.exit_code == 0, out.output
    figures = json.loads(out.output)["splits"]["all"]
    assert figures["deadline_recall"] >= 0.8 and figures["citation_accuracy"] > 0
