"""`sotay eval …`: quality and speed measurements that run offline on a dataset file."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

eval_app = typer.Typer(help="Quality measurements (run offline).", no_args_is_help=True)


@eval_app.command("retrieval")
def eval_retrieval(
    dataset: Annotated[
        Path,
        typer.Option(exists=True, dir_okay=False, readable=True, help="A SQuAD file (.json)"),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object")] = False,
) -> None:
    """Index every context of a SQuAD file into a temporary store, ask every question, and
    print recall@1/@5, MRR@10, query p50/p95 ms and indexing paragraphs/s."""
    from app.core.config import get_settings
    from pipelines.eval_retrieval import run_eval

    # Progress goes to stderr so that --json leaves exactly one object on stdout.
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    result = run_eval(dataset, get_settings())
    if as_json:
        typer.echo(json.dumps(result.model_dump(), ensure_ascii=False))
        return
    typer.echo(f"dataset           {dataset}")
    typer.echo(f"paragraphs        {result.paragraphs} ({result.chunks} chunks)")
    typer.echo(f"questions         {result.questions}")
    typer.echo(f"recall@1          {result.recall_at_1:.3f}")
    typer.echo(f"recall@5          {result.recall_at_5:.3f}")
    typer.echo(f"MRR@10            {result.mrr_at_10:.3f}")
    typer.echo(
        f"answer in top 1/5 {result.answer_recall_at_1:.3f} / {result.answer_recall_at_5:.3f}"
    )
    typer.echo(
        f"query ms          p50 {result.query_ms_p50:.1f}  p95 {result.query_ms_p95:.1f}"
        f"  (unfiltered p50 {result.unfiltered_query_ms_p50:.1f}"
        f"  p95 {result.unfiltered_query_ms_p95:.1f})"
    )
    typer.echo(
        f"indexing          {result.index_paragraphs_per_s:.1f} paragraphs/s"
        f" ({result.index_seconds:.1f} s)"
    )
    for key, value in result.config.items():
        typer.echo(f"config.{key:<12} {value}")


@eval_app.command("qa")
def eval_qa(
    dataset: Annotated[
        Path,
        typer.Option(
            exists=True,
            dir_okay=False,
            readable=True,
            help="Question set (.json, see tests/data/qa)",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object")] = False,
    details: Annotated[
        bool, typer.Option("--details", help="Print each question answered wrongly or declined")
    ] = False,
) -> None:
    """Publish the dataset's documents into a temporary organisation, index them, ask every
    question as its member through the Hỏi đáp service, and print the answer-level scores."""
    from app.core.config import get_settings
    from app.knowledge.service_eval import run_eval

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    r = run_eval(dataset, get_settings())
    if as_json:
        typer.echo(json.dumps(r.model_dump(), ensure_ascii=False))
        return
    n, u = r.answerable or 1, r.unanswerable or 1
    typer.echo(f"dataset                 {dataset}")
    typer.echo(
        f"documents               {r.documents_indexed}/{r.documents} indexed ({r.chunks} chunks)"
    )
    for number, error in r.index_failures.items():
        typer.echo(f"  not indexed           {number}: {error}")
    lossy = {number: share for number, share in r.coverage.items() if share < 1.0}
    typer.echo(
        f"words in chunks         {min(r.coverage.values(), default=1.0):.1%} at worst"
        f" ({len(lossy)} of {r.documents} below 100%; upper headings count as missing)"
    )
    for number, share in sorted(lossy.items(), key=lambda kv: kv[1]):
        typer.echo(f"  {number:<21} {share:.1%}")
    typer.echo(
        f"questions               {r.questions} ({r.answerable} answerable, {r.unanswerable} not)"
    )
    typer.echo(
        f"answered, phrase        {r.answered_with_phrase:>4}  {r.answered_with_phrase / n:6.1%}"
    )
    typer.echo(f"answered, right doc     {r.right_document:>4}  {r.right_document / n:6.1%}")
    typer.echo(f"correct (phrase + doc)  {r.correct:>4}  {r.correct_rate:6.1%}")
    typer.echo(f"declined wrongly        {r.declined_wrongly:>4}  {r.declined_wrongly / n:6.1%}")
    typer.echo(f"wrong answers           {r.wrong:>4}")
    typer.echo(
        f"  on unanswerable       {r.wrong_on_unanswerable:>4}  {r.wrong_unanswerable_rate:6.1%}"
    )
    typer.echo(
        f"declined correctly      {r.declined_correctly:>4}  {r.declined_correctly / u:6.1%}"
        " of unanswerable"
    )
    typer.echo(f"latency ms              p50 {r.latency_ms_p50:.0f}  p95 {r.latency_ms_p95:.0f}")
    typer.echo("by kind                 questions correct wrong declined(ok) declined(wrong)")
    for kind, row in r.by_kind.items():
        typer.echo(
            f"  {kind:<21} {row['questions']:>9} {row.get('correct', 0):>7}"
            f" {row.get('wrong', 0):>5} {row.get('declined_correctly', 0):>12}"
            f" {row.get('declined_wrongly', 0):>15}"
        )
    for key, value in r.config.items():
        typer.echo(f"config.{key:<16} {value}")
    if details:
        for o in r.outcomes:
            if o.verdict in ("wrong", "declined_wrongly"):
                typer.echo(f"\n{o.id} [{o.kind}] {o.verdict} cited={o.cited}: {o.question}")
                typer.echo(f"  {o.answer[:400]}")


@eval_app.command("summary")
def eval_summary(
    dataset: Annotated[
        Path,
        typer.Option(
            exists=True,
            dir_okay=False,
            readable=True,
            help="Documents with reference tasks (.json, see tests/data/summaries)",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object")] = False,
    details: Annotated[
        bool, typer.Option("--details", help="Print each task missed, extra or read wrongly")
    ] = False,
) -> None:
    """Extract the tasks of every document in the dataset and print task precision/recall,
    deadline recall and accuracy, responsible-party accuracy and citation accuracy, for the
    documents the rules were written on (dev), the held-out ones, and all."""
    from pipelines.summarise.evaluate import run_eval

    r = run_eval(dataset)
    if as_json:
        typer.echo(json.dumps(r.model_dump(), ensure_ascii=False))
        return
    names = list(r.splits)
    typer.echo(f"dataset               {dataset}")
    typer.echo(f"{'':<22}" + "".join(f"{name:>10}" for name in names))
    rows = [
        ("documents", "documents", "d"),
        ("reference tasks", "gold", "d"),
        ("extracted tasks", "predicted", "d"),
        ("task precision", "precision", ".3f"),
        ("task recall", "recall", ".3f"),
        ("task F1", "f1", ".3f"),
        ("deadline recall", "deadline_recall", ".3f"),
        ("deadline accuracy", "deadline_accuracy", ".3f"),
        ("responsible accuracy", "responsible_accuracy", ".3f"),
        ("citation accuracy", "citation_accuracy", ".3f"),
    ]
    for label, key, fmt in rows:
        typer.echo(f"{label:<22}" + "".join(f"{r.splits[n][key]:>10{fmt}}" for n in names))
    if details:
        for miss in r.misses:
            typer.echo(f"\n{miss.document} [{miss.kind}] {miss.text}")
            if miss.expected or miss.got:
                typer.echo(f"  expected {miss.expected}  got {miss.got}")
