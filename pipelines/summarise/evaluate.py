"""`sotay eval summary`: the task extraction measured on a reference set of documents whose
tasks are annotated with their clause, responsible party and deadline."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

from pydantic import BaseModel, Field

from pipelines.chunking import chunk_text
from pipelines.summarise.models import DocumentChunk, DocumentInput, Task
from pipelines.summarise.tasks import extract_tasks

__all__ = ["GoldTask", "Scores", "SummaryEval", "evaluate", "run_eval"]


class GoldTask(BaseModel):
    clause: str  # the cited chunk's label: "Điều 3, khoản 2"
    quote: str  # words of the task sentence that pick it out
    responsible_kind: str
    deadline: str | None = None  # Deadline.key(): "2025-10-15", "monthly@20", …


class GoldDocument(BaseModel):
    file: str  # the text, relative to the dataset file
    title: str
    symbol: str = ""
    issued: dt.date
    split: str = "dev"  # "dev" (seen while writing the rules) or "held_out"
    tasks: list[GoldTask]


class Dataset(BaseModel):
    name: str = ""
    description: str = ""
    documents: list[GoldDocument]


class Scores(BaseModel):
    documents: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    gold_with_deadline: int = 0
    deadline_found: int = 0  # gold deadlines the matched task has exactly
    deadline_right: int = 0  # matched tasks whose deadline (or its absence) is right
    responsible_right: int = 0
    citation_right: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def deadline_recall(self) -> float:
        return self.deadline_found / self.gold_with_deadline if self.gold_with_deadline else 0.0

    @property
    def deadline_accuracy(self) -> float:
        return self.deadline_right / self.matched if self.matched else 0.0

    @property
    def responsible_accuracy(self) -> float:
        return self.responsible_right / self.matched if self.matched else 0.0

    @property
    def citation_accuracy(self) -> float:
        return self.citation_right / self.matched if self.matched else 0.0

    def add(self, other: Scores) -> None:
        for name in Scores.model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float | int]:
        return {
            **self.model_dump(),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "deadline_recall": round(self.deadline_recall, 4),
            "deadline_accuracy": round(self.deadline_accuracy, 4),
            "responsible_accuracy": round(self.responsible_accuracy, 4),
            "citation_accuracy": round(self.citation_accuracy, 4),
        }


class Miss(BaseModel):
    """One disagreement with the reference, for `--details`."""

    document: str
    kind: str  # "missed", "extra", "deadline", "responsible", "citation"
    text: str
    expected: str = ""
    got: str = ""


class SummaryEval(BaseModel):
    dataset: str
    splits: dict[str, dict[str, float | int]]  # "dev", "held_out", "all"
    misses: list[Miss] = Field(default_factory=list)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def document_input(doc: GoldDocument, text: str) -> DocumentInput:
    """The pipeline's input for a reference document: its text chunked as the index does."""
    chunks = [DocumentChunk(id=f"c{c.ordinal}", **c.model_dump()) for c in chunk_text(text)]
    return DocumentInput(title=doc.title, symbol=doc.symbol, issued=doc.issued, chunks=chunks)


def _score(doc: GoldDocument, tasks: list[Task], misses: list[Miss]) -> Scores:
    s = Scores(documents=1, gold=len(doc.tasks), predicted=len(tasks))
    used: set[int] = set()
    for gold in doc.tasks:
        s.gold_with_deadline += gold.deadline is not None
        quote = _fold(gold.quote)
        index = next(
            (i for i, t in enumerate(tasks) if i not in used and quote in _fold(t.text)), None
        )
        if index is None:
            misses.append(Miss(document=doc.symbol, kind="missed", text=gold.quote))
            continue
        used.add(index)
        task = tasks[index]
        s.matched += 1
        got = task.deadline.key() if task.deadline is not None else None
        if got == gold.deadline:
            s.deadline_right += 1
            s.deadline_found += gold.deadline is not None
        else:
            misses.append(
                Miss(
                    document=doc.symbol,
                    kind="deadline",
                    text=task.text,
                    expected=str(gold.deadline),
                    got=str(got),
                )
            )
        kind = task.responsible_kind.value if task.responsible_kind else ""
        if kind == gold.responsible_kind:
            s.responsible_right += 1
        else:
            misses.append(
                Miss(
                    document=doc.symbol,
                    kind="responsible",
                    text=task.text,
                    expected=gold.responsible_kind,
                    got=f"{kind} ({task.responsible})",
                )
            )
        if task.article == gold.clause:
            s.citation_right += 1
        else:
            misses.append(
                Miss(
                    document=doc.symbol,
                    kind="citation",
                    text=task.text,
                    expected=gold.clause,
                    got=task.article,
                )
            )
    for i, task in enumerate(tasks):
        if i not in used:
            misses.append(Miss(document=doc.symbol, kind="extra", text=task.text))
    return s


def evaluate(dataset: Dataset, base: Path, *, name: str = "") -> SummaryEval:
    """Extract every document's tasks and score them against the reference."""
    splits: dict[str, Scores] = {}
    misses: list[Miss] = []
    total = Scores()
    for doc in dataset.documents:
        text = (base / doc.file).read_text(encoding="utf-8")
        scores = _score(doc, extract_tasks(document_input(doc, text)), misses)
        splits.setdefault(doc.split, Scores()).add(scores)
        total.add(scores)
    figures = {split: s.figures() for split, s in sorted(splits.items())}
    figures["all"] = total.figures()
    return SummaryEval(dataset=name, splits=figures, misses=misses)


def run_eval(path: Path) -> SummaryEval:
    """`evaluate` on a dataset file (JSON; its documents' files relative to it)."""
    dataset = Dataset.model_validate(json.loads(path.read_text(encoding="utf-8")))
    return evaluate(dataset, path.parent, name=dataset.name or path.name)
