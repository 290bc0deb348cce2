"""API for the assistant: ask, and the asker's own question history."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.core.deps import CurrentActor, DBSession, SettingsDep
from app.core.ids import Id
from app.knowledge import service
from app.knowledge.schemas import AnswerOut, AskIn, QuestionOut

router = APIRouter(tags=["assistant"])


@router.post("/assistant/ask", response_model=AnswerOut)
async def ask_question(
    body: AskIn, session: DBSession, actor: CurrentActor, settings: SettingsDep
) -> AnswerOut:
    # Embedding the question and scoring are CPU work: never on the event loop.
    _, answer = await run_in_threadpool(
        service.ask, session, actor=actor, settings=settings, question=body.question
    )
    return AnswerOut(**answer.model_dump())


@router.get("/assistant/questions", response_model=list[QuestionOut])
def list_questions(session: DBSession, actor: CurrentActor) -> list[QuestionOut]:
    return [
        QuestionOut.model_validate(q, from_attributes=True)
        for q in service.history(session, actor=actor)
    ]


@router.get("/assistant/questions/{question_id}", response_model=QuestionOut)
def get_question(question_id: Id, session: DBSession, actor: CurrentActor) -> QuestionOut:
    row = service.get_question(session, actor=actor, question_id=question_id)
    return QuestionOut.model_validate(row, from_attributes=True)
