"""What every chat-model provider shares: the failure it raises and the chat-completions wire
format (OpenAI-compatible endpoints and llama.cpp take the same messages)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult


class LLMUnavailable(RuntimeError):
    """The chat model could not answer (endpoint down, timeout, malformed reply): the caller
    falls back to the extractive answer rather than failing the member's question."""


_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def chat_messages(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """LangChain messages as the chat-completions wire format (OpenAI and llama.cpp alike)."""
    return [{"role": _ROLES.get(m.type, "user"), "content": m.content} for m in messages]


def reply_result(content: Any) -> ChatResult:
    return ChatResult(generations=[ChatGeneration(message=AIMessage(content=str(content)))])
