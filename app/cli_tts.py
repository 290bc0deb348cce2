"""`sotay bulletin speak FILE.txt -o out.mp3`: a text read aloud to a mono MP3 from the command
line, with the providers and voice from settings (SOTAY_TTS__*).

Registered by `app.cli` with `register(app)`; `audio.tts`, numpy, lameenc and the engines are
imported inside the command so `sotay --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

bulletin_app = typer.Typer(help="Audio bulletins.", no_args_is_help=True)


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes):02d}:{rest:05.2f}"


@bulletin_app.command("speak")
def speak(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="UTF-8 text")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the MP3")],
    voice: Annotated[
        str | None,
        typer.Option(
            help="Voice of the first provider: an espeak-ng voice (vi+f3), a piper model "
            "path or an edge-tts voice (default: from settings)"
        ),
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option(
            help="espeak-ng, piper or edge-tts, tried first (default: from settings); "
            "espeak-ng is always the offline fallback"
        ),
    ] = None,
) -> None:
    """Read a text file aloud to a mono MP3: numbers, dates and abbreviations read as words,
    pauses between sections, chapter marks printed."""
    from pydantic import ValidationError

    from app.core.config import get_settings
    from audio.tts import PROVIDERS, NoProvider, TtsError, synthesise

    config = get_settings().tts
    if provider:
        if provider not in PROVIDERS:
            raise typer.BadParameter(f"one of {', '.join(PROVIDERS)}", param_hint="--provider")
        chain = [provider, *[p for p in config.providers if p != provider]]
        config = config.model_copy(update={"providers": chain})
    if voice:
        field = {"espeak-ng": "espeak_voice", "piper": "piper_model", "edge-tts": "edge_voice"}
        try:
            config = config.model_validate({**config.model_dump(), field[config.chain()[0]]: voice})
        except ValidationError as exc:
            raise typer.BadParameter(str(exc.errors()[0]["msg"]), param_hint="--voice") from exc
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        typer.echo(f"error (bad_text): {file.name} is not UTF-8 text", err=True)
        raise typer.Exit(2) from exc
    try:
        speech = synthesise(text, config)
    except TtsError as exc:
        typer.echo(f"error ({exc.code}): {exc}", err=True)
        raise typer.Exit(2) from exc
    except NoProvider as exc:
        typer.echo(f"error (provider): {exc}", err=True)
        raise typer.Exit(2) from exc
    output.write_bytes(speech.mp3)
    for reason in speech.fallbacks:
        typer.echo(f"skipped {reason}", err=True)
    typer.echo(
        f"{output}: {_clock(speech.duration)}, {len(speech.mp3) // 1024} KiB, "
        f"{speech.bitrate_kbps} kbps mono, voice {speech.voice}"
    )
    for chapter in speech.chapters:
        typer.echo(f"  [{_clock(chapter.start)}] {chapter.title}")


def register(app: typer.Typer) -> None:
    """Add `sotay bulletin …`."""
    app.add_typer(bulletin_app, name="bulletin")
