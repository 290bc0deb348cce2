"""A `MinutesDraft` as a PDF in the official A4 layout (WeasyPrint): the two-column header, the
title, the sections and the chair's and secretary's signature block, in a serif face the
system has. The HTML comes from the Jinja templates beside this module, autoescaped: every
string of the draft is data, never markup."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import jinja2
from markupsafe import Markup, escape

from pipelines.minutes.models import MinutesDraft

TEMPLATES = Path(__file__).resolve().parent
# DejaVu Serif, which Debian ships and which covers every Vietnamese letter. Not "Times New
# Roman" first: where it is not installed fontconfig answers that name with Liberation Serif,
# whose 1.x (Debian's fonts-liberation) lacks Vietnamese letters, and Pango then fills each gap
# from another face, letter by letter. Unquoted (valid CSS for names of plain words): the value
# goes through the templates' autoescape.
FONT_FAMILY = "DejaVu Serif, serif"
# The header's date line is wider than its column in DejaVu Serif: its condensed cut.
HEADER_FAMILY = "DejaVu Serif Condensed, DejaVu Serif, serif"
BODY_PT = 13


# A word with a hyphen inside ("57-NQ/TW", "12-BC/CB", "20/12-2026"): one unit on paper.
_HYPHENATED = re.compile(r"[^\s-]+(?:-[^\s-]+)+")


def nobreak(text: object) -> Markup:
    """The text escaped, with each hyphenated word kept on one line: a document symbol broken
    after its hyphen reads as two words (and pdftotext joins it without the hyphen)."""
    escaped = str(escape(text))
    # Escaped text holds no "<", so the spans are the only markup.
    return Markup(  # noqa: S704
        _HYPHENATED.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', escaped)
    )


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["nobreak"] = nobreak
    return env


def render_html(template: str, **context: Any) -> str:
    """The named template beside this module rendered with the shared page settings."""
    context.setdefault("font_family", FONT_FAMILY)
    context.setdefault("header_family", HEADER_FAMILY)
    context.setdefault("body_pt", BODY_PT)
    return environment().get_template(template).render(**context)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    # The page is self-contained; nothing in a draft may make the renderer open a file or URL.
    raise ValueError(f"refused to fetch {url!r}")


def html_to_pdf(html: str) -> bytes:
    """The PDF's bytes for a self-contained HTML page (no file or URL is ever fetched)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    return pdf


def minutes_html(draft: MinutesDraft) -> str:
    return render_html("minutes_pdf.html.j2", draft=draft)


def render_pdf(draft: MinutesDraft) -> bytes:
    """The PDF file's bytes: A4, margins 2/2/3/1.5 cm, 13 pt serif body."""
    return html_to_pdf(minutes_html(draft))
