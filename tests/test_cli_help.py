"""`sotay --help` and every subcommand's help speak one language: English, as the README does."""

from __future__ import annotations

from typing import Any

import typer

from app.cli import app

# Names that stay Vietnamese in English text: the product, the Q&A feature, the member form.
NAMES = ("Sổ Tay", "Hỏi đáp", "lý lịch")


def _texts(command: Any, path: str) -> list[tuple[str, str]]:
    out = [(path, command.help or ""), (path, command.short_help or "")]
    out += [(f"{path} {p.name}", getattr(p, "help", None) or "") for p in command.params]
    if hasattr(command, "list_commands"):  # a group (typer carries its own copy of click)
        ctx = command.context_class(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            out += _texts(sub, f"{path} {name}")
    return out


def test_cli_help_is_english_throughout() -> None:
    root = typer.main.get_command(app)
    texts = _texts(root, "sotay")
    assert len(texts) > 40
    vietnamese = []
    for where, text in texts:
        for name in NAMES:
            text = text.replace(name, "")
        if any(ch.isalpha() and ord(ch) > 127 for ch in text):
            vietnamese.append(f"{where}: {text}")
    assert not vietnamese, "\n".join(vietnamese)
