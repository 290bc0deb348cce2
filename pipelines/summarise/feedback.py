"""Feedback at a glance: the posts on a document, a draft resolution or a meeting grouped into
themes, each with a label taken from its posts, a count, representative quotes that link to
their posts, and counts per unit only where the unit has enough posts in the theme that no one
is singled out.

Themes are average-linkage clusters over the posts' similarity: the packaged embeddings' cosine
plus half the lexical one (as the minutes' assignment does), each spread-normalised, since e5's
cosines sit in a narrow band and a fixed cosine threshold would not carry over to another
model. An anonymous post never carries its author or its unit into the summary.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

from pipelines.minutes.assign import Embedder, Matrix, lexical_vectors
from pipelines.minutes.vi import fold, syllables

__all__ = ["FeedbackSummary", "Post", "Quote", "Theme", "summarise_feedback"]

MERGE_AT = 0.9  # average similarity, in standard deviations above the mean pair, to merge
LEXICAL_WEIGHT = 0.5
OTHER_LABEL = "Ý kiến khác"
_STOP_WORDS = (
    "và của là có không được những các cho trong với như thế này đó ở ra vào bị do một theo về đến từ cần phải thì mà đã "
    "đang sẽ rất cũng nên để khi tôi ta mình em anh chị ông bà ạ nhé đề nghị ý kiến đồng chí chi bộ nhiều hơn nữa lại còn"
)
_STOP = set(_STOP_WORDS.split())
_WORD = re.compile(r"\w+")


class Post(BaseModel):
    """One post of a thread, as plain data."""

    id: int
    text: str
    unit_id: int | None = None
    anonymous: bool = False
    author: str | None = None  # the display name; never read for an anonymous post


class Quote(BaseModel):
    post_id: int
    text: str
    author: str | None = None  # None for an anonymous post
    unit_id: int | None = None  # None for an anonymous post


class Theme(BaseModel):
    label: str
    count: int
    post_ids: list[int]
    quotes: list[Quote]
    per_unit: dict[int, int] = Field(default_factory=dict)  # only units at the minimum or above
    other_units: int = 0  # posts of units below the minimum, or of none, counted together


class FeedbackSummary(BaseModel):
    total: int
    themes: list[Theme]
    min_group_size: int


def _z_pairs(cosine: Matrix) -> Matrix:
    n = len(cosine)
    off = cosine[~np.eye(n, dtype=bool)]
    mean, sd = float(off.mean()), float(off.std()) or 1.0
    out: Matrix = ((cosine - mean) / sd).astype(np.float32)
    return out


def _similarity(texts: Sequence[str], embedder: Embedder | None) -> Matrix:
    lexical = lexical_vectors(texts)
    score = LEXICAL_WEIGHT * _z_pairs((lexical @ lexical.T).astype(np.float32))
    if embedder is not None:
        vectors = np.asarray(embedder.embed_passages(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        score = (score + _z_pairs((vectors @ vectors.T).astype(np.float32))).astype(np.float32)
    else:
        score = (score / LEXICAL_WEIGHT).astype(np.float32)
    return score


def _clusters(similarity: Matrix, merge_at: float) -> list[list[int]]:
    """Average-linkage clusters, merged while the closest pair's average similarity reaches
    `merge_at`; ties go to the pair with the earliest posts."""
    n = len(similarity)
    members: list[list[int]] = [[i] for i in range(n)]
    sums = similarity.astype(np.float64).copy()
    alive = np.ones(n, dtype=bool)
    sizes = np.ones(n)
    while alive.sum() > 1:
        avg = sums / np.outer(sizes, sizes)
        mask = np.outer(alive, alive) & ~np.eye(n, dtype=bool)
        avg = np.where(mask, avg, -np.inf)
        flat = int(np.argmax(avg))  # the first maximum: the lowest row, then column
        a, b = divmod(flat, n)
        if avg[a, b] < merge_at:
            break
        a, b = min(a, b), max(a, b)
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sizes[a] += sizes[b]
        alive[b] = False
        members[a] += members[b]
        members[b] = []
    return [sorted(m) for m in members if m]


def _label(texts: Sequence[str], theme: Sequence[int], df: Counter[str], n: int) -> str:
    """The phrase of 2 to 4 words that most of the theme's posts share and few others use,
    as a post writes it; the start of the first post for a theme of one."""
    best: tuple[float, int, str] | None = None
    shown: dict[str, str] = {}
    in_theme: Counter[str] = Counter()
    for i in theme:
        for gram, original in _grams(texts[i]).items():
            in_theme[gram] += 1
            shown.setdefault(gram, original)
    for gram, count in in_theme.items():
        if len(theme) > 1 and count < 2:
            continue
        weight = count * (math.log((1 + n) / (1 + df[gram])) + 1) * (1 + 0.25 * gram.count(" "))
        key = (weight, -len(gram), gram)
        if best is None or key > best:
            best = key
    label = shown[best[2]] if best is not None else " ".join(_WORD.findall(texts[theme[0]])[:6])
    return label[:1].upper() + label[1:]


def _grams(text: str) -> dict[str, str]:
    """Phrases of 2 to 4 words not starting or ending on a function word: folded -> as written."""
    words = _WORD.findall(text)
    low = [w.lower() for w in words]
    out: dict[str, str] = {}
    for size in (2, 3, 4):
        for i in range(len(words) - size + 1):
            part = low[i : i + size]
            if part[0] in _STOP or part[-1] in _STOP or any(w.isdigit() for w in part):
                continue
            out.setdefault(fold(" ".join(part)), " ".join(words[i : i + size]))
    return out


def _quote(post: Post, limit: int = 240) -> Quote:
    text = " ".join(post.text.split())
    if len(text) > limit:
        text = text[: text.rfind(" ", 0, limit)] + "…"
    if post.anonymous:
        return Quote(post_id=post.id, text=text)
    return Quote(post_id=post.id, text=text, author=post.author, unit_id=post.unit_id)


def summarise_feedback(
    posts: Sequence[Post],
    embedder: Embedder | None = None,
    *,
    min_group_size: int = 5,
    max_themes: int = 8,
    quotes: int = 3,
    merge_at: float = MERGE_AT,
) -> FeedbackSummary:
    """Themes, largest first, each with its label, count, `quotes` representative quotes (the
    posts closest to the rest of the theme) and counts per unit for units with at least
    `min_group_size` posts in it; themes past `max_themes` are counted together."""
    posts = [p for p in posts if len(syllables(p.text)) > 0]
    if not posts:
        return FeedbackSummary(total=0, themes=[], min_group_size=min_group_size)
    texts = [p.text for p in posts]
    if len(posts) == 1:
        groups = [[0]]
        similarity: Matrix = np.zeros((1, 1), np.float32)
    else:
        similarity = _similarity(texts, embedder)
        groups = _clusters(similarity, merge_at)
    groups.sort(key=lambda g: (-len(g), g[0]))
    merged_rest = len(groups) > max_themes
    if merged_rest:
        rest = sorted(i for g in groups[max_themes - 1 :] for i in g)
        groups = [*groups[: max_themes - 1], rest]
    df: Counter[str] = Counter()
    for t in texts:
        df.update(_grams(t).keys())
    themes: list[Theme] = []
    for number, group in enumerate(groups):
        other = merged_rest and number == len(groups) - 1
        inner = similarity[np.ix_(group, group)].sum(axis=1)
        central = sorted(range(len(group)), key=lambda j: (-float(inner[j]), group[j]))
        units = Counter(u for i in group if (u := posts[i].unit_id) is not None)
        per_unit = {u: c for u, c in sorted(units.items()) if c >= min_group_size}
        themes.append(
            Theme(
                label=OTHER_LABEL if other else _label(texts, group, df, len(texts)),
                count=len(group),
                post_ids=[posts[i].id for i in group],
                quotes=[_quote(posts[group[j]]) for j in central[:quotes]],
                per_unit=per_unit,
                other_units=len(group) - sum(per_unit.values()),
            )
        )
    return FeedbackSummary(total=len(posts), themes=themes, min_group_size=min_group_size)
