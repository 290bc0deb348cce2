"""Hybrid retrieval: BM25 over chunks fused with dense best-sentence similarity (z-scores).

Dev-set measurements behind the design (recall@1 / recall@5 / MRR@10, 142 paragraphs):
  BM25 syllables+bigrams                       0.859 / 0.985 / 0.914
  dense, one vector per paragraph              0.826 / 0.967 / 0.889
  dense, paragraph scored by its best sentence 0.851 / 0.985 / 0.912
  RRF of BM25 and paragraph vectors            0.859 / 0.991 / 0.917
  z-score BM25 (0.5) + best sentence (1.0)     0.907 / 0.997 / 0.948
  ... + paragraph vectors (1.0)                0.911 / 0.996 / 0.951 at twice the embedding cost
  ... + best-sentence lexical share (0.5)      0.906 / 0.997 / 0.947 (e5-fast engine; 0.896
                                               / 0.996 / 0.942 without it)
  all-int8 e5-fast                             0.910 / 0.996 / 0.949
  ... each sentence embedded after its context 0.922 / 0.996 / 0.956 with BM25 at 0.25 (a grid
      (CONTEXT_WORDS), BM25 weight 0.25        of 0.25-0.75 for BM25 and sentence share): the
                                               stronger sentence vectors need less of BM25
Z-scores keep each retriever's spread: a clear BM25 winner stays ahead, where rank fusion would
flatten it. Each list is normalised over its own candidates, so the cost does not grow with the
collection, and a chunk missing from one list takes that list's lowest score.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vectorstore.chunks import VECTOR_TEXT, Hit, IndexChunk
from vectorstore.lexical import LexicalDoc, LexicalIndex
from vectorstore.rerank import Reranker, make_reranker
from vectorstore.store import ChromaStore, VectorRecord
from vectorstore.tokens import lexical_tokens, query_tokens, split_sentences

if TYPE_CHECKING:
    from vectorstore.config import VectorSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Weights:
    lexical: float = 0.25
    dense: float = 1.0
    sentence: float = 0.5


# Sentence token sets of recently scored chunks: splitting costs ~0.3 ms a sentence, and the
# same chunks come back for related questions.
_SENTENCE_CACHE_CHUNKS = 20_000


def _zscores(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    values = np.fromiter(scores.values(), dtype=np.float64)
    std = float(values.std())
    mean = float(values.mean())
    if std < 1e-9:
        return {key: 0.0 for key in scores}
    return {key: (value - mean) / std for key, value in scores.items()}


class HybridIndex:
    """Keeps the lexical index and the vector store in step, and answers fused queries."""

    def __init__(
        self,
        lexical: LexicalIndex,
        store: ChromaStore,
        embeddings: Any,
        *,
        weights: Weights | None = None,
        candidates: int = 50,
        reranker: Reranker | None = None,
        rerank_candidates: int = 20,
        rerank_weight: float = 1.0,
        chunking_version: int,
    ) -> None:
        self.lexical = lexical
        self.store = store
        self.embeddings = embeddings
        self.weights = weights or Weights()
        self.candidates = candidates
        self.reranker = reranker
        self.rerank_candidates = rerank_candidates
        self.rerank_weight = rerank_weight
        # The chunker's version is part of `model_id`: chunks cut another way are stale.
        self.chunking_version = chunking_version
        self._sentences: OrderedDict[str, list[frozenset[str]]] = OrderedDict()

    @classmethod
    def open(
        cls, index_dir: Path, settings: VectorSettings, *, chunking_version: int
    ) -> HybridIndex:
        """The index under `index_dir` (the app passes data_dir/"index"; the eval a tempdir);
        `chunking_version` is that of the chunker whose chunks it holds."""
        from vectorstore.embeddings import make_embeddings

        index_dir.mkdir(parents=True, exist_ok=True)
        vs = settings.vectorstore
        store = (
            ChromaStore(url=vs.url, collection=vs.collection)
            if vs.mode == "http"
            else ChromaStore(path=index_dir / "chroma", collection=vs.collection)
        )
        return cls(
            LexicalIndex(index_dir / "lexical.sqlite3"),
            store,
            make_embeddings(settings.embeddings, index_dir / "vectors.sqlite3"),
            weights=Weights(
                settings.retrieval.weight_lexical,
                settings.retrieval.weight_dense,
                settings.retrieval.weight_sentence,
            ),
            candidates=settings.retrieval.candidates,
            reranker=make_reranker(settings.retrieval),
            rerank_candidates=settings.retrieval.rerank_candidates,
            rerank_weight=settings.retrieval.rerank_weight,
            chunking_version=chunking_version,
        )

    @property
    def model_id(self) -> str:
        """The embedding model every vector of this index must come from, the way sentence
        texts are put to it and the chunker that cut them (a change of any makes old vectors
        incomparable, and `sotay index verify` asks for a rebuild)."""
        model = str(getattr(self.embeddings, "model_id", type(self.embeddings).__name__))
        return f"{model};{VECTOR_TEXT};chunks-{self.chunking_version}"

    def reload(self) -> None:
        """Re-read what another process wrote. The lexical postings are swapped, not reloaded
        in place, so a search under way in another thread keeps the ones it started with; the
        embedding model is kept (loading it is the slow part)."""
        lexical = LexicalIndex(self.lexical.path)
        self.store.refresh()
        self.lexical = lexical

    def stale_documents(self) -> dict[str, set[str]]:
        """Documents whose vectors came from another embedding model than the configured one,
        with those models: their similarities would not be comparable (re-index them)."""
        current = self.model_id
        return {
            doc: models - {current}
            for doc, models in self.lexical.vector_models().items()
            if models - {current}
        }

    # -- writes -------------------------------------------------------------------------------

    def index_documents(
        self,
        chunks: Sequence[IndexChunk],
        progress: Callable[[int, int], None] | None = None,
        batch_chunks: int = 256,
    ) -> int:
        """(Re-)index whole documents (all chunks of a document must be in `chunks`): a batch
        is embedded before anything is written, so a failed embedding leaves the previous
        version indexed, and a failed write removes the batch's documents: a document is never
        half-indexed."""
        by_doc: dict[str, list[IndexChunk]] = {}
        for c in chunks:
            by_doc.setdefault(c.document_id, []).append(c)
        done = 0
        batch: list[IndexChunk] = []
        for doc_chunks in by_doc.values():
            batch.extend(doc_chunks)
            if len(batch) >= batch_chunks:
                done += self._write(batch)
                batch = []
                if progress:
                    progress(done, len(chunks))
        if batch:
            done += self._write(batch)
            if progress:
                progress(done, len(chunks))
        return done

    def _write(self, chunks: list[IndexChunk]) -> int:
        sentences: list[tuple[IndexChunk, int, str]] = []
        inputs: list[str] = []
        for c in chunks:
            for ordinal, (sentence, text) in enumerate(c.sentence_inputs()):
                sentences.append((c, ordinal, sentence))
                inputs.append(text)
        vectors = self.embeddings.embed_passages(inputs)
        documents = {c.document_id for c in chunks}
        self._remove_documents(documents)
        self.lexical.add(
            LexicalDoc(
                c.chunk_id, c.document_id, c.lexical_text(), c.units, c.article, self.model_id
            )
            for c in chunks
        )
        try:
            self.store.add(
                [
                    VectorRecord(c.chunk_id, o, c.document_id, c.article, c.units, s, v)
                    for (c, o, s), v in zip(sentences, vectors, strict=True)
                ]
            )
        except BaseException:
            self._remove_documents(documents)
            raise
        return len(chunks)

    def remove_document(self, document_id: str) -> None:
        self._remove_documents({document_id})

    def _remove_documents(self, document_ids: set[str]) -> None:
        for document_id in document_ids:
            for chunk_id in self.lexical.chunk_ids(document_id):
                self._sentences.pop(chunk_id, None)
            self.lexical.remove_document(document_id)
        self.store.remove_documents(list(document_ids))

    # -- reads --------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 10,
        allowed_unit_ids: Iterable[int] | None = None,
        *,
        mode: str = "hybrid",
        snippets: bool = True,
        query_vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """Top-k chunks for `query` among those addressed to an allowed unit (None: no filter).
        `mode` is "hybrid", "lexical" or "dense" (the last two for benchmarks); the snippet is
        the chunk's best-matching sentence. `query_vector` is the query's embedding when the
        caller has made it already (the answer step reuses it: one embedding per question)."""
        allowed = None if allowed_unit_ids is None else {int(u) for u in allowed_unit_ids}
        n = max(self.candidates, k)
        lexical: dict[str, float] = {}
        dense: dict[str, float] = {}
        if mode in ("hybrid", "lexical"):
            for chunk_id, score in self.lexical.search(query, n, allowed):
                lexical[chunk_id] = score
        best_sentence: dict[str, str] = {}
        if mode in ("hybrid", "dense"):
            vector = (
                self.embeddings.embed_query_array(query) if query_vector is None else query_vector
            )
            # Several sentences per chunk: ask for more sentences than chunks wanted.
            for hit in self.store.query(vector, n * 2, allowed, units_of=self.lexical.units):
                if hit.similarity > dense.get(hit.chunk_id, -2.0):
                    dense[hit.chunk_id] = hit.similarity
                    best_sentence[hit.chunk_id] = hit.record_id
        zl, zd = _zscores(lexical), _zscores(dense)
        zs = _zscores(self._sentence_scores(query, set(zl) | set(zd))) if mode == "hybrid" else {}
        floor_l = min(zl.values(), default=0.0)
        floor_d = min(zd.values(), default=0.0)
        floor_s = min(zs.values(), default=0.0)
        w = self.weights
        fused = {
            c: w.lexical * zl.get(c, floor_l)
            + w.dense * zd.get(c, floor_d)
            + w.sentence * zs.get(c, floor_s)
            for c in set(zl) | set(zd)
        }
        ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
        if self.reranker is not None and mode == "hybrid":
            ranked = self._rerank(query, ranked, allowed)
        hits: list[Hit] = []
        for chunk_id, score in ranked:
            meta = self.lexical.info(chunk_id)
            if meta is None:
                continue  # removed between the two lookups
            document_id, article, units = meta
            # Defence in depth: both retrievers filter already; never let a stray one through.
            if allowed is not None and not allowed.intersection(units):
                log.error("retrieval returned chunk %s outside the allowed units", chunk_id)
                continue
            hits.append(
                Hit(
                    chunk_id=chunk_id,
                    document_id=document_id,
                    article=article,
                    score=score,
                    lexical=lexical.get(chunk_id),
                    dense=dense.get(chunk_id),
                    snippet="",
                )
            )
            if len(hits) == k:
                break
        if snippets and hits:
            texts = self.store.texts(
                [best_sentence[h.chunk_id] for h in hits if h.chunk_id in best_sentence]
            )
            hits = [
                replace(h, snippet=texts.get(best_sentence.get(h.chunk_id, ""), "")) for h in hits
            ]
        return hits

    def _rerank(
        self, query: str, ranked: list[tuple[str, float]], allowed: set[int] | None
    ) -> list[tuple[str, float]]:
        """Blend the reranker's z-scored view into the first `rerank_candidates` results; the
        rest keep their order below them. Only chunks the asker may see are shown to it."""
        assert self.reranker is not None
        head: list[tuple[str, float]] = []
        for chunk_id, score in ranked:
            units = self.lexical.units(chunk_id)
            if units is None or (allowed is not None and not allowed.intersection(units)):
                continue
            head.append((chunk_id, score))
            if len(head) == self.rerank_candidates:
                break
        if len(head) < 2:
            return ranked
        texts = [self.lexical.text(c) or "" for c, _ in head]
        raw = self.reranker.scores(query, texts)
        z = _zscores({c: float(v) for (c, _), v in zip(head, raw, strict=True)})
        # The fused scores are sums of z-scores already; re-normalise them over the same head
        # so that the weight means the same whatever the number of signals.
        zf = _zscores(dict(head))
        blended = sorted(
            ((c, zf[c] + self.rerank_weight * z[c]) for c, _ in head),
            key=lambda kv: (-kv[1], kv[0]),
        )
        floor = blended[-1][1]
        seen = {c for c, _ in head}
        # Those below the head stay below it, in their order.
        tail = [
            (c, floor - 1.0 - i) for i, (c, _) in enumerate(r for r in ranked if r[0] not in seen)
        ]
        return blended + tail

    def _sentence_scores(self, query: str, chunk_ids: set[str]) -> dict[str, float]:
        """Per chunk, the share of the question's IDF weight found in one single sentence.

        The answer to a question usually sits in one sentence that repeats its words, while a
        sibling paragraph of the same article shares the words spread over several sentences;
        BM25 over the whole chunk cannot tell them apart (dev set: recall@1 0.896 -> 0.906)."""
        if not self.weights.sentence or not chunk_ids:
            return {}
        weights = {t: self.lexical.idf(t) for t in set(query_tokens(query))}
        total = sum(weights.values())
        if total <= 0:
            return {}
        scores: dict[str, float] = {}
        for chunk_id in chunk_ids:
            best = 0.0
            for tokens in self._chunk_sentences(chunk_id):
                best = max(best, sum(v for t, v in weights.items() if t in tokens))
            scores[chunk_id] = best / total
        return scores

    def _chunk_sentences(self, chunk_id: str) -> list[frozenset[str]]:
        cached = self._sentences.get(chunk_id)
        if cached is not None:
            self._sentences.move_to_end(chunk_id)
            return cached
        text = self.lexical.text(chunk_id) or ""
        cached = [frozenset(lexical_tokens(s)) for s in split_sentences(text)]
        self._sentences[chunk_id] = cached
        if len(self._sentences) > _SENTENCE_CACHE_CHUNKS:
            self._sentences.popitem(last=False)
        return cached

    def counts(self) -> tuple[int, int]:
        """(chunks in the lexical index, sentence vectors in the store)."""
        return len(self.lexical), self.store.count()

    def close(self) -> None:
        self.lexical.close()
        self.store.close()
        closer = getattr(self.embeddings, "close", None)
        if closer is not None:
            closer()
