"""Answering a member's question from the passages they may see: extractive by default
(offline, deterministic), or through a chat model (see pipelines/llm.py), always with citations.

Inputs are plain data (the app has already filtered the passages by permission); out comes an
`Answer`. The extractive answer quotes whole sentences of the documents, each with its own
citation; document text is only ever quoted, so instructions inside a document do nothing.

Evidence threshold: a question is answered only when its best sentence covers enough of the
question's content syllables (accent-folded, question words removed) and bigrams. Calibrated
with benchmarks/qa_threshold.py on the dev set (142 paragraphs, 1,225 questions, top 6
passages). Evidence of the top sentence: median 0.70 with the gold paragraph indexed, 0.48 with
it removed (only distractors left). At 0.60 (the best split of the thresholds tried) 69.5% of
the questions are answered with the gold paragraph indexed and 28.0% with it removed, against
83.5% and 46.9% at 0.50 (of the 28.0%, 3.8 points quote a distractor that holds a gold answer
too). Syllable coverage separates the two cases only so far; the table shows the trade-off.

Where the caller can embed (the app does: two short embeddings per answer),
the support also counts the question's cosine with that sentence: coverage + 3 x (cosine -
0.88), against the same 0.60 (0.88 lies between the medians of the gold-indexed and
gold-removed cases). AUC between the two cases: 0.778 by coverage, 0.803 with the cosine; at
0.60, 70.7% answered with the gold paragraph (69.5% by coverage) and 25.4% with it removed
(28.0%): more right answers and fewer wrong ones (benchmarks/qa_threshold.py prints both).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from vectorstore.tokens import split_sentences, syllables

MIN_EVIDENCE = 0.6
# Dense support: see the module docstring (benchmarks/qa_threshold.py prints both tables).
DENSE_WEIGHT = 3.0
COSINE_CENTER = 0.88
MAX_SENTENCES = 3
NOT_FOUND_VI = "Không tìm thấy trong các văn bản bạn được xem."
NOT_FOUND_EN = "Not found in the documents you may see."

# Question words and function words: they say nothing about which passage answers.
_STOP_VI = set(
    [
        "là",
        "gì",
        "nào",
        "ai",
        "đâu",
        "bao",
        "nhiêu",
        "mấy",
        "khi",
        "thì",
        "và",
        "của",
        "có",
        "không",
        "được",
        "những",
        "các",
        "cho",
        "trong",
        "với",
        "như",
        "thế",
        "sao",
        "tại",
        "vì",
        "hay",
        "hoặc",
        "này",
        "đó",
        "kia",
        "ở",
        "ra",
        "vào",
        "bị",
        "do",
        "một",
        "theo",
        "về",
        "đến",
        "từ",
        "hãy",
        "cần",
        "phải",
        "thế_nào",
        "bao_giờ",
        "bao_nhiêu",
        "vì_sao",
        "tại_sao",
    ]
)
_STOP_EN = set(
    [
        "what",
        "when",
        "where",
        "who",
        "whom",
        "which",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "and",
        "or",
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "may",
        "might",
        "must",
        "shall",
        "will",
        "there",
        "their",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "according",
        "document",
        "documents",
        "say",
        "says",
    ]
)
_ENGLISH_HINTS = _STOP_EN | {"party", "member", "members", "meeting", "deadline", "report"}


class Passage(BaseModel):
    """A retrieved chunk the asker may see, with what a citation needs."""

    chunk_id: str
    ordinal: int
    document_id: int
    title: str
    number: str | None = None
    article: str = ""
    heading: str = ""  # the nearest heading: "Điều 2. Thời hạn"
    text: str
    score: float = 0.0  # fused hybrid score (z-scores; relative to the other candidates)
    url: str = ""


class Citation(BaseModel):
    document_id: int
    title: str
    number: str | None
    article: str
    snippet: str
    url: str


class Answer(BaseModel):
    answer: str
    citations: list[Citation]
    found: bool


def _fold(s: str) -> str:
    decomposed = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def is_english(question: str) -> bool:
    """A question without Vietnamese letters that uses English function words."""
    if any(_fold(ch) != ch.lower() for ch in question if ch.isalpha()):
        return False
    words = {w.lower() for w in re.findall(r"[A-Za-z']+", question)}
    return len(words & _ENGLISH_HINTS) >= 1


def content_terms(text: str) -> tuple[set[str], set[str]]:
    """Folded content syllables and adjacent bigrams (question words dropped)."""
    syl = [_fold(s) for s in syllables(text)]
    stop_vi = {_fold(w) for w in _STOP_VI}
    keep = [s for s in syl if s not in stop_vi and s not in _STOP_EN]
    # A bigram of two question words ("bao nhiêu") says nothing about the passage.
    bigrams = {
        f"{a}_{b}"
        for a, b in zip(syl, syl[1:], strict=False)
        if not (a in stop_vi and b in stop_vi) and f"{a}_{b}" not in stop_vi
    }
    return set(keep), bigrams


def evidence(question_terms: tuple[set[str], set[str]], sentence: str) -> float:
    """How much of the question a sentence covers: syllables, with bigrams as a bonus for
    word order (0..1)."""
    q_syl, q_bi = question_terms
    if not q_syl:
        return 0.0
    s_syl, s_bi = content_terms(sentence)
    syl = len(q_syl & s_syl) / len(q_syl)
    bi = len(q_bi & s_bi) / len(q_bi) if q_bi else syl
    return (2 * syl + bi) / 3


def support(coverage: float, cosine: float | None) -> float:
    """The evidence compared with MIN_EVIDENCE: coverage, moved by the cosine when known."""
    if cosine is None:
        return coverage
    return coverage + DENSE_WEIGHT * (cosine - COSINE_CENTER)


def citation_for(p: Passage, snippet: str) -> Citation:
    return Citation(
        document_id=p.document_id,
        title=p.title,
        number=p.number,
        article=p.article,
        snippet=snippet,
        url=p.url,
    )


def source_label(p: Passage) -> str:
    label = p.number or p.title
    return f"{label}, {p.article}" if p.article else label


def not_found(question: str) -> Answer:
    return Answer(
        answer=NOT_FOUND_EN if is_english(question) else NOT_FOUND_VI, citations=[], found=False
    )


Scored = tuple[float, float, int, int, str]  # (rank key, evidence, passage rank, position, text)


def rank_sentences(question: str, passages: Sequence[Passage]) -> list[Scored]:
    """Every sentence of the passages, best first; the first one's evidence is what the
    threshold is compared with (benchmarks/qa_threshold.py measures it)."""
    weight = 0.5 if is_english(question) else 0.1
    terms = content_terms(question)
    scored: list[Scored] = []
    for rank, p in enumerate(passages):
        for pos, sentence in enumerate(split_sentences(p.text)):
            # The article's title counts with the sentence: "Điều 2. Thời hạn" holds the
            # "hạn" of "Hạn nộp báo cáo…" that its clause "gửi … trước ngày 15/12" leaves out.
            ev = evidence(terms, f"{p.heading} {sentence}" if p.heading else sentence)
            # Retrieval rank breaks ties between equally covering sentences; an English
            # question cannot overlap Vietnamese text, so it leans on the fused score.
            scored.append((ev + weight * p.score - 0.02 * rank, ev, rank, pos, sentence))
    scored.sort(key=lambda t: (-t[0], t[2], t[3]))
    return scored


def answer_extractive(
    question: str,
    passages: Sequence[Passage],
    *,
    min_evidence: float = MIN_EVIDENCE,
    max_sentences: int = MAX_SENTENCES,
    similarity: Callable[[str], float] | None = None,
) -> Answer:
    """The best-supported sentences of the top passages, each quoted with its citation.
    `similarity(sentence)` is the question's cosine with a sentence, when the caller can
    embed; without it the threshold applies to term coverage alone."""
    english = is_english(question)
    scored = rank_sentences(question, passages)
    if not scored:
        return not_found(question)
    best = scored[0]
    if english:
        # Dense retrieval carries an English question: accept its top passage when the
        # fused score stands clearly above the other candidates.
        if passages[best[2]].score < 1.0:
            return not_found(question)
    elif support(best[1], similarity(best[4]) if similarity else None) < min_evidence:
        return not_found(question)
    chosen = [best]
    for cand in scored[1:]:
        if len(chosen) == max_sentences:
            break
        if cand[4] in {c[4] for c in chosen}:
            continue
        if cand[1] >= max(min_evidence, 0.8 * best[1]) and cand[0] >= 0.8 * best[0]:
            chosen.append(cand)
    lines: list[str] = []
    citations: list[Citation] = []
    for i, (_, _, rank, _, sentence) in enumerate(chosen, start=1):
        p = passages[rank]
        citations.append(citation_for(p, sentence))
        lines.append(f"{source_label(p)}: “{sentence}” [{i}]")
    if english:
        intro = "The documents you may see say (quoted in Vietnamese):"
    else:
        intro = "Theo các văn bản bạn được xem:"
    return Answer(answer="\n".join([intro, *lines]), citations=citations, found=True)
