"""Web forms: drawing a form page again with what was wrong, validating a form with a schema."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from app.core.errors import Invalid
from app.core.i18n import gettext as _
from app.core.permissions import Actor
from app.documents import service_lookup as documents_lookup
from app.web import form_errors
from app.web.templating import render

M = TypeVar("M", bound=BaseModel)


def form_page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    form: dict[str, Any],
    error: str | None = None,
    details: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    """`error` heads the page and `details` lists one line per field (`_form_errors.html`)."""
    return render(
        request,
        template,
        {**context, "form": form, "error": error, "details": details or []},
        status_code=status_code,
    )


def validated(model: type[M], data: dict[str, Any]) -> M:
    """Validate form data with a schema; problems become a 422 with the fields named."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = form_errors.details(exc)
        raise Invalid("Dữ liệu gửi lên không hợp lệ", details=details) from exc


def _idea_fields(
    title: Annotated[str, Form(max_length=300)], body: Annotated[str, Form(max_length=10000)]
) -> dict[str, str]:
    return {"title": title, "body": body}


# The form of a new thread (an idea, a comment on a document), checked with IdeaCreate once
# the sender is known: an anonymous post goes to the login page whatever it holds.
IdeaFields = Annotated[dict[str, str], Depends(_idea_fields)]


def document_options(session: Session, actor: Actor) -> list[str]:
    """What a document picker (a `<datalist>`) offers: "number — title" of visible documents."""
    return [documents_lookup.label(d) for d in documents_lookup.pickable(session, actor=actor)]


def pick_documents(
    session: Session, actor: Actor, references: list[str], *, field: str, label: str
) -> tuple[list[int], list[dict[str, str]]]:
    """Documents typed or picked by number or title, as ids; and a line for the field for
    each that matches no document the actor can see."""
    ids, unknown = documents_lookup.resolve(session, actor=actor, references=references)
    problems = [
        {
            "field": _(label),
            "key": field,
            "message": _("Không tìm thấy văn bản “{ref}” trong các văn bản bạn được xem").format(
                ref=ref
            ),
        }
        for ref in unknown
    ]
    return ids, problems
