"""Finding a document by what people call it: its number ("08-KH/ĐU") or its title.

Forms ask for documents by number and title, never by internal id; only documents the actor
may see are found, so a lookup cannot be used to probe other units' documents.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.permissions import Actor
from app.documents.models import Document
from app.documents.service import visible_condition

# How a picker shows a document, and so how a picked one comes back: "number — title".
SEPARATOR = " — "


def label(doc: Document) -> str:
    """The text a picker shows (and sends back) for a document."""
    return f"{doc.number}{SEPARATOR}{doc.title}" if doc.number else doc.title


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def pickable(session: Session, *, actor: Actor, limit: int = 300) -> list[Document]:
    """The documents a picker offers: visible to the actor, newest first."""
    q = (
        select(Document)
        .where(visible_condition(actor))
        .order_by(func.coalesce(Document.published_at, Document.created_at).desc())
        .limit(limit)
    )
    return list(session.scalars(q))


def resolve(
    session: Session, *, actor: Actor, references: list[str]
) -> tuple[list[int], list[str]]:
    """Ids of the documents named by number, by title or by a picker's "number — title";
    and the references that matched no document the actor can see."""
    ids: list[int] = []
    unknown: list[str] = []
    for ref in references:
        ref = ref.strip()
        if not ref:
            continue
        doc = _find(session, actor, ref)
        if doc is None:
            unknown.append(ref)
        elif doc.id not in ids:
            ids.append(doc.id)
    return ids, unknown


def _find(session: Session, actor: Actor, ref: str) -> Document | None:
    left, sep, right = ref.partition(SEPARATOR)
    tries = (
        [(Document.number, left), (Document.title, right), (Document.title, ref)]
        if sep
        else [(Document.number, ref), (Document.title, ref)]
    )
    for column, text in tries:
        text = unicodedata.normalize("NFC", " ".join(text.split()))
        if not text:
            continue
        visible = select(Document).where(visible_condition(actor)).order_by(Document.id.desc())
        doc = session.scalars(visible.where(column == text).limit(1)).first()
        if doc is None:
            # Case apart ("08-kh/đu"): folded in Python, since SQLite's lower() leaves Đ as is.
            wanted = text.casefold()
            doc = next(
                (
                    d
                    for d in session.scalars(visible.where(column.is_not(None)))
                    if _norm(getattr(d, column.key)) == wanted
                ),
                None,
            )
        if doc is not None:
            return doc
    return None
