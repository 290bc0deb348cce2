"""`sotay summarise FILE`: a document's summary on the command line, for operators: key points
with the clause each cites, tasks with their responsible party and deadline, and the short
version for older members.

Registered by `app.cli` with `register(app)`; the pipeline, the embedding model and the chat
model are imported inside the command so `sotay --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer


def summarise_file(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="A TXT, DOCX or PDF file"),
    ],
    issued: Annotated[
        str | None,
        typer.Option(
            help="Issue date (YYYY-MM-DD) that relative deadlines count from "
            "(default: the date in the document's header)"
        ),
    ] = None,
    llm: Annotated[
        bool, typer.Option("--llm", help="Write the summary with the chat model of SOTAY_LLM__*")
    ] = False,
    lexical: Annotated[
        bool, typer.Option("--lexical", help="Score sentences without the embedding model")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object")] = False,
) -> None:
    """Summarise a document: key points with the clause each cites, tasks with who and when,
    and three plain sentences without abbreviations."""
    from app.core.config import get_settings
    from pipelines.errors import Refused
    from pipelines.summarise import summarise
    from pipelines.summarise.reading import packaged_embedder, read_document

    try:
        day = dt.date.fromisoformat(issued) if issued else None
    except ValueError as exc:
        raise typer.BadParameter("expected YYYY-MM-DD", param_hint="--issued") from exc
    try:
        doc = read_document(file, issued=day)
    except Refused as exc:
        typer.echo(f"cannot read {file}: {exc}", err=True)
        raise typer.Exit(1) from exc
    settings = get_settings()
    embedder = None if lexical else packaged_embedder(settings.embeddings)
    model = None
    if llm:
        from pipelines.llm import make_chat_model

        model = make_chat_model(settings.llm)
        if model is None:
            typer.echo("no chat model configured (SOTAY_LLM__PROVIDER): offline summary", err=True)
    if model is not None:
        from pipelines.summarise.llm import summarise_with_model

        summary = summarise_with_model(doc, model, embedder=embedder)
    else:
        summary = summarise(doc, embedder)
    if as_json:
        typer.echo(json.dumps(summary.model_dump(mode="json"), ensure_ascii=False))
        return
    articles = {c.id: c.article for c in doc.chunks}
    symbol = f" ({doc.symbol})" if doc.symbol else ""
    typer.echo(f"{doc.title}{symbol}, issued {doc.issued.isoformat()}, {len(doc.chunks)} chunks")
    typer.echo(
        f"mode: {summary.mode}"
        + (f" (fallback: {summary.fallback_reason})" if summary.fallback_reason else "")
    )
    typer.echo("\nKey points")
    for n, point in enumerate(summary.key_points, start=1):
        typer.echo(f"  {n}. {point.text}  [{point.article or '-'}; {point.chunk_id}]")
    typer.echo(f"\nTasks ({len(summary.tasks)})")
    for task in summary.tasks:
        who = task.responsible or "-"
        if task.responsible_kind is not None:
            who += f" ({task.responsible_kind.value})"
        when = f'{task.deadline.key()} "{task.deadline.text}"' if task.deadline else "no deadline"
        typer.echo(
            f"  - {task.action}\n      who: {who}; when: {when}; "
            f"[{task.article or '-'}; {task.chunk_id}]"
        )
    typer.echo("\nShort version")
    for sentence in summary.short:
        cited = "; ".join(f"{articles.get(c) or '-'}, {c}" for c in sentence.chunk_ids)
        typer.echo(f"  {sentence.text}  [{cited}]")


def register(app: typer.Typer) -> None:
    app.command("summarise")(summarise_file)
