"""BM25 over Vietnamese syllables and bigrams, persisted in SQLite, added to and removed from
by document id.

The table is the state of record (one row per chunk with its token counts, so a restart
rebuilds the postings without re-reading documents); postings live in memory as numpy arrays so
a query scores only the chunks that share a term with it. One process writes (the indexing
job queue); a reader process calls `reload()` to pick up changes.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vectorstore.tokens import TOKENIZER_VERSION, lexical_tokens, query_tokens

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    units TEXT NOT NULL,
    text TEXT NOT NULL,
    terms TEXT NOT NULL,
    article TEXT NOT NULL DEFAULT '',
    vectors TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks (document_id);
"""


@dataclass(frozen=True)
class LexicalDoc:
    chunk_id: str
    document_id: str
    text: str
    units: tuple[int, ...]
    article: str = ""
    # The embedding model of the chunk's sentence vectors: after a model change, verify names
    # the documents still embedded by the old one (their vectors are not comparable).
    vectors: str = ""


class LexicalIndex:
    """BM25 (k1=1.2, b=0.75: the classic values scored best among those tried on the dev set)."""

    def __init__(self, path: Path, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.path = path
        self.k1 = k1
        self.b = b
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(chunks)")}
        if "vectors" not in columns:  # an index written before the column existed
            self._db.execute("ALTER TABLE chunks ADD COLUMN vectors TEXT NOT NULL DEFAULT ''")
        self.reload()

    # -- memory -------------------------------------------------------------------------------

    def _reset(self) -> None:
        self._slot: dict[str, int] = {}
        self._ids: list[str] = []
        self._docs: list[str] = []
        self._units: list[tuple[int, ...]] = []
        self._articles: list[str] = []
        self._length = np.zeros(0, dtype=np.float32)
        self._alive = np.zeros(0, dtype=bool)
        self._postings: dict[str, list[tuple[int, int]]] = {}
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._unit_slots: dict[int, list[int]] = {}
        self._doc_slots: dict[str, list[int]] = {}

    def reload(self) -> None:
        """Rebuild the in-memory postings from the table (start-up, or another writer's work)."""
        self._reset()
        row = self._db.execute("SELECT value FROM meta WHERE key = 'tokenizer'").fetchone()
        retokenise = row is None or row[0] != TOKENIZER_VERSION
        rows = self._db.execute(
            "SELECT chunk_id, document_id, units, text, terms, article FROM chunks ORDER BY rowid"
        ).fetchall()
        if retokenise and rows:
            # The token scheme changed since these rows were written: recount from the text.
            rows = [
                (c, d, u, t, json.dumps(Counter(lexical_tokens(t)), ensure_ascii=False), a)
                for c, d, u, t, _, a in rows
            ]
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "UPDATE chunks SET terms = ? WHERE chunk_id = ?", [(r[4], r[0]) for r in rows]
            )
            self._db.execute("COMMIT")
        if retokenise:
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('tokenizer', ?)", (TOKENIZER_VERSION,)
            )
        for chunk_id, document_id, units, _text, terms, article in rows:
            self._remember(
                chunk_id, document_id, tuple(json.loads(units)), json.loads(terms), article
            )

    def _remember(
        self,
        chunk_id: str,
        document_id: str,
        units: tuple[int, ...],
        terms: dict[str, int],
        article: str,
    ) -> None:
        slot = len(self._ids)
        self._slot[chunk_id] = slot
        self._ids.append(chunk_id)
        self._docs.append(document_id)
        self._units.append(units)
        self._articles.append(article)
        if slot >= len(self._length):
            grow = max(1024, len(self._length))
            self._length = np.concatenate([self._length, np.zeros(grow, dtype=np.float32)])
            self._alive = np.concatenate([self._alive, np.zeros(grow, dtype=bool)])
        self._length[slot] = sum(terms.values())
        self._alive[slot] = True
        for term, tf in terms.items():
            self._postings.setdefault(term, []).append((slot, tf))
            self._arrays.pop(term, None)
        for unit in units:
            self._unit_slots.setdefault(unit, []).append(slot)
        self._doc_slots.setdefault(document_id, []).append(slot)

    def _forget_document(self, document_id: str) -> None:
        # Tombstones: postings keep the dead slot and every query masks it out. Compaction
        # happens on the next reload, which the writer triggers once a quarter is dead.
        for slot in self._doc_slots.pop(document_id, []):
            self._alive[slot] = False
            self._slot.pop(self._ids[slot], None)
        dead = len(self._ids) - int(self._alive[: len(self._ids)].sum())
        if self._ids and dead > len(self._ids) // 4:
            self.reload()

    # -- writes -------------------------------------------------------------------------------

    def add(self, docs: Iterable[LexicalDoc]) -> int:
        """Add (or replace) chunks; all rows of one call commit together."""
        prepared: list[tuple[LexicalDoc, dict[str, int]]] = []
        for d in docs:
            if not d.units:
                raise ValueError(f"chunk {d.chunk_id} has no audience unit")
            prepared.append((d, dict(Counter(lexical_tokens(d.text)))))
        if not prepared:
            return 0
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for d, counts in prepared:
                self._db.execute(
                    "INSERT OR REPLACE INTO chunks"
                    " (chunk_id, document_id, units, text, terms, article, vectors)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        d.chunk_id,
                        d.document_id,
                        json.dumps(list(d.units)),
                        d.text,
                        json.dumps(counts, ensure_ascii=False),
                        d.article,
                        d.vectors,
                    ),
                )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        for d, counts in prepared:
            old = self._slot.get(d.chunk_id)
            if old is not None:
                self._alive[old] = False
                self._doc_slots[self._docs[old]].remove(old)
            self._remember(d.chunk_id, d.document_id, d.units, counts, d.article)
        return len(prepared)

    def remove_document(self, document_id: str) -> int:
        """Drop every chunk of a document (withdrawn, or about to be re-indexed)."""
        self._db.execute("BEGIN IMMEDIATE")
        cur = self._db.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))
        self._db.execute("COMMIT")
        self._forget_document(document_id)
        return cur.rowcount

    # -- reads --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self._alive[: len(self._ids)].sum())

    def document_ids(self) -> set[str]:
        return {d for d, slots in self._doc_slots.items() if slots}

    def vector_models(self) -> dict[str, set[str]]:
        """Per document, the embedding models its chunks' vectors were made with."""
        out: dict[str, set[str]] = {}
        for document_id, model in self._db.execute(
            "SELECT DISTINCT document_id, vectors FROM chunks"
        ):
            out.setdefault(str(document_id), set()).add(str(model))
        return out

    def chunk_count(self, document_id: str) -> int:
        return len(self._doc_slots.get(document_id, []))

    def _array(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        cached = self._arrays.get(term)
        if cached is None:
            plist = self._postings.get(term)
            if not plist:
                return None
            data = np.asarray(plist, dtype=np.int64)
            cached = (data[:, 0], data[:, 1].astype(np.float32))
            self._arrays[term] = cached
        return cached

    def allowed_mask(self, allowed_unit_ids: Iterable[int] | None) -> np.ndarray:
        n = len(self._ids)
        alive = self._alive[:n]
        if allowed_unit_ids is None:
            return alive.copy()
        mask = np.zeros(n, dtype=bool)
        for unit in allowed_unit_ids:
            slots = self._unit_slots.get(unit)
            if slots:
                mask[slots] = True
        return mask & alive

    def search(
        self, query: str, k: int = 10, allowed_unit_ids: Sequence[int] | set[int] | None = None
    ) -> list[tuple[str, float]]:
        """Top-k (chunk id, BM25 score), only among chunks addressed to an allowed unit."""
        n = len(self._ids)
        if n == 0 or k <= 0:
            return []
        alive = self._alive[:n]
        live = int(alive.sum())
        if live == 0:
            return []
        avgdl = float(self._length[:n][alive].mean()) or 1.0
        scores = np.zeros(n, dtype=np.float32)
        for term in set(query_tokens(query)):
            arrays = self._array(term)
            if arrays is None:
                continue
            slots, tf = arrays
            keep = alive[slots]
            slots, tf = slots[keep], tf[keep]
            df = len(slots)
            if df == 0:
                continue
            idf = math.log(1.0 + (live - df + 0.5) / (df + 0.5))
            norm = self.k1 * (1.0 - self.b + self.b * self._length[slots] / avgdl)
            scores[slots] += idf * tf * (self.k1 + 1.0) / (tf + norm)
        scores[~self.allowed_mask(allowed_unit_ids)] = 0.0
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        hits = hits[np.argsort(-scores[hits], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in hits]

    def chunk_ids(self, document_id: str) -> list[str]:
        return [self._ids[slot] for slot in self._doc_slots.get(document_id, [])]

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency of `term` over the live chunks (0 when unseen)."""
        arrays = self._array(term)
        if arrays is None:
            return 0.0
        alive = self._alive[: len(self._ids)]
        df = int(alive[arrays[0]].sum())
        if df == 0:
            return 0.0
        live = int(alive.sum())
        return math.log(1.0 + (live - df + 0.5) / (df + 0.5))

    def text(self, chunk_id: str) -> str | None:
        row = self._db.execute("SELECT text FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone()
        return None if row is None else str(row[0])

    def units(self, chunk_id: str) -> tuple[int, ...] | None:
        slot = self._slot.get(chunk_id)
        return None if slot is None else self._units[slot]

    def info(self, chunk_id: str) -> tuple[str, str, tuple[int, ...]] | None:
        """(document id, article, audience units) of a live chunk."""
        slot = self._slot.get(chunk_id)
        if slot is None:
            return None
        return self._docs[slot], self._articles[slot], self._units[slot]

    def close(self) -> None:
        self._db.close()
