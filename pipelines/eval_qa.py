"""Answer-level evaluation of Hỏi đáp: the dataset format, phrase matching and the scores."""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class UnitSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    name: str
    kind: str = "cell"  # a units.models.UnitKind value
    parent: str | None = None


class MemberSpec(BaseModel):
    """Someone who asks: a member of `unit`, holding `role` there when it is not plain member."""

    model_config = ConfigDict(extra="forbid")

    key: str
    name: str
    unit: str
    role: str | None = None


class AudienceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: str
    include_subtree: bool = True
    role: str | None = None


class DocumentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: str
    title: str
    kind: str  # a documents.models.DocumentKind value; anything else is published as "khac"
    type: str = ""  # the document type in words (quy chế has no DocumentKind of its own)
    issuer: str
    issued_on: str | None = None
    audience: list[AudienceSpec]
    file: str | None = None  # relative to the dataset file's folder
    text: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> DocumentSpec:
        if (self.file is None) == (self.text is None):
            raise ValueError(f"{self.number}: give exactly one of file and text")
        return self


class QuestionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    ask_as: str
    question: str
    kind: str = "short"
    expect: Literal["answer", "decline"] = "answer"
    answers: list[str] = Field(default_factory=list)
    match: Literal["any", "all"] = "any"  # "all": a list question needs every item
    document: str | None = None  # gold document number; for not_visible, the hidden one
    section: str | None = None  # gold article/section label, for the report only

    @model_validator(mode="after")
    def _gold(self) -> QuestionSpec:
        if self.expect == "answer" and (not self.answers or not self.document):
            raise ValueError(f"{self.id}: an answerable question needs answers and a document")
        return self


class Dataset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = ""
    description: str = ""
    units: list[UnitSpec]
    members: list[MemberSpec]
    documents: list[DocumentSpec]
    questions: list[QuestionSpec]

    @model_validator(mode="after")
    def _references(self) -> Dataset:
        units = {u.code for u in self.units}
        members = {m.key for m in self.members}
        numbers = {norm_number(d.number) for d in self.documents}
        for u in self.units:
            if u.parent is not None and u.parent not in units:
                raise ValueError(f"unit {u.code}: unknown parent {u.parent}")
        for m in self.members:
            if m.unit not in units:
                raise ValueError(f"member {m.key}: unknown unit {m.unit}")
        for d in self.documents:
            if d.issuer not in units or any(a.unit not in units for a in d.audience):
                raise ValueError(f"document {d.number}: unknown issuer or audience unit")
        for q in self.questions:
            if q.ask_as not in members:
                raise ValueError(f"{q.id}: unknown asker {q.ask_as}")
            if q.document is not None and norm_number(q.document) not in numbers:
                raise ValueError(f"{q.id}: unknown document {q.document}")
        return self


def load_dataset(path: Path) -> Dataset:
    """The dataset, with every document's file read into its text (NFC)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    for doc in raw.get("documents", []):
        if doc.get("file"):
            doc["text"] = (path.parent / doc.pop("file")).read_text(encoding="utf-8")
    data = Dataset.model_validate(raw)
    for doc in data.documents:
        doc.text = unicodedata.normalize("NFC", doc.text or "")
    return data


# -- matching ---------------------------------------------------------------------------------


def fold(text: str) -> str:
    """NFC, lower case, no diacritics (đ as d), single spaces: "Đảng phí" ~ "dang phi"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def norm_number(number: str) -> str:
    """A document number as the app stores it (no spaces, upper case, NFC)."""
    return unicodedata.normalize("NFC", re.sub(r"\s+", "", number)).upper()


def phrase_in(phrase: str, text: str) -> bool:
    """`phrase` occurs in `text` as whole words, ignoring accents and case: "5 năm" is not
    found in "15 năm"."""
    needle = fold(phrase)
    if not needle:
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", fold(text)) is not None


def phrases_match(q: QuestionSpec, text: str) -> bool:
    hits = [phrase_in(a, text) for a in q.answers]
    return all(hits) if q.match == "all" else any(hits)


def coverage(text: str, chunks: list[str]) -> float:
    """Share of the document's words (counted with repeats, accents and case ignored) that
    reach some chunk: 1.0 when chunking lost nothing, whatever it repeats as context."""
    want = Counter(re.findall(r"\w+", fold(text)))
    have = Counter(w for chunk in chunks for w in re.findall(r"\w+", fold(chunk)))
    total = sum(want.values())
    return round(sum(min(n, have[w]) for w, n in want.items()) / (total or 1), 4)


# -- scoring ----------------------------------------------------------------------------------


class Outcome(BaseModel):
    """What happened to one question."""

    id: str
    question: str
    kind: str
    expect: str
    found: bool
    phrase: bool  # the expected phrase(s) are in the answer
    document: bool  # the gold document is among the citations
    section: bool | None  # a citation's article starts with the gold section (None: no gold)
    verdict: Literal["correct", "wrong", "declined_correctly", "declined_wrongly"]
    ms: float
    cited: list[str]
    answer: str


def judge(
    q: QuestionSpec,
    found: bool,
    answer: str,
    cited: list[str],
    articles: list[str],
    ms: float,
) -> Outcome:
    """`answer` as the member reads it; the expected phrase is looked for in it less the
    citation labels (a document number or an article's title must not supply it)."""
    body = answer
    for label in [*cited, *articles]:
        if label:
            body = body.replace(label, " ")
    gold = norm_number(q.document) if q.document else None
    phrase = found and q.expect == "answer" and phrases_match(q, body)
    document = found and gold is not None and gold in {norm_number(c) for c in cited}
    section = None
    if q.section and found:
        pattern = re.compile(rf"{re.escape(fold(q.section))}(?!\w)")
        section = any(pattern.match(fold(a)) for a in articles)
    if q.expect == "decline":
        verdict = "wrong" if found else "declined_correctly"
    elif not found:
        verdict = "declined_wrongly"
    else:
        verdict = "correct" if phrase and document else "wrong"
    return Outcome(
        id=q.id,
        question=q.question,
        kind=q.kind,
        expect=q.expect,
        found=found,
        phrase=phrase,
        document=document,
        section=section,
        verdict=verdict,  # type: ignore[arg-type]
        ms=round(ms, 2),
        cited=cited,
        answer=answer,
    )


def percentile(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


class QaEvalResult(BaseModel):
    questions: int
    answerable: int
    unanswerable: int  # expected "not found": in no document, or only in one the asker may not see
    answered_with_phrase: int  # answerable, answered, expected phrase present
    right_document: int  # answerable, answered, gold document cited
    correct: int  # both: the acceptance figure
    wrong: int  # answered, but wrong phrase or document, or answered when it should decline
    wrong_on_unanswerable: int
    declined_correctly: int
    declined_wrongly: int
    section_cited: int  # among correct answers with a gold section, the section cited too
    correct_rate: float  # correct / answerable
    wrong_unanswerable_rate: float  # wrong_on_unanswerable / unanswerable
    latency_ms_p50: float
    latency_ms_p95: float
    by_kind: dict[str, dict[str, int]]
    documents: int
    documents_indexed: int
    chunks: int
    index_failures: dict[str, str]  # document number -> the job's error
    # Per document, the share of its words found in its chunks (text, nearest heading, article).
    # Headings above the nearest one (a Chương's title) are not stored per chunk and count as
    # missing, so a few per cent short of 1.0 is headings, not lost content.
    coverage: dict[str, float]
    config: dict[str, Any]
    outcomes: list[Outcome]


def summarise(
    outcomes: list[Outcome],
    *,
    documents: int,
    documents_indexed: int,
    chunks: int,
    index_failures: dict[str, str],
    coverage: dict[str, float],
    config: dict[str, Any],
) -> QaEvalResult:
    answerable = [o for o in outcomes if o.expect == "answer"]
    unanswerable = [o for o in outcomes if o.expect == "decline"]
    by_kind: dict[str, dict[str, int]] = {}
    for o in outcomes:
        row = by_kind.setdefault(o.kind, {"questions": 0})
        row["questions"] += 1
        row[o.verdict] = row.get(o.verdict, 0) + 1
    correct = sum(o.verdict == "correct" for o in answerable)
    wrong_unanswerable = sum(o.found for o in unanswerable)
    latencies = [o.ms for o in outcomes]
    return QaEvalResult(
        questions=len(outcomes),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        answered_with_phrase=sum(o.phrase for o in answerable),
        right_document=sum(o.document for o in answerable),
        correct=correct,
        wrong=sum(o.verdict == "wrong" for o in outcomes),
        wrong_on_unanswerable=wrong_unanswerable,
        declined_correctly=sum(o.verdict == "declined_correctly" for o in outcomes),
        declined_wrongly=sum(o.verdict == "declined_wrongly" for o in outcomes),
        section_cited=sum(o.verdict == "correct" and o.section is True for o in answerable),
        correct_rate=round(correct / (len(answerable) or 1), 4),
        wrong_unanswerable_rate=round(wrong_unanswerable / (len(unanswerable) or 1), 4),
        latency_ms_p50=round(percentile(latencies, 50), 1),
        latency_ms_p95=round(percentile(latencies, 95), 1),
        by_kind=dict(sorted(by_kind.items())),
        documents=documents,
        documents_indexed=documents_indexed,
        chunks=chunks,
        index_failures=index_failures,
        coverage=coverage,
        config=config,
        outcomes=outcomes,
    )
