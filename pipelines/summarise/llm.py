"""LLM mode of the document summary: the configured chat model (the provider of Hỏi đáp and the
minutes, `pipelines.llm.make_chat_model`) writes the key points, tasks and short version from
the document's numbered sentences.

The sentences reach the model only inside the <sources> fence of prompts/summarise/summary.j2,
with angle brackets escaped; sentences that speak to a summariser ("Hãy tóm tắt rằng…") are
never among them. A line of the reply is kept only when it cites valid source ids ([S12]),
states no number its sources do not, and most of its words occur in its sources. A task's
deadline and responsible party are still read by the rules from the sentence it cites. A part
the model wrote nothing valid for keeps the offline part; any failure of the model, or a reply
with no valid line, gives the offline summary with `fallback_reason` set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import RunnableLambda

from pipelines.minutes.assign import Embedder
from pipelines.minutes.vi import fold, numbers, syllables
from pipelines.summarise.deadlines import parse_deadline
from pipelines.summarise.keypoints import MAX_POINTS, Sentence, document_sentences
from pipelines.summarise.models import (
    DocumentInput,
    DocumentSummary,
    KeyPoint,
    PlainSentence,
    Task,
)
from pipelines.summarise.plain import SENTENCES, expand_abbreviations
from pipelines.summarise.summary import summarise
from pipelines.summarise.tasks import find_parties
from prompts import render_sections

__all__ = ["build_messages", "numbered_sources", "parse_reply", "summarise_with_model"]

MAX_SOURCES = 150  # sentences handed to the model; a longer document keeps its first ones
MIN_OVERLAP = 0.8  # share of a line's content syllables that its cited sources must hold
_IDS = re.compile(r"\[\s*(S\d+(?:\s*[,;]\s*S?\d+)*)\s*\]", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]+|\d+[.)])\s+")
_PARTS = {"ý chính": "points", "nhiệm vụ": "tasks", "bản ngắn": "short"}
_STOP_WORDS = "và của là có những các cho trong với như này đó ở ra vào do một theo"
_STOP = set(_STOP_WORDS.split())
# Words that turn a duty into its opposite: a line may use one only where its sources do.
_POLARITY = {"không", "chưa", "miễn", "cấm", "đừng", "chẳng", "được"}


def _fence(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def numbered_sources(doc: DocumentInput) -> list[Sentence]:
    """The sentences handed to the model, S1 first, in reading order."""
    return document_sentences(doc)[:MAX_SOURCES]


def build_messages(doc: DocumentInput, sources: Sequence[Sentence]) -> list[BaseMessage]:
    """System and user messages from prompts/summarise/summary.j2, the sources fenced as data."""
    parts = render_sections(
        "summarise/summary",
        title=_fence(doc.title),
        symbol=_fence(doc.symbol),
        issued=doc.issued.strftime("%d/%m/%Y"),
        sources=[
            {"id": f"S{n}", "article": _fence(s.article), "text": _fence(s.text)}
            for n, s in enumerate(sources, start=1)
        ],
    )
    return [SystemMessage(content=parts["system"]), HumanMessage(content=parts["user"])]


def _content(text: str) -> set[str]:
    return {fold(w) for w in syllables(text) if fold(w) not in _STOP and not w.isdigit()}


def _supported(text: str, evidence: str) -> bool:
    """No number and no negation or permission the evidence lacks, and most content
    syllables found in it."""
    if not set(numbers(text)) <= set(numbers(evidence)):
        return False
    if (set(syllables(text)) & _POLARITY) - set(syllables(evidence)):
        return False
    words, held = _content(text), _content(evidence)
    return bool(words) and len(words & held) >= MIN_OVERLAP * len(words)


def parse_reply(
    reply: str, sources: Sequence[Sentence]
) -> dict[str, list[tuple[str, list[Sentence]]]]:
    """The reply's kept lines per part ("points", "tasks", "short"), each with its sources."""
    out: dict[str, list[tuple[str, list[Sentence]]]] = {"points": [], "tasks": [], "short": []}
    part = "points"
    seen: set[tuple[str, str]] = set()
    for raw in reply.replace("```", "\n").splitlines():
        heading = re.sub(r"^[#*\s]+|[:*\s]+$", "", raw).lower()
        if heading in _PARTS:
            part = _PARTS[heading]
            continue
        ids: list[int] = []
        for group in _IDS.findall(raw):
            for piece in re.split(r"\s*[,;]\s*", group):
                n = int(piece.strip().lstrip("Ss"))
                if 1 <= n <= len(sources) and n not in ids:
                    ids.append(n)
        if not ids:
            continue  # uncited, or citing only ids it was not given: dropped
        text = _BULLET.sub("", _IDS.sub("", raw))
        text = re.sub(r"\s+([,.;:!?…])", r"\1", re.sub(r"\s+", " ", text)).strip(" ;:-")
        cited = [sources[n - 1] for n in ids]
        evidence = " ".join(s.text for s in cited)
        if part == "short":
            evidence += " " + expand_abbreviations(evidence)
        if len(syllables(text)) < 3 or (part, fold(text)) in seen:
            continue
        if not _supported(text, evidence):
            continue  # words or figures the cited sentences do not hold
        seen.add((part, fold(text)))
        text = text[0].upper() + text[1:]
        out[part].append((text if text[-1] in ".!?…" else text + ".", cited))
    return out


def _task(text: str, cited: list[Sentence], offline: Sequence[Task], doc: DocumentInput) -> Task:
    """The model's task with the responsible party and deadline the rules read from the
    sentence it cites (the offline task of that sentence when there is one)."""
    source = cited[0]
    rule = next(
        (t for t in offline if t.chunk_id == source.chunk_id and fold(t.text) in fold(source.text)),
        None,
    )
    if rule is not None:
        return rule.model_copy(update={"action": text})
    parties = find_parties(source.text)
    return Task(
        text=source.text,
        action=text,
        responsible=parties[0].text if parties else "",
        responsible_kind=parties[0].kind if parties else None,
        deadline=parse_deadline(source.text, doc.issued),
        chunk_id=source.chunk_id,
        article=source.article,
    )


def summarise_with_model(
    doc: DocumentInput, model: BaseChatModel, *, embedder: Embedder | None = None
) -> DocumentSummary:
    """The summary written by the chat model from the cited sentences; each part the model
    wrote nothing valid for keeps the offline part; the offline summary with `fallback_reason`
    when the model fails or no line of its reply survives."""
    offline = summarise(doc, embedder)
    try:
        sources = numbered_sources(doc)
        if not sources:
            return offline
        prompt: RunnableLambda[DocumentInput, list[BaseMessage]] = RunnableLambda(
            lambda d: build_messages(d, sources)
        )
        reply = (prompt | model | StrOutputParser()).invoke(doc)
        parts = parse_reply(reply, sources)
    except Exception as exc:  # noqa: BLE001 - any failure of the model means "offline summary"
        return offline.model_copy(update={"fallback_reason": f"{type(exc).__name__}: {exc}"[:500]})
    if not any(parts.values()):
        return offline.model_copy(update={"fallback_reason": "no sentence with a valid source id"})
    points = [
        KeyPoint(text=text, chunk_id=cited[0].chunk_id, article=cited[0].article)
        for text, cited in parts["points"][:MAX_POINTS]
    ]
    tasks = [_task(text, cited, offline.tasks, doc) for text, cited in parts["tasks"]]
    short = [
        PlainSentence(
            text=expand_abbreviations(text),
            chunk_ids=list(dict.fromkeys(s.chunk_id for s in cited)),
        )
        for text, cited in parts["short"][:SENTENCES]
    ]
    return DocumentSummary(
        key_points=points or offline.key_points,
        tasks=tasks or offline.tasks,
        short=short or offline.short,
        mode="llm",
    )
