"""An officer's decision on a pending request (a transfer, a correction): each button posts an
optional note, and the officer goes back to the queue with the outcome as a flash."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession
from app.core.permissions import Actor
from app.web.guard import WebActor

# By the last segment of the path ("accept" in /transfers/7/accept): the service function,
# called as (session, ctx, actor=, <id>=, note=), and the queue's `done` flash it leads to.
Actions = Mapping[str, tuple[Callable[..., object], str]]


@dataclass(frozen=True)
class Decision:
    request: Request
    session: Session
    actor: Actor
    ctx: AuditContext
    note: str

    def apply(
        self, actions: Actions, require: Callable[[Actor], None], queue: str, **item: int
    ) -> Response:
        require(self.actor)
        decide, done = actions[self.request.url.path.rsplit("/", 1)[-1]]
        decide(self.session, self.ctx, actor=self.actor, note=self.note.strip(), **item)
        return RedirectResponse(f"{queue}?done={done}", status_code=303)


def _decision(
    request: Request,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Decision:
    return Decision(request, session, actor, ctx, note)


DecisionForm = Annotated[Decision, Depends(_decision)]
