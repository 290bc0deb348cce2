"""A document's summary as its pages show it: the links from each point to its clause in the
text, the deadline in Vietnamese words, and the first line the notice announcing a document
shows. The document page (`routes_documents`), the adopt form (`routes_summaries`) and the
notifications page share it, and page modules never import each other."""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import AppError
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.permissions import Actor
from app.documents import service_reading
from app.documents.service_reading import Reading
from app.knowledge import service as knowledge_service
from app.summaries import service as summaries_service
from app.summaries.schemas import ClauseRef, DeadlineView, SummaryView

log = logging.getLogger(__name__)

EVERY_LABELS = {
    "daily": N_("hằng ngày"),
    "weekly": N_("hằng tuần"),
    "monthly": N_("hằng tháng"),
    "quarterly": N_("hằng quý"),
    "half_yearly": N_("6 tháng một lần"),
    "yearly": N_("hằng năm"),
}
# "Điều 5, khoản 2, điểm a" as the indexer labels a chunk; the reading's anchors are built from
# the same numbers (`service_reading._Builder`), so a label finds its clause when a chunk's own
# start could not be placed.
_ARTICLE = re.compile(r"Điều\s+(\w+)(?:,\s*khoản\s+(\w+))?", re.IGNORECASE)


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def deadline_label(deadline: DeadlineView | None) -> str:
    """When a task falls due in the reader's words: "trước ngày 15/10/2025", "từ 01/10/2025
    đến 31/12/2025", "ngày 20 hằng tháng"; empty when the document names no time."""
    if deadline is None:
        return ""
    if deadline.every:
        every = _(EVERY_LABELS.get(deadline.every, deadline.every))
        if deadline.day:
            return _("ngày {day} {every}").format(day=deadline.day, every=every)
        return every
    if deadline.start and deadline.due:
        return _("từ {start} đến {due}").format(
            start=_date(deadline.start), due=_date(deadline.due)
        )
    if deadline.due:
        return _("trước ngày {due}").format(due=_date(deadline.due))
    return deadline.text


def _article_anchor(article: str, anchors: set[str]) -> str | None:
    m = _ARTICLE.search(article)
    if not m:
        return None
    number = m.group(1).lower()
    for anchor in (f"dieu-{number}-khoan-{m.group(2)}" if m.group(2) else "", f"dieu-{number}"):
        if anchor and anchor in anchors:
            return anchor
    return None


def clause_links(view: SummaryView, reading: Reading | None) -> dict[str, str]:
    """chunk key -> the fragment of its clause on the document page: the chunk's own anchor,
    else its article's; a key with neither is left out and the page shows its label unlinked,
    never a link to nothing."""
    if reading is None:
        return {}
    refs: list[ClauseRef] = [*view.key_points, *view.tasks]
    refs.extend(src for s in view.short for src in s.sources)
    anchors = service_reading.anchors(reading)
    links: dict[str, str] = {}
    for ref in refs:
        if ref.chunk_key in reading.chunk_anchors:
            links[ref.chunk_key] = f"#c-{ref.chunk_key}"
        elif (anchor := _article_anchor(ref.article, anchors)) is not None:
            links[ref.chunk_key] = f"#{anchor}"
    return links


def place_chunks(session: Session, document_id: int, reading: Reading | None) -> None:
    """Put each index chunk's anchor (id="c-<key>") where it starts in the page's text."""
    if reading is not None:
        chunks = knowledge_service.document_chunks(session, document_id)
        service_reading.anchor_chunks(reading, [(key, text) for key, _a, text in chunks])


def summary_context(
    session: Session, actor: Actor, document_id: int, reading: Reading | None
) -> dict[str, Any]:
    """What the document page's "Tóm tắt" block needs; the caller has checked visibility."""
    place_chunks(session, document_id, reading)
    try:
        view = summaries_service.document_summary(session, actor=actor, document_id=document_id)
    except Exception:  # noqa: BLE001 - the summary is an aid: the document must still open
        log.exception("summary of document %s not readable", document_id)
        view = SummaryView(document_id=document_id, status="failed")
    return {
        "summary": view,
        "summary_links": clause_links(view, reading),
        "for_us": [t for t in view.tasks if t.for_us],
        "other_tasks": [t for t in view.tasks if not t.for_us],
        "deadline_label": deadline_label,
    }


def lead(view: SummaryView) -> str:
    """The one line a notice shows under a document's title: its first key point, else the
    short version's first sentence; empty until the summary is ready."""
    if view.status != "ready":
        return ""
    if view.key_points:
        return view.key_points[0].text
    return view.short[0].text if view.short else ""


def leads(session: Session, actor: Actor, document_ids: list[int]) -> dict[int, str]:
    """The lead line of each document the actor may still see (a withdrawn or no longer
    visible one gets none: its notice keeps only its title)."""
    out: dict[int, str] = {}
    for document_id in dict.fromkeys(document_ids):
        try:
            view = summaries_service.document_summary(session, actor=actor, document_id=document_id)
        except AppError:
            continue
        if line := lead(view):
            out[document_id] = line
    return out
