"""`sotay transcribe FILE` and `sotay eval stt`: speech-to-text from the command line.

Registered by `app.cli` with one call, `register(app)`; the engines, numpy and PyAV are imported
inside the commands so `sotay --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.cli_eval import eval_app


def _config(provider: str | None, language: str | None):  # type: ignore[no-untyped-def]
    from app.core.config import get_settings

    config = get_settings().stt
    update = {k: v for k, v in (("provider", provider), ("language", language)) if v}
    return config.model_copy(update=update)


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}:{rest:05.2f}"


def transcribe(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    language: Annotated[str | None, typer.Option(help="Language (vi, en, …)")] = None,
    provider: Annotated[
        str | None,
        typer.Option(help="viet-asr, faster-whisper or openai-whisper (default: from settings)"),
    ] = None,
) -> None:
    """Print the transcript of an audio file, one segment per line with its times."""
    from audio.stt import (
        OPTIONAL_PROVIDERS,
        PROVIDERS,
        AudioError,
        EngineUnavailable,
        iter_transcribe,
        load_audio,
        make_engine,
    )

    names = PROVIDERS + OPTIONAL_PROVIDERS
    if provider and provider not in names:
        raise typer.BadParameter(f"one of {', '.join(names)}", param_hint="--provider")
    config = _config(provider, language)
    try:
        audio = load_audio(file, max_bytes=config.max_bytes, max_seconds=config.max_seconds)
        engine = make_engine(config)
        for item in iter_transcribe(engine, audio, config):
            seg = item.segment
            typer.echo(f"[{_clock(seg.start)} → {_clock(seg.end)}] {seg.text}")
    except AudioError as exc:
        typer.echo(f"error ({exc.code}): {exc}", err=True)
        raise typer.Exit(2) from exc
    except EngineUnavailable as exc:
        typer.echo(f"error (engine): {exc}", err=True)
        raise typer.Exit(2) from exc


@eval_app.command("stt")
def eval_stt(
    dataset: Annotated[
        Path,
        typer.Option(
            exists=True, file_okay=False, help="Folder of audio files with same-named .txt"
        ),
    ],
    provider: Annotated[
        str,
        typer.Option(
            help="viet-asr, faster-whisper, openai-whisper, or all (the two packaged engines)"
        ),
    ] = "all",
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object")] = False,
) -> None:
    """WER and CER (normalised: case, punctuation, numbers; see audio.stt.evaluate) and the
    real-time factor, per file and in total, for one provider or all."""
    from audio.stt import OPTIONAL_PROVIDERS, PROVIDERS, EngineUnavailable
    from audio.stt.evaluate import evaluate

    choices = PROVIDERS + OPTIONAL_PROVIDERS
    if provider != "all" and provider not in choices:
        raise typer.BadParameter(f"all or one of {', '.join(choices)}", param_hint="--provider")
    names = list(PROVIDERS) if provider == "all" else [provider]
    try:
        results = [evaluate(dataset, _config(name, None)) for name in names]
    except EngineUnavailable as exc:
        typer.echo(f"error (engine): {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in results], ensure_ascii=False))
        return
    out = sys.stdout
    for r in results:
        out.write(f"\n{r.provider}  (load {r.load_seconds:.1f} s)\n")
        out.write(f"  {'file':<24} {'sec':>5} {'WER':>6} {'CER':>6} {'rawWER':>6} {'RTF':>6}\n")
        for c in r.clips:
            out.write(
                f"  {c.file:<24} {c.seconds:5.1f} {c.wer:6.3f} {c.cer:6.3f}"
                f" {c.raw_wer:6.3f} {c.rtf:6.3f}\n"
            )
        out.write(
            f"  {'total':<24} {r.audio_seconds:5.1f} {r.wer:6.3f} {r.cer:6.3f}"
            f" {r.raw_wer:6.3f} {r.rtf:6.3f}\n"
        )


def register(app: typer.Typer) -> None:
    """Add `sotay transcribe`; importing this module already added `sotay eval stt`."""
    app.command("transcribe")(transcribe)
