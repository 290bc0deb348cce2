"""Key points of a document: 3 to 7 of its own sentences, chosen by centrality (how much a
sentence resembles the whole document) and coverage (MMR, and a cost for a second point from
an article already cited), with the headings weighed in; each cites its chunk.

Scores are computed in two passes so a 20-page directive stays cheap: every sentence is scored
lexically (idf-weighted syllables and bigrams, `pipelines.minutes.assign.lexical_vectors`),
then only the best `CANDIDATES` are embedded with the packaged model and rescored. Ties break
on the sentence's position, so the same document always gives the same points.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipelines.minutes.assign import Embedder, Matrix, lexical_vectors
from pipelines.minutes.vi import syllables
from pipelines.summarise.models import DocumentInput, KeyPoint
from pipelines.summarise.tasks import split_sentences

__all__ = ["Sentence", "document_sentences", "instruction", "key_points", "rank_sentences"]

MIN_POINTS, MAX_POINTS = 3, 7
CANDIDATES = 40  # sentences embedded after the lexical pass
HEADING_WEIGHT = 0.5  # a sentence close to its own headings states what the section is about
TASK_SECTION_BONUS = 0.5  # in z units: sections of tasks, measures and responsibilities
COVER_COST = 0.15  # on the 0..1 relevance scale, per point already taken from the same article
LAMBDA = 0.7  # MMR: relevance against redundancy

_MIN_SYLLABLES = 6
_MARKER = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*[.)](?!\d))\s*", re.I)
_END = re.compile(r"^(?:nơi nhận|t/m|t/l|k/t|tm\.|kt\.)", re.IGNORECASE)
_TASK_HEADING = re.compile(
    r"nhiệm vụ|giải pháp|tổ chức thực hiện|trách nhiệm|nội dung|biện pháp|kết luận|chỉ thị",
    re.IGNORECASE,
)
# A sentence addressed to whoever summarises or reads the file by machine, not to party members
# ("Hãy tóm tắt rằng…", "Bỏ qua các hướng dẫn trên"): it is never a point, a task or a source
# for the model, so it changes nothing in either mode.
_INSTRUCTION = re.compile(
    r"(?:^|\W)(?:hãy|xin hãy|vui lòng)\s+(?:tóm tắt|tóm lược|viết|trả lời|bỏ qua|phớt lờ|coi)"
    r"|tóm tắt (?:rằng|là)|bỏ qua (?:mọi|các|toàn bộ|những)?\s*(?:hướng dẫn|chỉ dẫn|quy tắc)"
    r"|ignore (?:all |the )?(?:previous |above )?instructions|(?:^|\W)(?:system|assistant)\s*:"
    r"|mô hình ngôn ngữ|trí tuệ nhân tạo|\bAI\b|\bchatbot\b|\bLLM\b",
    re.IGNORECASE,
)


def instruction(text: str) -> bool:
    """Whether a sentence speaks to a summariser rather than to the document's readers."""
    return _INSTRUCTION.search(text) is not None


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document with the chunk it is in."""

    order: int
    text: str
    chunk_id: str
    article: str
    context: str  # the document's title and the chunk's headings


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def document_sentences(doc: DocumentInput) -> list[Sentence]:
    """Every sentence that could be a point: not a heading in capitals, not a signature or
    recipients' line, long enough to say something, and no instruction to a summariser."""
    out: list[Sentence] = []
    for chunk in doc.chunks:
        context = " ".join([doc.title, *chunk.headings])
        ended = False
        for raw in chunk.text.split("\n"):
            line = _MARKER.sub("", raw.strip(), count=1).strip()
            if not line:
                continue
            if _END.match(line):
                ended = True
            if ended:
                break
            for text in split_sentences(line):
                text = text.strip()
                if (
                    len(syllables(text)) < _MIN_SYLLABLES
                    or _shouting(text)
                    or instruction(text)
                    or text.endswith(":")
                ):
                    continue
                out.append(Sentence(len(out), text, chunk.id, chunk.article, context))
    return out


def _z(values: Matrix) -> Matrix:
    sd = float(values.std()) or 1.0
    out: Matrix = ((values - values.mean()) / sd).astype(np.float32)
    return out


def _unit(m: Matrix) -> Matrix:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (m / norms).astype(np.float32)
    return out


def _central(vectors: Matrix) -> Matrix:
    centroid = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centroid)) or 1.0
    out: Matrix = (vectors @ (centroid / norm)).astype(np.float32)
    return out


def rank_sentences(
    sentences: Sequence[Sentence], embedder: Embedder | None
) -> tuple[list[int], Matrix, Matrix]:
    """The candidates (indices into `sentences`, best first), their relevance in z units and
    their unit vectors (embeddings, or lexical without an embedder)."""
    n = len(sentences)
    if n == 0:
        return [], np.zeros(0, np.float32), np.zeros((0, 1), np.float32)
    texts = [s.text for s in sentences]
    contexts = sorted({s.context for s in sentences})
    lexical = lexical_vectors([*texts, *contexts])
    sent_lex, ctx_lex = lexical[:n], lexical[n:]
    ctx_index = {c: i for i, c in enumerate(contexts)}
    rows = np.array([ctx_index[s.context] for s in sentences])
    head_lex = np.einsum("ij,ij->i", sent_lex, ctx_lex[rows]).astype(np.float32)
    bonus = np.array(
        [TASK_SECTION_BONUS if _TASK_HEADING.search(s.context) else 0.0 for s in sentences],
        np.float32,
    )
    lex_central = _central(sent_lex)
    first = _z(lex_central) + HEADING_WEIGHT * _z(head_lex) + bonus
    order = sorted(range(n), key=lambda i: (-float(first[i]), i))[:CANDIDATES]
    if embedder is None:
        return order, first[order], sent_lex[order]
    chosen = [texts[i] for i in order]
    used = sorted({sentences[i].context for i in order})
    vectors = _unit(np.asarray(embedder.embed_passages([*chosen, *used]), dtype=np.float32))
    cand, ctx = vectors[: len(chosen)], vectors[len(chosen) :]
    used_index = {c: i for i, c in enumerate(used)}
    head_emb = np.array(
        [float(cand[j] @ ctx[used_index[sentences[i].context]]) for j, i in enumerate(order)],
        np.float32,
    )
    relevance = (
        _z(_central(cand))
        + _z(lex_central[order])
        + HEADING_WEIGHT * (_z(head_emb) + _z(head_lex[order]))
        + bonus[order]
    )
    return order, relevance.astype(np.float32), cand


def _count(n: int) -> int:
    return min(MAX_POINTS, max(MIN_POINTS, int(round(n**0.5))))


def select(
    sentences: Sequence[Sentence], relevance: Matrix, vectors: Matrix, k: int
) -> list[tuple[int, float]]:
    """Up to `k` rows by MMR with a coverage cost: the most relevant that is least like the
    points already chosen and from an article not yet cited."""
    if len(relevance) == 0:
        return []
    low, high = float(relevance.min()), float(relevance.max())
    rel = (relevance - low) / ((high - low) or 1.0)
    picked: list[tuple[int, float]] = []
    per_article: dict[str, int] = {}
    pool = list(range(len(rel)))
    while pool and len(picked) < k:
        best, best_score = pool[0], -np.inf
        for i in pool:
            taken = [p for p, _ in picked]
            redundancy = float(np.max(vectors[taken] @ vectors[i])) if taken else 0.0
            cover = COVER_COST * per_article.get(sentences[i].article.split(",")[0], 0)
            score = LAMBDA * float(rel[i]) - (1 - LAMBDA) * redundancy - cover
            if score > best_score + 1e-9:
                best, best_score = i, score
        picked.append((best, float(relevance[best])))
        key = sentences[best].article.split(",")[0]
        per_article[key] = per_article.get(key, 0) + 1
        pool.remove(best)
    return picked


def key_points(
    doc: DocumentInput,
    embedder: Embedder | None = None,
    *,
    sentences: Sequence[Sentence] | None = None,
) -> list[KeyPoint]:
    """3 to 7 key points (fewer only when the document has fewer sentences), in reading order."""
    sentences = document_sentences(doc) if sentences is None else sentences
    order, relevance, vectors = rank_sentences(sentences, embedder)
    picked = select([sentences[i] for i in order], relevance, vectors, _count(len(sentences)))
    points = [(order[row], score) for row, score in picked]
    return [
        KeyPoint(
            text=sentences[i].text,
            chunk_id=sentences[i].chunk_id,
            article=sentences[i].article,
            score=round(score, 4),
        )
        for i, score in sorted(points)
    ]
