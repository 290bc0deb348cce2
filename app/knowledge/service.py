"""Asking: retrieve (`pipelines.retrieval`) among the chunks whose audience tokens the asker
holds, re-check every candidate document with `documents.service.visible_condition` (one
query), answer, and keep the question in the asker's own history."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.errors import NotFound
from app.core.permissions import Actor
from app.core.text import nfc
from app.documents.models import Document, DocumentStatus
from app.documents.service import visible_condition
from app.knowledge import service_index
from app.knowledge.models import IndexedChunk, Question
from app.knowledge.service_audience import actor_tokens
from pipelines import qa, retrieval
from pipelines.chat import LLMUnavailable
from pipelines.llm import answer_with_model, make_chat_model

HISTORY_LIMIT = 50

log = logging.getLogger(__name__)


def passage_url(document_id: int, ordinal: int) -> str:
    return f"/documents/{document_id}?passage={ordinal}#passage"


def visible_passages(
    session: Session, actor: Actor, chunk_keys: list[str], scores: dict[str, float]
) -> list[qa.Passage]:
    """The retrieved chunks whose documents the asker may see now, in retrieval order."""
    if not chunk_keys:
        return []
    rows = session.execute(
        select(IndexedChunk, Document.title, Document.number)
        .join(Document, Document.id == IndexedChunk.document_id)
        .where(
            IndexedChunk.chunk_key.in_(chunk_keys),
            Document.status == DocumentStatus.published.value,
            visible_condition(actor),
        )
    ).all()
    by_key = {row[0].chunk_key: row for row in rows}
    out: list[qa.Passage] = []
    for key in chunk_keys:
        row = by_key.get(key)
        if row is None:
            continue  # not visible to this asker (or removed since): never reaches the answer
        chunk, title, number = row
        out.append(
            qa.Passage(
                chunk_id=key,
                ordinal=chunk.ordinal,
                document_id=chunk.document_id,
                title=title,
                number=number,
                article=chunk.article,
                heading=chunk.heading,
                text=chunk.text,
                score=scores.get(key, 0.0),
                url=passage_url(chunk.document_id, chunk.ordinal),
            )
        )
    return out


def retrieve(
    session: Session,
    settings: Settings,
    actor: Actor,
    question: str,
    query_vector: np.ndarray | None = None,
) -> list[qa.Passage]:
    """The top passages the asker may see; `query_vector` is the question's embedding when the
    caller has it (`ask` makes it once, for the search and the answer step)."""
    index = service_index.open_index(settings, service_index.current_generation(session))
    k = settings.llm.top_k
    hits = retrieval.retrieve(
        index, question, audience=actor_tokens(actor), k=k * 2, query_vector=query_vector
    )
    passages = visible_passages(
        session, actor, [h.chunk_id for h in hits], {h.chunk_id: h.score for h in hits}
    )
    return passages[:k]


def ask(
    session: Session, *, actor: Actor, settings: Settings, question: str, model: Any = None
) -> tuple[Question, qa.Answer]:
    """Answer `question` from the documents the asker may see, and record it for them alone."""
    question = " ".join(nfc(question).split())  # NFD asks what NFC asks (web, API and CLI alike)
    # One embedding of the question, for the search and for the answer step's cosine; the
    # handle is the same object after `retrieve` brings it up to date (the model is kept).
    index = service_index.open_index(settings)
    query_vector = retrieval.embed_query(index, question)
    passages = retrieve(session, settings, actor, question, query_vector)
    chat = model if model is not None else make_chat_model(settings.llm)
    similarity = retrieval.QuerySimilarity(index, query_vector)
    if chat is None:
        answer = qa.answer_extractive(question, passages, similarity=similarity)
    else:
        try:
            answer = answer_with_model(question, passages, chat)
        except LLMUnavailable as exc:
            # The member still gets an answer: the offline one, from the same passages.
            log.warning("chat model unavailable, answering extractively: %s", exc)
            answer = qa.answer_extractive(question, passages, similarity=similarity)
    row = Question(
        account_id=actor.account_id,
        question=question,
        answer=answer.answer,
        found=answer.found,
        citations=[c.model_dump() for c in answer.citations],
    )
    session.add(row)
    session.flush()
    return row, answer


def history(session: Session, *, actor: Actor, limit: int = HISTORY_LIMIT) -> list[Question]:
    """The asker's own questions, newest first; nobody else's, whatever their role."""
    return list(
        session.scalars(
            select(Question)
            .where(Question.account_id == actor.account_id)
            .order_by(Question.asked_at.desc(), Question.id.desc())
            .limit(limit)
        )
    )


def get_question(session: Session, *, actor: Actor, question_id: int) -> Question:
    """One of the asker's own questions; anyone else's answers 404 (no existence leak)."""
    row = session.scalar(
        select(Question).where(Question.id == question_id, Question.account_id == actor.account_id)
    )
    if row is None:
        raise NotFound("Không tìm thấy câu hỏi")
    return row


def passage_text(session: Session, document_id: int, ordinal: int) -> str | None:
    """A passage of a document for its page; the caller has already checked visibility."""
    return session.scalar(
        select(IndexedChunk.text).where(
            IndexedChunk.document_id == document_id, IndexedChunk.ordinal == ordinal
        )
    )


def document_chunks(session: Session, document_id: int) -> list[tuple[str, str, str]]:
    """The chunks of a document's newest indexed version as (chunk key, article label, text),
    in reading order, so its page can put an anchor where each one starts (a summary cites
    them); the caller has already checked visibility."""
    newest = (
        select(func.max(IndexedChunk.version_id))
        .where(IndexedChunk.document_id == document_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(IndexedChunk.chunk_key, IndexedChunk.article, IndexedChunk.text)
        .where(IndexedChunk.document_id == document_id, IndexedChunk.version_id == newest)
        .order_by(IndexedChunk.ordinal)
    ).all()
    return [(r.chunk_key, r.article, r.text) for r in rows]
