"""The minutes' text: the layout and sections taken from a pipeline draft, provenance kept
through edits, the canonical locked text and its SHA-256, diffs between versions, and the
draft rebuilt from stored rows (for the DOCX)."""

from __future__ import annotations

import difflib
import hashlib
from typing import Any

from app.core.text import nfc
from pipelines import minutes as pm

# Sections every draft has before and after the sections it writes (not headed).
FIXED = ("header", "title")


def layout_of(draft: pm.MinutesDraft) -> dict[str, Any]:
    """Everything around the sections' text: header lines, title, headings in order,
    signatures."""
    return {
        "header_left": list(draft.header_left),
        "header_right": list(draft.header_right),
        "title": list(draft.title),
        "headings": {s.key: s.heading for s in draft.sections},
        "order": [s.key for s in draft.sections],
        "signatures": [s.model_dump() for s in draft.signatures],
    }


def provenance_of(draft: pm.MinutesDraft) -> dict[str, list[dict[str, Any]]]:
    return {
        s.key: [
            {"text": x.text, "sources": [src.model_dump() for src in x.sources]}
            for x in s.sentences
        ]
        for s in draft.sections
    }


def keep_provenance(old: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """After an edit: a line still written as drafted keeps its sources; a changed or new line
    has none (the secretary wrote it)."""
    by_text = {nfc(str(s.get("text", ""))).strip(): s.get("sources", []) for s in old}
    return [
        {"text": line.strip(), "sources": by_text.get(line.strip(), [])}
        for line in text.splitlines()
        if line.strip()
    ]


def normalise(text: str) -> str:
    """NFC, LF line ends, no trailing spaces, no blank lines at either end."""
    lines = [
        line.rstrip() for line in nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    return "\n".join(lines).strip("\n")


def canonical_text(layout: dict[str, Any], sections: dict[str, Any]) -> str:
    """The locked minutes as one text: header, title, each section's heading and text in
    order, the signatures. NFC and LF only, so the same minutes always give the same bytes."""
    lines: list[str] = [*layout.get("header_left", []), *layout.get("header_right", []), ""]
    lines += [*layout.get("title", []), ""]
    headings: dict[str, str] = layout.get("headings", {})
    for key in layout.get("order", []):
        lines.append(f"[{key}] {headings.get(key, key)}")
        lines.append(normalise(str(sections.get(key, ""))))
        lines.append("")
    lines += [f"{s.get('role', '')}: {s.get('name', '')}" for s in layout.get("signatures", [])]
    return nfc("\n".join(lines))


def sha256_of(layout: dict[str, Any], sections: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_text(layout, sections).encode("utf-8")).hexdigest()


def diff_sections(
    layout: dict[str, Any], old: dict[str, Any], new: dict[str, Any]
) -> list[dict[str, Any]]:
    """Per section that differs: its key, heading and a unified diff of its lines."""
    headings: dict[str, str] = layout.get("headings", {})
    keys = [*FIXED, *layout.get("order", [])]
    keys += sorted((set(old) | set(new)) - set(keys))
    out: list[dict[str, Any]] = []
    for key in keys:
        a, b = str(old.get(key, "")), str(new.get(key, ""))
        if a == b:
            continue
        lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1))[2:]
        out.append({"key": key, "heading": headings.get(key, key), "lines": lines})
    return out


def to_draft(
    layout: dict[str, Any],
    sections: dict[str, Any],
    provenance: dict[str, Any],
    *,
    mode: str | None,
    fallback_reason: str | None,
) -> pm.MinutesDraft:
    """The stored minutes as a `MinutesDraft` (what the DOCX export takes)."""
    headings: dict[str, str] = layout.get("headings", {})
    out: list[pm.Section] = []
    for key in layout.get("order", []):
        kept = {str(p.get("text", "")): p.get("sources", []) for p in provenance.get(key, [])}
        sentences = [
            pm.Sentence.model_validate({"text": line, "sources": kept.get(line, [])})
            for line in normalise(str(sections.get(key, ""))).split("\n")
            if line.strip()
        ]
        out.append(pm.Section(key=key, heading=headings.get(key, key), sentences=sentences))
    return pm.MinutesDraft(
        header_left=list(layout.get("header_left", [])),
        header_right=list(layout.get("header_right", [])),
        title=list(layout.get("title", [])),
        sections=out,
        signatures=[pm.Signature.model_validate(s) for s in layout.get("signatures", [])],
        mode="llm" if mode == "llm" else "offline",
        fallback_reason=fallback_reason,
    )


def merge_draft(
    draft: pm.MinutesDraft,
    *,
    old_layout: dict[str, Any],
    old_sections: dict[str, Any],
    old_provenance: dict[str, Any],
    keep: set[str],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A new draft's layout, sections and provenance, the sections in `keep` (the secretary's
    edits) carried over as they are; an edited section the new draft no longer has stays, at
    the end, so no text the secretary wrote is lost."""
    layout = layout_of(draft)
    sections: dict[str, Any] = {k: normalise(v) for k, v in draft.text_sections().items()}
    provenance: dict[str, Any] = provenance_of(draft)
    for key in sorted(keep):
        if key not in old_sections:
            continue
        sections[key] = old_sections[key]
        provenance[key] = old_provenance.get(key, [])
        if key in FIXED:
            continue
        if key not in layout["order"]:
            layout["order"].append(key)
            layout["headings"][key] = old_layout.get("headings", {}).get(key, key)
    return layout, sections, provenance
