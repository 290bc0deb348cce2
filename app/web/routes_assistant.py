"""The "Hỏi đáp" page: ask a question, read the answer in large text with citations that open
the document at the passage, and see one's own earlier questions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.core.deps import DBSession, SettingsDep
from app.core.i18n import gettext as _
from app.knowledge import service
from app.web.guard import WebActor
from app.web.templating import render

router = APIRouter()


def _page(request: Request, session: Any, actor: Any, **extra: Any) -> Response:
    return render(
        request,
        "assistant/index.html",
        {"history": service.history(session, actor=actor, limit=20), **extra},
    )


@router.get("/assistant")
def assistant_page(request: Request, session: DBSession, actor: WebActor) -> Response:
    return _page(request, session, actor, question="", answer=None)


@router.post("/assistant")
async def ask_page(
    request: Request,
    session: DBSession,
    actor: WebActor,
    settings: SettingsDep,
    question: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    question = question.strip()
    if len(question) < 2:
        # Said on the same page, beside the box, with what was typed kept.
        problem = _(
            "Câu hỏi quá ngắn: hãy viết cả câu, ví dụ “Đảng viên dự bị có được biểu quyết không?”"
        )
        details = [{"field": "", "key": "question", "message": problem}]
        page = _page(request, session, actor, question=question, answer=None, details=details)
        page.status_code = 422
        return page
    _record, answer = await run_in_threadpool(
        service.ask, session, actor=actor, settings=settings, question=question
    )
    return await run_in_threadpool(_page, request, session, actor, question=question, answer=answer)
