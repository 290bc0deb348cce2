"""The web's logged-in guard: a page for signed-in users sends a signed-out visitor to the login
page, which brings them back (`next=`) once they have signed in.

A handler takes `actor: WebActor` instead of checking for a session itself. The guard raises
`SignInFirst`, which app.main answers with the redirect, so it runs before the handler's own input
is checked: a signed-out visitor posting a bad form is sent to sign in, not shown its errors.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from app.core.deps import OptionalActor
from app.core.permissions import Actor


class SignInFirst(Exception):
    """A signed-out request for a signed-in page; `location` is the login page to send it to."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def login_redirect(exc: SignInFirst) -> RedirectResponse:
    """The answer to `SignInFirst` (app.main's handler)."""
    return RedirectResponse(exc.location, status_code=303)


async def require_web_actor(request: Request, actor: OptionalActor) -> Actor:
    """The signed-in actor; signed out, the login page coming back to this page's address."""
    if actor is None:
        raise SignInFirst(f"/login?next={quote(request.url.path)}")
    return actor


async def require_web_actor_keeping_query(request: Request, actor: OptionalActor) -> Actor:
    """As `require_web_actor`, coming back with the query too (the member list's filters)."""
    if actor is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInFirst(f"/login?{urlencode({'next': target})}")
    return actor


def returning_to(page: str | None) -> Any:
    """`actor: Annotated[Actor, returning_to("/jobs/{job_id}")]`: a guard whose login page comes
    back to `page` instead of the address asked for (an action's or a fragment's page); `page`
    may name path parameters. None: the login page without `next=`, which then goes home."""

    async def require(request: Request, actor: OptionalActor) -> Actor:
        if actor is None:
            if page is None:
                raise SignInFirst("/login")
            raise SignInFirst(f"/login?next={quote(page.format(**request.path_params))}")
        return actor

    return Depends(require)


WebActor = Annotated[Actor, Depends(require_web_actor)]
WebActorKeepingQuery = Annotated[Actor, Depends(require_web_actor_keeping_query)]
