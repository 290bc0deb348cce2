"""LLM mode: a LangChain chain over the configured chat model (the same provider as Hỏi đáp,
`pipelines.llm.make_chat_model`) writes each agenda item's discussion from numbered source
sentences; everything else, and every figure, stays the offline draft's.

The sources reach the model only inside the <sources> fence of prompts/minutes/draft.j2, with
angle brackets escaped, and the system prompt says they are data. A sentence of the reply is
kept only when it cites a valid source id ([S12]), states no tally or percentage, and every
number and every person it names appears in the sources it cites. Any failure of the model
gives the offline draft with `fallback_reason` set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import RunnableLambda

from pipelines.minutes.assign import Embedder
from pipelines.minutes.discussion import Candidate, assign, collect, known_people, unique
from pipelines.minutes.draft import draft_minutes
from pipelines.minutes.models import MinutesDraft, MinutesInput, Section, Sentence, Source
from pipelines.minutes.vi import fold, numbers, states_figure, syllables
from prompts import render_sections

MAX_SOURCES_PER_ITEM = 24  # the most relevant statements of each item handed to the model
_IDS = re.compile(r"\[\s*(S\d+(?:\s*[,;]\s*S?\d+)*)\s*\]", re.IGNORECASE)
_SPLIT = re.compile(r"(?<=[.!?…\]])\s+(?=[^\[\s])|\n+")
_BULLET = re.compile(r"^\s*(?:[-*•]+|\d+[.)])\s+")


@dataclass(frozen=True)
class Numbered:
    sid: int  # S<sid>
    candidate: Candidate
    item_id: int


def _fence(text: str) -> str:
    # A source must not be able to close the fence or open a tag of its own.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def numbered_sources(
    data: MinutesInput, embedder: Embedder | None, per_item: int = MAX_SOURCES_PER_ITEM
) -> list[Numbered]:
    """Each item's most relevant statements, in source order, numbered from S1."""
    candidates = unique(collect(data))
    assign(data, candidates, embedder)
    out: list[Numbered] = []
    for index, item in enumerate(data.record.agenda):
        mine = sorted(
            (c for c in candidates if c.item == index), key=lambda c: (-c.relevance, c.order)
        )[:per_item]
        for c in sorted(mine, key=lambda c: c.order):
            out.append(Numbered(len(out) + 1, c, item.id))
    return out


def build_messages(data: MinutesInput, sources: list[Numbered]) -> list[BaseMessage]:
    """System and user messages from prompts/minutes/draft.j2, the sources fenced as data."""
    r = data.record
    items = [
        {
            "number": n,
            "title": _fence(item.title).replace('"', "&quot;"),
            "sources": [
                {
                    "id": f"S{s.sid}",
                    "speaker": _fence(s.candidate.speaker),
                    "text": _fence(s.candidate.text),
                }
                for s in sources
                if s.item_id == item.id
            ],
        }
        for n, item in enumerate(r.agenda, start=1)
    ]
    parts = render_sections(
        "minutes/draft", meeting=_fence(f"{r.cell_name}, tháng {r.month}/{r.year}"), items=items
    )
    return [SystemMessage(content=parts["system"]), HumanMessage(content=parts["user"])]


def _names(text: str, people: dict[str, str]) -> set[str]:
    folded = fold(text)
    return {k for k in people if k and re.search(rf"(?<!\w){re.escape(k)}(?!\w)", folded)}


def parse_reply(
    reply: str, sources: list[Numbered], people: dict[str, str]
) -> dict[int, list[Sentence]]:
    """Agenda item id -> the reply's sentences that survive: cited with valid ids, no tally or
    percentage, no number or name that their cited sources do not hold."""
    by_id = {s.sid: s for s in sources}
    out: dict[int, list[Sentence]] = {}
    seen: set[str] = set()
    for raw in _SPLIT.split(reply.replace("```", "\n")):
        ids: list[int] = []
        for group in _IDS.findall(raw):
            for part in re.split(r"\s*[,;]\s*", group):
                sid = int(part.strip().lstrip("Ss"))
                if sid in by_id and sid not in ids:
                    ids.append(sid)
        if not ids:
            continue  # uncited, or citing only ids it was not given: dropped
        text = _BULLET.sub("", _IDS.sub("", raw))
        text = re.sub(r"\s+([,.;:!?…])", r"\1", re.sub(r"\s+", " ", text)).strip(" ;:-")
        if len(syllables(text)) < 3 or states_figure(text) or fold(text) in seen:
            continue
        cited = [by_id[i] for i in ids]
        evidence = " ".join(f"{c.candidate.speaker} {c.candidate.text}" for c in cited)
        if not set(numbers(text)) <= set(numbers(evidence)):
            continue  # a figure the sources do not state
        if not _names(text, people) <= _names(evidence, people):
            continue  # a person the sources do not name
        seen.add(fold(text))
        text = text if text[-1] in ".!?…" else text + "."
        sentence_sources: list[Source] = [c.candidate.source for c in cited]
        out.setdefault(cited[0].item_id, []).append(
            Sentence(text=text[0].upper() + text[1:], sources=sentence_sources, part="discussion")
        )
    return out


def _with_discussion(draft: MinutesDraft, written: dict[int, list[Sentence]]) -> MinutesDraft:
    sections = []
    for section in draft.sections:
        item_id = (
            int(section.key.removeprefix("item-")) if section.key.startswith("item-") else None
        )
        if item_id is None or not written.get(item_id):
            sections.append(section)
            continue
        keep = [s for s in section.sentences if s.part != "discussion"]
        report = [s for s in keep if s.part == "report"]
        rest = [s for s in keep if s.part != "report"]
        sections.append(
            Section(
                key=section.key, heading=section.heading, sentences=report + written[item_id] + rest
            )
        )
    return draft.model_copy(update={"sections": sections, "mode": "llm"})


def draft_with_model(
    data: MinutesInput,
    model: BaseChatModel,
    *,
    embedder: Embedder | None = None,
) -> MinutesDraft:
    """The draft with each item's discussion written by the chat model (items it wrote nothing
    valid for keep the offline discussion); the offline draft with `fallback_reason` when the
    model fails or no sentence of its reply survives."""
    offline = draft_minutes(data, embedder=embedder)
    if not data.record.agenda:
        return offline
    try:
        sources = numbered_sources(data, embedder)
        if not sources:
            return offline
        prompt: RunnableLambda[MinutesInput, list[BaseMessage]] = RunnableLambda(
            lambda d: build_messages(d, sources)
        )
        reply = (prompt | model | StrOutputParser()).invoke(data)
        written = parse_reply(reply, sources, known_people(data))
    except Exception as exc:  # noqa: BLE001 - any failure of the model means "offline draft"
        return offline.model_copy(update={"fallback_reason": f"{type(exc).__name__}: {exc}"[:500]})
    if not any(written.values()):
        return offline.model_copy(update={"fallback_reason": "no sentence with a valid source id"})
    return _with_discussion(offline, written)
