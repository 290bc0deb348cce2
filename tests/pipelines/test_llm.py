"""The chat-model providers over real transports: the OpenAI-compatible client against a local
HTTP server speaking the chat-completions protocol (the model behind it is a fake: no
instruction-tuned model ships here), its failures, and the llama.cpp provider's set-up errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipelines.config import LLMSettings
from pipelines.llm import LLMUnavailable, answer_with_model, make_chat_model
from pipelines.llm_local import LlamaCppChat
from tests.pipelines.chat_server import Endpoint, chat_server
from tests.pipelines.test_qa import DEADLINE, INJECTION, passages


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    with chat_server(
        lambda _request: "Hạn nộp là ngày 15 tháng 12 [c1]. Câu này không có nguồn."
    ) as state:
        yield state


def settings(url: str, **kw: Any) -> LLMSettings:
    return LLMSettings(provider="openai", base_url=url, model="qwen-vi", api_key="k-1", **kw)


def test_openai_compatible_request_and_cited_answer(endpoint: Endpoint) -> None:
    hostile = passages()
    hostile[0] = hostile[0].model_copy(update={"text": f"{DEADLINE} {INJECTION}"})
    model = make_chat_model(settings(endpoint.url, max_tokens=300))
    assert model is not None
    answer = answer_with_model("Hạn nộp báo cáo quý IV là ngày nào?", hostile, model)
    assert answer.found and answer.answer == "Hạn nộp là ngày 15 tháng 12. [1]"
    assert [c.document_id for c in answer.citations] == [1]
    (request,) = endpoint.requests
    assert endpoint.headers[0]["Authorization"] == "Bearer k-1"
    assert request["model"] == "qwen-vi" and request["max_tokens"] == 300
    assert request["temperature"] == 0.0
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    user = request["messages"][1]["content"]
    fenced = user.split("<documents>", 1)[1].rsplit("</documents>", 1)[0]
    assert INJECTION in fenced  # the injection travels only as fenced data


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, b'{"error": "overloaded"}', "answered 500"),
        (200, b"<html>proxy login</html>", "not a chat completion"),
        (200, b'{"choices": []}', "not a chat completion"),
    ],
)
def test_endpoint_failures_raise_llm_unavailable(
    endpoint: Endpoint, status: int, body: bytes, message: str
) -> None:
    endpoint.status, endpoint.body = status, body
    model = make_chat_model(settings(endpoint.url))
    assert model is not None
    with pytest.raises(LLMUnavailable, match=message):
        answer_with_model("Hạn nộp báo cáo quý IV là ngày nào?", passages(), model)


def test_unreachable_endpoint_raises_llm_unavailable() -> None:
    model = make_chat_model(settings("http://127.0.0.1:9", timeout_seconds=2))
    assert model is not None
    with pytest.raises(LLMUnavailable, match="ConnectError"):
        answer_with_model("Hạn nộp báo cáo quý IV là ngày nào?", passages(), model)


def test_openai_provider_needs_url_and_model() -> None:
    with pytest.raises(ValueError, match="BASE_URL"):
        make_chat_model(LLMSettings(provider="openai"))


def test_llamacpp_provider_explains_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="MODEL_PATH"):
        make_chat_model(LLMSettings(provider="llamacpp", model_path=str(tmp_path / "no.gguf")))
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        with pytest.raises(ValueError, match=r"sotay\[llamacpp\]"):
            make_chat_model(LLMSettings(provider="llamacpp", model_path=str(gguf)))


class FakeLlama:
    """Stands in for llama_cpp.Llama, which compiles for ~10 minutes and has no instruction-tuned
    model to load here; it answers as create_chat_completion does."""

    def __init__(self, reply: str | Exception) -> None:
        self.reply = reply
        self.calls: list[dict[str, Any]] = []

    def create_chat_completion(self, **kw: Any) -> dict[str, Any]:
        self.calls.append(kw)
        if isinstance(self.reply, Exception):
            raise self.reply
        return {"choices": [{"message": {"role": "assistant", "content": self.reply}}]}


def test_llamacpp_chat_answers_with_citations_and_wraps_failures() -> None:
    llama = FakeLlama("Hạn nộp là ngày 15 tháng 12 [c1].")
    answer = answer_with_model("Hạn nộp là ngày nào?", passages(), LlamaCppChat(llama=llama))
    assert answer.found and answer.citations[0].document_id == 1
    assert [m["role"] for m in llama.calls[0]["messages"]] == ["system", "user"]
    too_long = LlamaCppChat(llama=FakeLlama(ValueError("Requested tokens exceed context window")))
    with pytest.raises(LLMUnavailable, match="context window"):
        answer_with_model("Hạn nộp là ngày nào?", passages(), too_long)
