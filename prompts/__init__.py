"""Prompt templates as files, loaded and rendered by name (Jinja2, no autoescape: the caller
escapes what it fences)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined

PROMPTS_DIR = Path(__file__).resolve().parent
_env = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)  # noqa: S701 - prompts, not HTML


@lru_cache(maxsize=16)
def _source(name: str) -> str:
    return (PROMPTS_DIR / f"{name}.j2").read_text(encoding="utf-8")


def render_sections(name: str, **values: Any) -> dict[str, str]:
    """Render prompt `name` and split it into its "## <section>" parts."""
    text = _env.from_string(_source(name)).render(**values)
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## ") and line[3:].strip() in ("system", "user", "assistant"):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return {k: "\n".join(v).strip() for k, v in sections.items()}
