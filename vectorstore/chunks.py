"""What the hybrid index takes and gives back: a chunk to index, with the text each of its
sentence vectors is made from, and a hit."""

from __future__ import annotations

from dataclasses import dataclass

from vectorstore.tokens import split_sentences

# Context words in front of each sentence vector's text. Dev set, fused (BM25 weight 0.25)
# recall@1 / MRR@10 / indexing paragraphs/s in one run: none 0.906 / 0.947 / 38.1; the chunk's
# first 3 words 0.918 / 0.954 / 37.6; 4 words 0.922 / 0.956 / 34.8; 6 words 0.918 / 0.955 /
# 31.3 (dense alone, none 0.827 -> 6 words 0.860). A heading, where the chunk has one, is the
# better context, up to HEADING_WORDS.
CONTEXT_WORDS = 4
HEADING_WORDS = 12
VECTOR_TEXT = f"sentence+context-{CONTEXT_WORDS}-{HEADING_WORDS}"


@dataclass(frozen=True)
class IndexChunk:
    """One chunk to index; `units` is the document's audience (the unit ids it addresses)."""

    chunk_id: str
    document_id: str
    text: str
    units: tuple[int, ...]
    article: str = ""
    headings: tuple[str, ...] = ()
    title: str = ""

    def sentence_inputs(self) -> list[tuple[str, str]]:
        """(sentence, text to embed) per sentence: each sentence carries its context, the
        nearest heading (an article's title) or, without one, the chunk's first words for the
        sentences after the first. A sentence alone often leaves its topic to the heading or
        to a subject named earlier ("Ông sinh năm…"); see CONTEXT_WORDS for the figures."""
        sentences = split_sentences(self.text)
        if self.headings:
            context, start = " ".join(self.headings[-1].split()[:HEADING_WORDS]), 0
        elif sentences and CONTEXT_WORDS:
            context, start = " ".join(sentences[0].split()[:CONTEXT_WORDS]), 1
        else:
            return [(s, s) for s in sentences]
        return [(s, f"{context} … {s}" if i >= start else s) for i, s in enumerate(sentences)]

    def lexical_text(self) -> str:
        # Title, headings and the article label are indexed with the body: a question that
        # names the regulation or the article ("điều 5", "miễn sinh hoạt") finds it lexically.
        parts = [self.title, *self.headings, self.article, self.text]
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    document_id: str
    article: str
    score: float
    lexical: float | None
    dense: float | None
    snippet: str
