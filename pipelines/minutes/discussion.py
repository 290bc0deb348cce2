"""The discussion of each agenda item: comments, note lines and transcript sentences cut into
condensed candidates with their sources, assigned to items and picked for the minutes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from pipelines.minutes.assign import (
    Embedder,
    Matrix,
    best_items,
    follow_agenda,
    mmr,
    similarities,
)
from pipelines.minutes.models import (
    CommentSource,
    MinutesInput,
    NoteSource,
    Part,
    Sentence,
    Source,
    TranscriptSource,
)
from pipelines.minutes.vi import condense, fold, split_sentences, states_figure

MAX_PER_ITEM = 6  # notes and transcript sentences kept per agenda item, besides comments
MAX_COMMENT_SENTENCES = 3
_NOTE_SPEAKER = re.compile(r"^\s*(?:đ/c|đc|đồng chí)\s+([^:]{2,40}?)\s*:\s*", re.IGNORECASE)
_NOTE_TAG = re.compile(r"^\s*\[\s*(?:nội dung|mục|nd)?\s*(\d{1,2})\s*\]\s*", re.IGNORECASE)
_ORIGIN_ORDER = {"comment": 0, "note": 1, "transcript": 2}
# The chair concluding an item aloud or in the notes: used when the record has no conclusion.
_CONCLUDES = re.compile(
    r"\bkết luận\b|^(?:đề nghị\s+)?chi bộ (?:thống nhất|nhất trí)", re.IGNORECASE
)
_CONCLUSION_LEAD = re.compile(
    r"^(?:tôi\s+)?(?:xin\s+)?kết luận(?:\s+như sau)?\s*[:,]?\s*", re.IGNORECASE
)
MAX_CONCLUSIONS = 2


@dataclass
class Candidate:
    """One condensed statement that may go into an item's discussion."""

    origin: str  # "comment", "note", "transcript"
    position: int  # its order within its origin
    text: str  # condensed, without attribution
    source: Source
    speaker: str = ""  # a name the minutes may attribute it to
    tagged_item: int | None = None  # the agenda item the record or the notes name
    item: int = 0  # index into the agenda, once assigned
    relevance: float = 0.0
    part: Part = "discussion"  # "conclusion": the chair's, when the record has none

    @property
    def order(self) -> tuple[int, int]:
        return _ORIGIN_ORDER[self.origin], self.position

    def sentence(self) -> Sentence:
        if self.part == "conclusion":
            body = _CONCLUSION_LEAD.sub("", self.text)
            body = body[0].lower() + body[1:] if len(body) > 1 and body[1].islower() else body
            text = f"Đồng chí {self.speaker} kết luận: {body}"
        else:
            text = attributed(self.speaker, self.origin, self.text)
        return Sentence(text=text, sources=[self.source], part=self.part)


def attributed(speaker: str, origin: str, text: str) -> str:
    """ "Đồng chí X phát biểu: …" when the speaker is known."""
    body = text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text
    if speaker:
        return f"Đồng chí {speaker} phát biểu: {body}"
    if origin == "transcript":
        return f"Có ý kiến: {body}"
    return text


def _keep(sentence: str) -> str | None:
    short = condense(sentence)
    return None if short is None or states_figure(short) else short


def known_people(data: MinutesInput) -> dict[str, str]:
    """Folded name -> name, for everyone the record names (members, guests, chair, secretary)."""
    r = data.record
    names = [a.name for a in r.attendance] + [g.name for g in r.guests] + [r.chair, r.secretary]
    return {fold(n).strip(): n for n in names if n.strip()}


def _full_name(short: str, people: dict[str, str]) -> str:
    """ "Cường" in a note -> "Lê Văn Cường" when exactly one person's name ends with it."""
    key = fold(short)
    if key in people:
        return people[key]
    found = [n for k, n in people.items() if k.endswith(" " + key)]
    return found[0] if len(found) == 1 else short


def collect(data: MinutesInput) -> list[Candidate]:
    """Every condensed statement, in a fixed order: comments, note lines, transcript."""
    items = {a.id for a in data.record.agenda}
    people = known_people(data)
    out: list[Candidate] = []
    for pos, c in enumerate(data.record.comments):
        kept = [s for s in map(_keep, split_sentences(c.text)) if s]
        if kept:
            out.append(
                Candidate(
                    "comment",
                    pos,
                    " ".join(kept[:MAX_COMMENT_SENTENCES]),
                    CommentSource(comment_id=c.id),
                    speaker=c.author,
                    tagged_item=c.agenda_item_id if c.agenda_item_id in items else None,
                )
            )
    pos = 0
    for line_no, note in enumerate(data.notes, start=1):
        text, speaker = note.text, ""
        tag = note.agenda_item_id if note.agenda_item_id in items else None
        m = _NOTE_TAG.match(text)
        if m:
            # "[2] …" or "[Nội dung 2] …" typed in the notes: the agenda's second item.
            text = text[m.end() :]
            if tag is None and 1 <= int(m.group(1)) <= len(data.record.agenda):
                tag = data.record.agenda[int(m.group(1)) - 1].id
        m = _NOTE_SPEAKER.match(text)
        if m:
            speaker, text = _full_name(m.group(1).strip(), people), text[m.end() :]
        for s in split_sentences(text):
            short = _keep(s)
            if short:
                out.append(
                    Candidate(
                        "note",
                        pos,
                        short,
                        NoteSource(line=line_no),
                        speaker=speaker,
                        tagged_item=tag,
                    )
                )
                pos += 1
    out.extend(_transcript(data, people))
    return out


def _transcript(data: MinutesInput, people: dict[str, str]) -> list[Candidate]:
    """Sentences of each speaker's turn (consecutive segments of one speaker), each with the
    time range and segment indices it spans."""
    segs = sorted(data.transcript, key=lambda s: (s.start, s.index))
    out: list[Candidate] = []
    i = 0
    while i < len(segs):
        j = i
        while j + 1 < len(segs) and segs[j + 1].speaker == segs[i].speaker:
            j += 1
        turn = segs[i : j + 1]
        text, spans = "", []
        for seg in turn:
            piece = seg.text.strip()
            start = len(text) + (1 if text else 0)
            text = f"{text} {piece}" if text else piece
            spans.append((start, len(text), seg))
        speaker = people.get(fold(segs[i].speaker).strip(), "")
        for m in re.finditer(r"[^.!?…]+[.!?…]*", text):
            kept = _keep(m.group())
            if not kept:
                continue
            covered = [seg for a, b, seg in spans if a < m.end() and b > m.start()]
            src = TranscriptSource(
                start=covered[0].start,
                end=covered[-1].end,
                first_segment=covered[0].index,
                last_segment=covered[-1].index,
            )
            out.append(Candidate("transcript", len(out), kept, src, speaker=speaker))
        i = j + 1
    return out


def item_text(data: MinutesInput, index: int) -> str:
    """What an agenda item is about: its title, documents, conclusion, resolutions, votes."""
    r = data.record
    item = r.agenda[index]
    parts = [item.title, *(f"{d.title} {d.symbol}" for d in item.documents), item.conclusion]
    parts += [x.text for x in r.resolutions if x.agenda_item_id == item.id]
    parts += [v.question for v in r.votes if v.agenda_item_id == item.id]
    return ". ".join(p for p in parts if p)


def assign(data: MinutesInput, candidates: list[Candidate], embedder: Embedder | None) -> Matrix:
    """Set each candidate's item and relevance (explicit tags first, else the most similar
    item); returns the candidates' vectors for MMR."""
    agenda = data.record.agenda
    if not agenda or not candidates:
        return np.zeros((len(candidates), 1), np.float32)
    sim = similarities(
        [item_text(data, i) for i in range(len(agenda))], [c.text for c in candidates], embedder
    )
    best = best_items(sim.fit)
    spoken = [k for k, c in enumerate(candidates) if c.origin == "transcript"]
    for k, item in zip(spoken, follow_agenda(sim.fit[spoken]), strict=True):
        best[k] = item
    index_of = {a.id: i for i, a in enumerate(agenda)}
    for k, (c, item) in enumerate(zip(candidates, best, strict=True)):
        if c.tagged_item is not None:
            c.item = index_of[c.tagged_item]
            c.relevance = 1.0 + float(sim.cosine[k, c.item])  # tagged lines go first
        else:
            c.item = item
            c.relevance = float(sim.cosine[k, item])
    return sim.vectors


def select(
    data: MinutesInput, embedder: Embedder | None, max_per_item: int = MAX_PER_ITEM
) -> dict[int, list[Candidate]]:
    """Agenda item id -> the statements its minutes keep, in source order: every comment,
    then up to `max_per_item` notes and transcript sentences by MMR; and, for an item whose
    record has no conclusion, the chair's last concluding statements (part "conclusion")."""
    candidates = unique(collect(data))
    vectors = assign(data, candidates, embedder)
    chair = fold(data.record.chair).strip()
    out: dict[int, list[Candidate]] = {}
    for index, item in enumerate(data.record.agenda):
        mine = [k for k, c in enumerate(candidates) if c.item == index]
        concluding = [
            k
            for k in mine
            if not item.conclusion.strip()
            and candidates[k].origin != "comment"
            and fold(candidates[k].speaker).strip() == chair
            and _CONCLUDES.search(candidates[k].text)
        ][-MAX_CONCLUSIONS:]
        for k in concluding:
            candidates[k].part = "conclusion"
        mine = [k for k in mine if k not in concluding]
        fixed = [k for k in mine if candidates[k].origin == "comment"]
        local = fixed + [k for k in mine if candidates[k].origin != "comment"]
        more = mmr(
            [candidates[k].relevance for k in local],
            vectors[local],
            max_per_item,
            chosen=range(len(fixed)),
        )
        picked = fixed + [local[i] for i in more] + concluding
        out[item.id] = sorted((candidates[k] for k in picked), key=lambda c: c.order)
    return out


def unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for c in candidates:
        key = fold(c.text)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
