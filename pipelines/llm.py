"""The chat-model seam for Q&A: LangChain's `BaseChatModel`, an OpenAI-compatible client over
httpx (no extra dependency), and the answer step that keeps only cited sentences.

Document text reaches the model only inside the <documents> fence of prompts/qa_answer.j2,
with angle brackets escaped so a document cannot close the fence; the system prompt says the
fenced content is data. The model must end each sentence with the chunk ids it used ([c3]);
sentences without a valid id are dropped, and an answer left empty is "not found".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatResult

from pipelines.chat import LLMUnavailable, chat_messages, reply_result
from pipelines.qa import Answer, Citation, Passage, citation_for, is_english, not_found
from prompts import render_sections

if TYPE_CHECKING:
    from pipelines.config import LLMSettings

# The providers' failure, raised from here too: callers catch it where they ask.
__all__ = [
    "LLMUnavailable",
    "OpenAICompatibleChat",
    "answer_with_model",
    "build_messages",
    "make_chat_model",
    "parse_cited",
]

_CITE = re.compile(r"\[(c\d+(?:\s*,\s*c\d+)*)\]")
_SPACE_BEFORE_MARK = re.compile(r"\s+([.,;:!?…])")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
NOT_FOUND_MARK = "KHONG_TIM_THAY"


class OpenAICompatibleChat(BaseChatModel):
    """POST {base_url}/chat/completions, as vLLM, Ollama, llama.cpp server and OpenAI accept."""

    base_url: str
    model: str
    api_key: str = ""
    temperature: float = 0.0
    max_tokens: int = 600
    timeout_seconds: float = 60.0

    @property
    def _llm_type(self) -> str:
        return "openai-compatible"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": chat_messages(messages),
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        if stop:
            body["stop"] = stop
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        url = f"{self.base_url.rstrip('/')}/chat/completions"
        try:
            resp = httpx.post(url, json=body, headers=headers, timeout=self.timeout_seconds)
            resp.raise_for_status()
            content = resp.json()["choices"][0]["message"]["content"] or ""
        except httpx.HTTPStatusError as exc:
            raise LLMUnavailable(f"{url} answered {exc.response.status_code}") from exc
        except httpx.HTTPError as exc:
            raise LLMUnavailable(f"{url}: {type(exc).__name__}: {exc}") from exc
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMUnavailable(f"{url} sent a reply that is not a chat completion") from exc
        if not isinstance(content, str):
            raise LLMUnavailable(f"{url} sent a reply that is not a chat completion")
        return reply_result(content)


def make_chat_model(settings: LLMSettings) -> BaseChatModel | None:
    """The configured chat model; None for the extractive default."""
    match settings.provider:
        case "extractive":
            return None
        case "openai":
            if not settings.base_url or not settings.model:
                raise ValueError("SOTAY_LLM__BASE_URL and SOTAY_LLM__MODEL must be set")
            return OpenAICompatibleChat(
                base_url=settings.base_url,
                model=settings.model,
                api_key=settings.api_key,
                temperature=settings.temperature,
                max_tokens=settings.max_tokens,
                timeout_seconds=settings.timeout_seconds,
            )
        case "llamacpp":
            from pipelines.llm_local import LlamaCppChat

            return LlamaCppChat.from_settings(settings)
        case other:  # pragma: no cover - Literal in settings
            raise ValueError(f"unknown LLM provider {other}")


def _fence(text: str) -> str:
    # A document must not be able to close the fence or open a tag of its own.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_messages(question: str, passages: Sequence[Passage]) -> list[BaseMessage]:
    """System and user messages from prompts/qa_answer.j2; passages fenced as data."""
    docs = [
        {
            "id": f"c{i}",
            "source": _fence(f"{p.number or p.title}{', ' + p.article if p.article else ''}"),
            "text": _fence(p.text),
        }
        for i, p in enumerate(passages, start=1)
    ]
    parts = render_sections(
        "qa_answer",
        documents=docs,
        question=_fence(question),
        language="English" if is_english(question) else "tiếng Việt",
    )
    return [SystemMessage(content=parts["system"]), HumanMessage(content=parts["user"])]


def parse_cited(text: str, passages: Sequence[Passage]) -> Answer | None:
    """Keep the sentences that cite a valid chunk id; None when nothing survives."""
    if NOT_FOUND_MARK in text:
        return None
    lines: list[str] = []
    citations: list[Citation] = []
    for sentence in _SENTENCE.split(text.strip()):
        sentence = sentence.strip()
        ids = [
            int(c.strip()[1:])
            for group in _CITE.findall(sentence)
            for c in group.split(",")
            if 1 <= int(c.strip()[1:]) <= len(passages)
        ]
        if not ids:
            continue  # uncited (or citing a chunk it was not given): dropped
        p = passages[ids[0] - 1]
        # "… tháng 12 [c1]." leaves "tháng 12 ." once the id is cut out.
        clean = _SPACE_BEFORE_MARK.sub(r"\1", _CITE.sub("", sentence)).strip()
        if not clean:
            continue
        citations.append(citation_for(p, p.text[:300]))
        lines.append(f"{clean} [{len(citations)}]")
    if not lines:
        return None
    return Answer(answer="\n".join(lines), citations=citations, found=True)


def answer_with_model(question: str, passages: Sequence[Passage], model: BaseChatModel) -> Answer:
    """Ask the chat model over the fenced passages; only cited sentences are kept."""
    if not passages:
        return not_found(question)
    reply = model.invoke(build_messages(question, passages))
    content = reply.content if isinstance(reply.content, str) else str(reply.content)
    return parse_cited(content, passages) or not_found(question)
