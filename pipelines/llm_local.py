"""A local GGUF chat model in-process through llama-cpp-python (the `llamacpp` extra).

No instruction-tuned GGUF ships in any package here, so nothing chooses this by default; an
operator who has one points `SOTAY_LLM__MODEL_PATH` at it. The same model can also be served by
llama.cpp's own server and reached through the OpenAI-compatible provider, which keeps it out of
the web process; in-process suits a single small install.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult
from pydantic import ConfigDict, PrivateAttr

from pipelines.chat import LLMUnavailable, chat_messages, reply_result

if TYPE_CHECKING:
    from pipelines.config import LLMSettings


class LlamaCppChat(BaseChatModel):
    """`llama_cpp.Llama.create_chat_completion` behind LangChain's chat-model interface."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llama: Any
    temperature: float = 0.0
    max_tokens: int = 600
    # One generation at a time: a Llama context is not safe to share between threads.
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def from_settings(cls, settings: LLMSettings) -> LlamaCppChat:
        path = Path(settings.model_path)
        if not settings.model_path or not path.is_file():
            raise ValueError(f"SOTAY_LLM__MODEL_PATH must name a .gguf file (got {path})")
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ValueError(
                "the llamacpp provider needs llama-cpp-python: pip install 'sotay[llamacpp]'"
            ) from exc
        llama = Llama(model_path=str(path), n_ctx=settings.context_tokens, verbose=False)
        return cls(llama=llama, temperature=settings.temperature, max_tokens=settings.max_tokens)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        try:
            with self._lock:
                reply = self.llama.create_chat_completion(
                    messages=chat_messages(messages),
                    temperature=self.temperature,
                    max_tokens=self.max_tokens,
                    stop=stop,
                )
            content = reply["choices"][0]["message"]["content"] or ""
        except (ValueError, RuntimeError, KeyError, IndexError, TypeError) as exc:
            # llama.cpp raises ValueError when the prompt exceeds the context window.
            raise LLMUnavailable(f"local model failed: {exc}") from exc
        return reply_result(content)
