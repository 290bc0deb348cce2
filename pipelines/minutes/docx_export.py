"""A `MinutesDraft` as a DOCX in the official A4 layout: the two-column header, the title, the
sections, and the chair's and secretary's signature block (python-docx; Times New Roman)."""

from __future__ import annotations

import io
from typing import Any

from pipelines.minutes.models import MinutesDraft

FONT = "Times New Roman"
BODY_PT = 13


def _run(
    paragraph: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: int = BODY_PT,
) -> None:
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.name = FONT
    run.font.size = Pt(size)


def _cell_lines(cell: Any, lines: list[tuple[str, dict[str, bool]]]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.paragraphs[0].text = ""
    for n, (text, style) in enumerate(lines):
        p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, text, **style)


def render_docx(draft: MinutesDraft) -> bytes:
    """The DOCX file's bytes: A4, margins 2/2/3/1.5 cm, 13 pt body."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)

    header = doc.add_table(rows=1, cols=2)
    left = [(t, {"bold": i == 1}) for i, t in enumerate(draft.header_left)]
    right = [(draft.header_right[0], {"bold": True, "underline": True})]
    right += [(t, {"italic": True}) for t in draft.header_right[1:]]
    _cell_lines(header.rows[0].cells[0], left)
    _cell_lines(header.rows[0].cells[1], right)

    doc.add_paragraph()
    for i, line in enumerate(draft.title):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, line, bold=True, size=14 if i == 0 else BODY_PT)

    for n, sec in enumerate(draft.sections, start=1):
        p = doc.add_paragraph()
        _run(p, f"{n}. {sec.heading}", bold=True)
        for sentence in sec.sentences:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1.0)
            _run(p, sentence.text)

    doc.add_paragraph()
    signatures = doc.add_table(rows=1, cols=len(draft.signatures) or 1)
    for cell, sig in zip(signatures.rows[0].cells, draft.signatures, strict=False):
        lines: list[tuple[str, dict[str, bool]]] = [(sig.role, {"bold": True})]
        lines.append(("(Ký, ghi rõ họ tên)", {"italic": True}))
        lines += [("", {}), ("", {}), ("", {}), (sig.name, {"bold": True})]
        _cell_lines(cell, lines)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
