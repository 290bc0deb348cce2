"""NFC everywhere (issue 9, finding 6): every text a request carries reaches the code composed.

JSON bodies are normalised by their schemas, which the walker below checks field by field;
query strings and plain forms by one middleware, checked end to end.
"""

from __future__ import annotations

import types
import typing
import unicodedata
from typing import Annotated, Any

from fastapi import FastAPI, Form
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.core.nfc_input import NFCInputMiddleware, nfc_pairs
from app.core.text import clean_name, nfc, password_form
from app.jobs.service_registry import all_kinds
from tests.factories.accounts import bearer
from tests.factories.members import make_member
from tests.factories.org import Org

NORMALISERS = {nfc, clean_name, password_form}
# Text fields that need no normalising: their validators accept only a fixed ASCII vocabulary.
ASCII_ONLY = {
    "JobSubmit.kind": "pattern ^[a-z][a-z0-9_.]*$",
    "CorrectionCreate.field": "one of the correctable field names",
    # Digits, spaces and dots only (the digit check takes Unicode digits: see issue 9 notes).
    "MemberCreate.cccd": "12 digits",
    "MemberUpdate.cccd": "12 digits",
    "NewMemberIn.cccd": "12 digits",
    "MemberCreate.phone": "digits and + . ( ) -",
    "MemberUpdate.phone": "digits and + . ( ) -",
    "NewMemberIn.phone": "digits and + . ( ) -",
}


def _routes(routes: list[Any]) -> list[APIRoute]:
    out: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        elif (ctx := getattr(route, "include_context", None)) is not None:
            out.extend(_routes(ctx.included_router.routes))
    return out


def _str_parts(ann: Any, meta: list[Any]) -> list[list[Any]]:
    """The metadata of every `str` inside an annotation (unions, lists, Annotated layers);
    dict keys are names, not text, and are skipped."""
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        base, *more = typing.get_args(ann)
        return _str_parts(base, meta + more)
    if origin is dict:
        return _str_parts(typing.get_args(ann)[1], meta) if typing.get_args(ann) else []
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        return [m for a in typing.get_args(ann) for m in _str_parts(a, meta)]
    return [meta] if ann is str else []


def _models(ann: Any) -> list[type[BaseModel]]:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return [ann]
    return [m for a in typing.get_args(ann) for m in _models(a)]


def _unnormalised(model: type[BaseModel], seen: set[type[BaseModel]]) -> list[str]:
    if model in seen:
        return []
    seen.add(model)
    bad = []
    for name, info in model.model_fields.items():
        for meta in _str_parts(info.annotation, list(info.metadata)):
            funcs = {getattr(m, "func", None) for m in meta}
            if not funcs & NORMALISERS and f"{model.__name__}.{name}" not in ASCII_ONLY:
                bad.append(f"{model.__name__}.{name}")
        for sub in _models(info.annotation):
            bad.extend(_unnormalised(sub, seen))
    return bad


def test_every_text_field_of_every_input_schema_is_normalised(app: FastAPI) -> None:
    models: list[type[BaseModel]] = [k.params_model for k in all_kinds().values()]
    for route in _routes(app.routes):
        for param in route.dependant.body_params + route.dependant.query_params:
            models.extend(_models(param.field_info.annotation))
    assert len(models) > 40
    seen: set[type[BaseModel]] = set()
    bad = sorted({b for m in models for b in _unnormalised(m, seen)})
    assert not bad, "text fields without NFCStr / NameStr / PasswordStr:\n" + "\n".join(bad)


def test_query_strings_and_forms_are_composed() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn").encode()
    raw = b"q=" + b"".join(b"%%%02X" % b for b in nfd) + b"&page=2&q=x+y"
    fixed = nfc_pairs(raw)
    assert fixed == b"q=Nguy%E1%BB%85n&page=2&q=x+y"
    assert nfc_pairs(b"q=Nguy%E1%BB%85n&page=2") == b"q=Nguy%E1%BB%85n&page=2"
    assert nfc_pairs(b"page=2&unit_id=") == b"page=2&unit_id="


def test_decomposed_search_finds_the_composed_member(
    client: TestClient, session: Session, org: Org
) -> None:
    """Search by name, in decomposed form, finds the member stored composed (API and web)."""
    stored = make_member(session, org.units["A"], "Lưu Quỳnh Hương")
    nfd = unicodedata.normalize("NFD", "Quỳnh Hương")
    api = client.get(
        "/api/v1/members", params={"q": nfd}, headers=bearer(session, org.accounts["sec_a"])
    )
    assert api.status_code == 200, api.text
    assert stored.id in [m["id"] for m in api.json()["items"]]
    client.get("/login")
    csrf = client.cookies.get("sotay_csrf")
    client.post("/login", data={"username": "sec_a", "password": "matkhau-123", "csrf_token": csrf})
    page = client.get("/members", params={"q": nfd})
    assert page.status_code == 200 and "Lưu Quỳnh Hương" in page.text


def test_every_query_and_form_value_reaches_routes_composed() -> None:
    """The middleware, on a route that takes raw `str` (no schema to normalise it)."""
    echo = FastAPI()

    @echo.post("/echo")
    def _echo(q: str, name: Annotated[str, Form()], names: Annotated[list[str], Form()]) -> Any:
        return {"q": q, "name": name, "names": names}

    echo.add_middleware(NFCInputMiddleware)
    word = "Nguyễn Thị Huệ"
    nfd = unicodedata.normalize("NFD", word)
    with TestClient(echo) as c:
        resp = c.post("/echo", params={"q": nfd}, data={"name": nfd, "names": [nfd, "x"]})
    assert resp.json() == {"q": word, "name": word, "names": [word, "x"]}
