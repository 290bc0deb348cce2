"""The ask service: the asker's visible passages answered, and a chat model that cannot answer
replaced by the offline extractive answer."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from app.core.permissions import Actor
from app.knowledge import service
from pipelines.llm import OpenAICompatibleChat
from tests.knowledge.conftest import KB
from tests.knowledge.test_tasks import RULES, publish


def test_unreachable_chat_model_falls_back_to_the_extractive_answer(kb: KB) -> None:
    publish(kb, RULES.encode())
    assert kb.run_jobs() == ["succeeded"]
    down = OpenAICompatibleChat(base_url="http://127.0.0.1:9/v1", model="m", timeout_seconds=2)
    with kb.c.db.session() as s:
        actor = kb.actor(s, kb.org.accounts["mem_a"].id)  # type: ignore[attr-defined]
        _, answer = service.ask(
            s,
            actor=actor,
            settings=kb.c.settings,
            question="Hạn nộp báo cáo quý IV là ngày nào?",
            model=down,
        )
    assert answer.found and "15 tháng 12" in answer.answer and answer.citations


def test_decomposed_question_finds_what_the_composed_one_finds(kb: KB) -> None:
    """Issue 9: a question typed in NFD (as some keyboards send it) gets the NFC answer."""
    publish(kb, RULES.encode())
    assert kb.run_jobs() == ["succeeded"]
    question = "Hạn nộp báo cáo quý IV là ngày nào?"
    answers = []
    with kb.c.db.session() as s:
        actor = kb.actor(s, kb.org.accounts["mem_a"].id)  # type: ignore[attr-defined]
        for form in ("NFC", "NFD"):
            typed = unicodedata.normalize(form, question)
            row, answer = service.ask(s, actor=actor, settings=kb.c.settings, question=typed)
            assert row.question == question  # stored composed, whatever was typed
            answers.append(answer)
    assert answers[0].found and "15 tháng 12" in answers[0].answer
    assert answers[1] == answers[0]


def test_the_question_is_embedded_once_per_answer(kb: KB, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 10: the search's query vector is the one the answer step's cosine uses."""
    publish(kb, RULES.encode())
    assert kb.run_jobs() == ["succeeded"]
    embeddings = service.service_index.open_index(kb.c.settings).embeddings
    calls: list[str] = []
    real = embeddings.embed_query_array

    def counting(text: str) -> np.ndarray:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(embeddings, "embed_query_array", counting)
    with kb.c.db.session() as s:
        actor = kb.actor(s, kb.org.accounts["mem_a"].id)  # type: ignore[attr-defined]
        _, answer = service.ask(
            s, actor=actor, settings=kb.c.settings, question="Hạn nộp báo cáo quý IV là ngày nào?"
        )
    assert answer.found and "15 tháng 12" in answer.answer
    assert calls == ["Hạn nộp báo cáo quý IV là ngày nào?"]


def test_an_asker_without_grants_is_shown_no_passage(kb: KB) -> None:
    """No audience token means no chunk: never the unfiltered index."""
    publish(kb, RULES.encode())
    assert kb.run_jobs() == ["succeeded"]
    nobody = Actor(account_id=kb.org.accounts["mem_a"].id, username="nobody")  # type: ignore[attr-defined]
    with kb.c.db.session() as s:
        question = "Hạn nộp báo cáo quý IV là ngày nào?"
        assert service.retrieve(s, kb.c.settings, nobody, question) == []
        _, answer = service.ask(s, actor=nobody, settings=kb.c.settings, question=question)
    assert not answer.found and not answer.citations
