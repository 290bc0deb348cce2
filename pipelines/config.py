"""The pipelines' own settings: document limits and the chat model; and the vector store's,
handed on to the app.

The app's `Settings` embeds these models as its sections (`documents`, `llm`, `embeddings`,
`vectorstore`, `retrieval`), so the SOTAY_<SECTION>__<FIELD> variables are read there and
nothing below the app reads its configuration. The vector store's sections are named here too
because the app reaches the vector store only through this package.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from vectorstore.config import (
    EmbeddingSettings,
    RetrievalSettings,
    VectorConfig,
    VectorSettings,
    VectorStoreSettings,
)

__all__ = [
    "DocumentSettings",
    "EmbeddingSettings",
    "LLMSettings",
    "RetrievalSettings",
    "VectorConfig",
    "VectorSettings",
    "VectorStoreSettings",
]


class DocumentSettings(BaseModel):
    max_bytes: int = 25 * 1024 * 1024
    # A DOCX is a zip: refuse archives that would inflate past these before opening any member.
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_ratio: int = 100
    max_zip_entries: int = 2000


class LLMSettings(BaseModel):
    # extractive: offline, deterministic quotes (default). openai: any OpenAI-compatible chat
    # endpoint (vLLM, Ollama, llama.cpp server, OpenAI); questions and passages leave the server
    # only when the operator turns this on. llamacpp: a local GGUF file in-process (the
    # `llamacpp` extra; it compiles llama-cpp-python, so it is not in the default install).
    provider: Literal["extractive", "openai", "llamacpp"] = "extractive"
    base_url: str = ""
    model: str = ""
    model_path: str = ""  # llamacpp: the .gguf file
    context_tokens: int = Field(default=4096, ge=512, le=131072)
    api_key: str = ""
    temperature: float = 0.0
    max_tokens: int = 600
    timeout_seconds: float = 60.0
    # Passages handed to the answerer (extractive or model).
    top_k: int = Field(default=6, ge=1, le=20)
