"""`sotay summarise FILE` through typer's runner: a TXT and a DOCX reference document, key points
with their clause, tasks with their deadline, the short version; JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app

DOC = Path(__file__).resolve().parent / "data" / "summaries" / "docs" / "01-ct-sinh-hoat-chi-bo.txt"


def test_summarise_a_text_file() -> None:
    result = CliRunner().invoke(app, ["summarise", str(DOC), "--lexical"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "05-CT/ĐU), issued 2025-09-15" in out and "mode: offline" in out
    assert "Key points" in out and "[Điều 3, khoản" in out
    assert 'when: 2025-12-15 "trước ngày 15/12/2025"' in out
    short = out.split("Short version", 1)[1]
    assert len([line for line in short.splitlines() if line.strip()]) == 3
    assert "CT/ĐU" not in short


def test_summarise_a_docx_as_json(tmp_path: Path) -> None:
    from docx import Document

    docx = Document()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        docx.add_paragraph(line)
    path = tmp_path / "chi-thi.docx"
    docx.save(str(path))
    result = CliRunner().invoke(app, ["summarise", str(path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert 3 <= len(summary["key_points"]) <= 7 and len(summary["short"]) == 3
    assert all(p["chunk_id"].startswith("c") for p in summary["key_points"])
    assert any(t["deadline"] and t["deadline"]["due"] == "2025-12-15" for t in summary["tasks"])
