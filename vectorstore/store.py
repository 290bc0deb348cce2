"""Sentence vectors in chromadb, with the audience filter applied inside the query.

One process writes: several PersistentClient writers on one path corrupt the index (upstream
chroma issues), so indexing goes through the single indexing job queue and the web processes
only read. Each record is one sentence of a chunk; its metadata names the chunk, the document,
the article label and the audience (`units`, the unit ids the document is addressed to).

Permission filter: chroma's filtered queries cost 20-90x unfiltered ones at 100k vectors
(RECIPES), and a list field needs one `$contains` clause per allowed unit. So `query` first asks
unfiltered for a few times k and drops records outside the allowed units (exact for what it
keeps: every kept record is checked); only when too few survive does it fall back to the
filtered query, which is then the only correct way to find the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import numpy as np

Strategy = Literal["auto", "post", "where"]
_BATCH = 2000


@dataclass(frozen=True)
class VectorRecord:
    chunk_id: str
    ordinal: int
    document_id: str
    article: str
    units: tuple[int, ...]
    text: str
    vector: np.ndarray

    @property
    def record_id(self) -> str:
        return f"{self.chunk_id}:{self.ordinal}"


@dataclass(frozen=True)
class VectorHit:
    record_id: str
    chunk_id: str
    units: tuple[int, ...]
    similarity: float


UnitsOf = Callable[[str], "tuple[int, ...] | None"]


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


class ChromaStore:
    """A chroma collection of sentence vectors (cosine), embedded or on a Chroma server."""

    def __init__(
        self,
        *,
        path: Path | None = None,
        url: str = "",
        collection: str = "sotay_sentences",
        overfetch: int = 3,
    ) -> None:
        import chromadb

        self._system: Any = None  # embedded only: the chroma System this store reads through
        if url:
            parsed = urlparse(url)
            self._client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=_chroma_settings(),
            )
        elif path is not None:
            path.mkdir(parents=True, exist_ok=True)
            self._client, self._system = _open_embedded(path)
        else:
            raise ValueError("ChromaStore needs a path (embedded) or a url (server)")
        # Our own vectors always: chroma's default embedder would download a model.
        self._col = self._client.get_or_create_collection(
            collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        self.overfetch = overfetch
        self._name = collection
        self._path = path
        self._retired: Any = None  # the chroma System replaced by the last refresh()
        self._count = self._col.count()

    def refresh(self) -> None:
        """See what another process wrote since this store was opened (readers call this when
        the index generation moved on).

        An embedded client keeps the vector segment it loaded: after another process's writes,
        chromadb 1.5.9 shows them to count() and get() but not to query(), not even through a
        new get_collection() (tests/knowledge/test_cross_process.py). So a new client, with a
        System of its own, loads the segment from disk. The replaced System is stopped one
        refresh later, not at once, so that a query under way on it can finish; left to the
        garbage collector, each one kept about a megabyte (measured).
        """
        if self._path is None:  # a Chroma server answers from its own current state
            self._col = self._client.get_collection(self._name, embedding_function=None)
            self._count = self._col.count()
            return
        client, system = _open_embedded(self._path)
        col = client.get_or_create_collection(
            self._name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        count = col.count()
        replaced = self._system
        # One assignment each: a concurrent query sees the old collection or the new one.
        self._client, self._system, self._col, self._count = client, system, col, count
        if self._retired is not None:
            self._retired.stop()
        self._retired = replaced

    def close(self) -> None:
        """Stop this store's chroma Systems (embedded); the store is unusable afterwards."""
        if self._path is None or self._system is None:  # a server, or closed already
            return
        from chromadb.api.shared_system_client import SharedSystemClient as Shared

        key = str(self._path)
        with Shared._refcount_lock:
            if Shared._identifier_to_system.get(key) is self._system:
                del Shared._identifier_to_system[key]
                Shared._identifier_to_refcount.pop(key, None)
        for system in (self._retired, self._system):
            if system is not None:
                system.stop()
        self._retired = self._system = None

    # -- writes -------------------------------------------------------------------------------

    def add(self, records: Sequence[VectorRecord]) -> int:
        for start in range(0, len(records), _BATCH):
            part = records[start : start + _BATCH]
            for r in part:
                if not r.units:
                    raise ValueError(f"chunk {r.chunk_id} has no audience unit")
            self._col.upsert(
                ids=[r.record_id for r in part],
                embeddings=np.stack([r.vector for r in part]).astype(np.float32),
                documents=[r.text for r in part],
                metadatas=[
                    {
                        "chunk_id": r.chunk_id,
                        "document_id": r.document_id,
                        "article": r.article,
                        "units": [int(u) for u in r.units],
                    }
                    for r in part
                ],
            )
        self._count = self._col.count()
        return len(records)

    def remove_document(self, document_id: str) -> None:
        self.remove_documents([document_id])

    def remove_documents(self, document_ids: Sequence[str]) -> None:
        """One delete for many documents: a batch re-index clears its documents at once."""
        ids = sorted(set(document_ids))
        if not ids:
            return
        where: dict[str, Any] = (
            {"document_id": ids[0]} if len(ids) == 1 else {"document_id": {"$in": ids}}
        )
        self._col.delete(where=where)
        self._count = self._col.count()

    # -- reads --------------------------------------------------------------------------------

    def count(self) -> int:
        return self._count

    def count_document(self, document_id: str) -> int:
        return len(self._col.get(where={"document_id": document_id}, include=[])["ids"])

    def document_ids(self) -> set[str]:
        got = self._col.get(include=["metadatas"])
        return {str(m["document_id"]) for m in got["metadatas"] or []}

    def query(
        self,
        vector: np.ndarray,
        k: int,
        allowed_unit_ids: Iterable[int] | None = None,
        *,
        strategy: Strategy = "auto",
        units_of: UnitsOf | None = None,
    ) -> list[VectorHit]:
        """The k sentences nearest to `vector` among those addressed to an allowed unit.

        `units_of` maps a chunk id to its audience from memory (the lexical index holds it):
        chroma then returns distances only, which costs a tenth of fetching metadata (0.7 ms
        against 7 ms for 200 results, measured here)."""
        if k <= 0 or self._count == 0:
            return []
        if allowed_unit_ids is None:
            return self._query(vector, k, None, units_of)[:k]
        allowed = {int(u) for u in allowed_unit_ids}
        if not allowed:
            return []
        if strategy != "where":
            wide = min(self._count, max(k * self.overfetch, 64))
            kept = [
                h
                for h in self._query(vector, wide, None, units_of)
                if allowed.intersection(h.units)
            ]
            # Enough survivors, or the wide query already saw every record: the answer is exact.
            if len(kept) >= k or wide >= self._count or strategy == "post":
                return kept[:k]
        # The filtered query reads the audience from chroma's own metadata, never from memory.
        hits = self._query(vector, k, _where(allowed), None)
        return [h for h in hits if allowed.intersection(h.units)]

    def _query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None, units_of: UnitsOf | None
    ) -> list[VectorHit]:
        res = self._col.query(
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=min(n, self._count),
            where=where,
            include=["distances"] if units_of else ["metadatas", "distances"],
        )
        ids = res["ids"][0]
        dists = (res["distances"] or [[]])[0]
        hits: list[VectorHit] = []
        if units_of is not None:
            for rid, dist in zip(ids, dists, strict=True):
                chunk_id = rid.rsplit(":", 1)[0]
                units = units_of(chunk_id)
                if units is not None:  # None: removed from the index since
                    hits.append(VectorHit(rid, chunk_id, units, 1.0 - float(dist)))
            return hits
        metas = (res["metadatas"] or [[]])[0]
        for rid, meta, dist in zip(ids, metas, dists, strict=True):
            raw = meta["units"]
            units = tuple(int(u) for u in raw) if isinstance(raw, list) else (int(str(raw)),)
            hits.append(VectorHit(rid, str(meta["chunk_id"]), units, 1.0 - float(dist)))
        return hits

    def texts(self, record_ids: Sequence[str]) -> dict[str, str]:
        """Sentence texts for snippets, fetched only for the hits that are shown."""
        if not record_ids:
            return {}
        got = self._col.get(ids=list(record_ids), include=["documents"])
        return {rid: doc or "" for rid, doc in zip(got["ids"], got["documents"] or [], strict=True)}


def _open_embedded(path: Path) -> tuple[Any, Any]:
    """A PersistentClient on `path` with a chroma System of its own, read from disk now.

    chromadb shares one System per path in a process (SharedSystemClient's cache), and that
    System keeps the vector segment it loaded. Dropping the cache entry first means a store
    opened after another process wrote (a restart, a refresh) sees the writes. One ChromaStore
    per path in a process: the app's engine keeps one handle per index."""
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient as Shared

    key = str(path)
    with Shared._refcount_lock:
        Shared._identifier_to_system.pop(key, None)
        Shared._identifier_to_refcount.pop(key, None)
    client = chromadb.PersistentClient(path=key, settings=_chroma_settings())
    return client, Shared._identifier_to_system[key]


def _where(allowed: set[int]) -> dict[str, Any]:
    clauses: list[dict[str, Any]] = [{"units": {"$contains": u}} for u in sorted(allowed)]
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}
