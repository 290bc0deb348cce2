"""The optional reranker seam: a model that reads the question and one passage together and
scores how well the passage answers it (a cross-encoder), applied to the first fused results.

No cross-encoder ships in any package here, so the default is none. Measured on the dev set,
the fused score of the packaged parts stops near recall@1 0.92 (see vectorstore/hybrid.py);
most of the remaining misses rank the gold paragraph second, which is where a reranker earns
its cost. An operator who has one (a Vietnamese reranker, or a multilingual one such as
bge-reranker) names its local folder; it is blended with the fused score rather than replacing
it, so a weak reranker cannot undo a clear lexical winner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from vectorstore.config import RetrievalSettings


class Reranker(Protocol):
    model_id: str

    def scores(self, query: str, texts: Sequence[str]) -> np.ndarray:
        """One relevance score per text (higher is better); any scale."""
        ...


class CrossEncoderReranker:
    """sentence-transformers' `CrossEncoder` over a local model folder or a cached name (the
    `st` extra); nothing is downloaded."""

    def __init__(self, model: str, *, batch_size: int = 16, max_length: int = 512) -> None:
        self.model_name = model
        self.model_id = f"cross-encoder:{model}"
        self.batch_size = batch_size
        self.max_length = max_length
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            from vectorstore.embeddings import sentence_transformers

            self._model = sentence_transformers().CrossEncoder(
                self.model_name, device="cpu", max_length=self.max_length, num_labels=1
            )
        return self._model

    def scores(self, query: str, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty(0, dtype=np.float32)
        out = self._get().predict(
            [(query, t) for t in texts], batch_size=self.batch_size, show_progress_bar=False
        )
        return np.asarray(out, dtype=np.float32).reshape(len(texts))


def make_reranker(settings: RetrievalSettings) -> Reranker | None:
    match settings.reranker:
        case "none":
            return None
        case "cross-encoder":
            if not settings.rerank_model:
                raise ValueError("SOTAY_RETRIEVAL__RERANK_MODEL must name a cross-encoder model")
            return CrossEncoderReranker(settings.rerank_model)
        case other:  # pragma: no cover - Literal in settings
            raise ValueError(f"unknown reranker {other}")
