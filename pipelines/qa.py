"""Answering a member's question from the passages they may see, always with citations."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel

from pipelines import answer_select as sel
from vectorstore.tokens import split_sentences, syllables

# Inputs are plain data (the app has already filtered the passages by permission). The
# extractive answer quotes the documents' own clauses, each with its citation; document text is
# only ever quoted, so instructions inside a document do nothing.
#
# Evidence (see `select`): the best clause's coverage of the question's content syllables and
# bigrams (with its sentence and heading), averaged with the whole passage's coverage; plus or
# minus the answer type (a duration, a date, an amount, a list asked for and present or not), a
# number the question names missing from the passage, and the top passage's retrieval margin.
#
# Whether to answer is a logistic estimate that the quote holds the answer, from the evidence and,
# where the caller can embed (the app does, with the search's own query vector), the question's
# cosine with the quote. Fitted by benchmarks/qa_decision.py on the Zalo dev set (each question
# with its gold paragraph indexed and removed) and the party-domain dev set (tests/data/qa); the
# threshold is the one at which wrong answers on the Zalo set with the gold paragraph removed do
# not rise above the lexical step's (benchmarks/qa_threshold.py prints the trade-off).
LOGIT_EVIDENCE, LOGIT_COSINE, LOGIT_BIAS = 4.72, 18.13, -19.97
LEXICAL_LOGIT_EVIDENCE, LEXICAL_LOGIT_BIAS = 5.73, -4.81  # without a cosine
MIN_PROBABILITY = 0.4
MAX_SENTENCES = 3
NOT_FOUND_VI = "Không tìm thấy trong các văn bản bạn được xem."
NOT_FOUND_EN = "Not found in the documents you may see."

# Question words and function words: they say nothing about which passage answers.
_VI_WORDS = (
    "là gì nào ai đâu bao nhiêu mấy khi thì và của có không được những các cho trong với "
    "như thế sao tại vì hay hoặc này đó kia ở ra vào bị do một theo về đến từ hãy cần "
    "phải thế_nào bao_giờ bao_nhiêu vì_sao tại_sao"
)
_EN_WORDS = (
    "what when where who whom which why how is are was were be been the a an of in on at "
    "to for by with from and or do does did can could should would may might must shall "
    "will there their it its this that these those according document documents say says"
)
_STOP_VI, _STOP_EN = set(_VI_WORDS.split()), set(_EN_WORDS.split())
_ENGLISH_HINTS = _STOP_EN | {"party", "member", "members", "meeting", "deadline", "report"}


class Similarity(Protocol):
    """The question's cosine with a text, from whoever holds the embeddings (the app passes
    `pipelines.retrieval.QuerySimilarity`, built on the search's own query vector)."""

    def __call__(self, text: str, /) -> float: ...


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


def probability(evidence: float, cosine: float | None) -> float:
    """The estimated chance that a quote with this evidence (and cosine) holds the answer."""
    if cosine is None:
        z = LEXICAL_LOGIT_EVIDENCE * evidence + LEXICAL_LOGIT_BIAS
    else:
        z = LOGIT_EVIDENCE * evidence + LOGIT_COSINE * cosine + LOGIT_BIAS
    return 1.0 / (1.0 + math.exp(-z))


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


# Clause-level selection (pipelines/answer_select.py); weights chosen on half 0 of the party
# dev set's documents and checked on half 1 (benchmarks/qa_party.py prints both).
TYPE_WEIGHT = 0.15  # a clause holding the value the question asks for (a duration, a date)
MARGIN = 1.0  # the top passage's fused score above the second's, in z-score units
MARGIN_WEIGHT = 0.2
PASSAGE_WEIGHT = 0.5
NUMBER_PENALTY = 0.15  # a number the question names is missing from the passage
YEAR_PENALTY = 0.3  # the sentence names a year, and not the one the question asks about
TYPE_MISS = 0.3  # the question asks for a value (a duration, an amount) the quote lacks
SCORE_WEIGHT = 0.1  # the passage's fused retrieval score, in the clause choice only


@dataclass
class Selection:
    """What the extractive answer would quote, and the evidence its answer probability comes from."""

    evidence: float  # lexical: clause and passage coverage, answer type, retrieval margin
    cosine: float | None  # the question's cosine with the first quote, when known
    quotes: list[tuple[int, str]]  # (passage rank, quoted text), in answer order

    @property
    def probability(self) -> float:
        return probability(self.evidence, self.cosine)


def typed_value(kind: sel.Kind, c: sel.Clause) -> bool:
    return sel.holds_value(kind, c.text)


def select(
    question: str,
    passages: Sequence[Passage],
    similarity: Similarity | None = None,
) -> Selection | None:
    """The best clause of the passages (its type-matching neighbour and its list with it)."""
    terms = content_terms(question)
    kind = sel.question_kind(question)
    numbers = sel.question_numbers(question)
    years = sel.years(question)
    best: tuple[float, float, sel.Clause, list[sel.Clause]] | None = None
    for rank, p in enumerate(passages):
        cs = sel.clauses(rank, p.text)
        # The document's title and the nearest heading are the clause's context: "đợt học nghị
        # quyết này" names the plan's title, not words of its clause "Ban Tuyên giáo … chuẩn bị
        # tài liệu". They are quoted by the citation, never as the answer.
        head = "".join(f"{x} " for x in (p.title, p.heading) if x)
        passage_cov = evidence(terms, head + p.text)
        # "Huy hiệu 30 năm" is not answered by a passage on 40 years, nor "năm 2026" by 2025.
        missing = NUMBER_PENALTY * any(n not in head + p.text for n in numbers)
        for c in cs:
            # The sentence and the article's title count with the clause: "Điều 2. Thời hạn"
            # holds the "hạn" of "Hạn nộp…" that its clause "trước ngày 15/12" leaves out.
            local = max(evidence(terms, head + c.sentence), evidence(terms, head + c.text))
            typed = sel.matches(kind, c)
            # A sentence about another year does not answer for the year asked: "Năm 2025, Đảng
            # bộ kết nạp được 9…" is not the target "năm 2026".
            other_year = YEAR_PENALTY * bool(years and sel.other_year(years, c.sentence))
            penalty = missing + other_year
            key = local + TYPE_WEIGHT * typed - penalty + SCORE_WEIGHT * p.score - 0.02 * rank
            if best is not None and key <= best[0]:
                continue
            # Words of the question spread over the passage count too, for less.
            ev = (1 - PASSAGE_WEIGHT) * local + PASSAGE_WEIGHT * passage_cov - penalty
            if rank == 0 and (len(passages) == 1 or p.score - passages[1].score >= MARGIN):
                ev += MARGIN_WEIGHT
            best = (key, ev, c, cs)
    if best is None:
        return None
    _, ev, top, cs = best
    group = [top]
    if kind in sel.TYPED and not typed_value(kind, top):
        # "a) Giám sát … 4 bí thư;" then "b) Thời gian … tháng 9": the value is a neighbour.
        near = [c for c in cs if abs(c.index - top.index) <= 2 and typed_value(kind, c)]
        if near:
            group.append(min(near, key=lambda c: abs(c.index - top.index)))
    if top.intro or (kind is sel.Kind.LIST and top.item):
        group.extend(sel.list_around(cs, top.index))  # a list is quoted whole
    if kind is not sel.Kind.OTHER:
        # A question that asks for a value is not answered by a quote that holds none.
        ev += TYPE_WEIGHT if any(sel.matches(kind, c) for c in group) else -TYPE_MISS
    quotes: list[tuple[int, str]] = []
    for c in sorted(group, key=lambda c: c.index):
        q = sel.quote(c)
        if (top.rank, q) not in quotes:
            quotes.append((top.rank, q))
    cosine = similarity(quotes[0][1]) if similarity else None
    return Selection(ev, cosine, quotes)


def answer_extractive(
    question: str,
    passages: Sequence[Passage],
    *,
    min_probability: float = MIN_PROBABILITY,
    max_sentences: int = MAX_SENTENCES,
    similarity: Similarity | None = None,
) -> Answer:
    """The best-supported clause of the top passages, with what completes it (the value the
    question asks for, the list it introduces), each quoted with its citation.
    `similarity(text)` is the question's cosine with a text, when the caller can embed;
    without it the threshold applies to the lexical evidence alone."""
    if is_english(question):
        return _answer_english(question, passages, max_sentences)
    chosen = select(question, passages, similarity)
    if chosen is None or chosen.probability < min_probability:
        return not_found(question)
    return _quoted(chosen.quotes, passages, english=False)


def _quoted(
    quotes: Sequence[tuple[int, str]], passages: Sequence[Passage], *, english: bool
) -> Answer:
    lines: list[str] = []
    citations: list[Citation] = []
    for i, (rank, text) in enumerate(quotes, start=1):
        p = passages[rank]
        citations.append(citation_for(p, text))
        lines.append(f"{source_label(p)}: “{text}” [{i}]")
    if english:
        intro = "The documents you may see say (quoted in Vietnamese):"
    else:
        intro = "Theo các văn bản bạn được xem:"
    return Answer(answer="\n".join([intro, *lines]), citations=citations, found=True)


def _answer_english(question: str, passages: Sequence[Passage], max_sentences: int) -> Answer:
    """Dense retrieval carries an English question (it cannot overlap Vietnamese text):
    accept its top passage when the fused score stands clearly above the other candidates."""
    scored = rank_sentences(question, passages)
    if not scored or passages[scored[0][2]].score < 1.0:
        return not_found(question)
    best = scored[0]
    chosen = [best]
    for cand in scored[1:]:
        if len(chosen) == max_sentences:
            break
        if cand[4] in {c[4] for c in chosen}:
            continue
        if cand[1] >= 0.8 * best[1] and cand[0] >= 0.8 * best[0]:
            chosen.append(cand)
    return _quoted([(c[2], c[4]) for c in chosen], passages, english=True)
