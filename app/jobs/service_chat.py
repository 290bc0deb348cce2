"""The chat model a drafting job uses (`SOTAY_LLM__*`), one seam for every job that writes
with it (the minutes' draft, the document summary): offline when asked, the test's swapped
model when there is one, the configured model otherwise; a model that cannot be built is an
error only when LLM mode was asked for, else the job works offline."""

from __future__ import annotations

import logging

from langchain_core.language_models.chat_models import BaseChatModel

from app.core.i18n import N_
from app.jobs.service_context import JobContext, JobError
from pipelines.llm import make_chat_model

log = logging.getLogger(__name__)


def chat_model(
    ctx: JobContext, mode: str | None, swapped: BaseChatModel | None
) -> BaseChatModel | None:
    """The model for `mode` ("offline", "llm" or None for "the configured one, if usable")."""
    if mode == "offline":
        return None
    if swapped is not None:
        return swapped
    try:
        return make_chat_model(ctx.db.settings.llm)
    except ValueError as exc:
        if mode == "llm":
            raise JobError(N_("Chưa cấu hình mô hình ngôn ngữ")) from exc
        log.warning("chat model not usable, working offline: %s", exc)
        return None
