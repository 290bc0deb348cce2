"""`sotay eval …`: quality and speed measurements that run offline on a dataset file."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

eval_app = typer.Typer(help="Đánh giá chất lượng (chạy ngoại tuyến).", no_args_is_help=True)


@eval_app.command("retrieval")
def eval_retrieval(
    dataset: Annotated[
        Path,
        typer.Option(exists=True, dir_okay=False, readable=True, help="Tệp SQuAD (.json)"),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="In đúng một đối tượng JSON")] = False,
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
