"""Runs the permission matrix (see matrix.py) and checks that it covers every route."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import tests.permissions as permissions_pkg
from app.accounts import service as accounts_service
from app.core.config import AuthSettings
from app.core.deps import SESSION_COOKIE
from tests.factories.org import build_org
from tests.permissions.matrix import (
    ACTOR_ACCOUNT,
    HOME,
    RELATIVES,
    ROLES,
    TARGETS,
    Case,
    RouteSpec,
)

UNDOCUMENTED = {"/openapi.json", "/api/docs", "/api/docs/oauth2-redirect"}


def load_specs() -> list[RouteSpec]:
    specs: list[RouteSpec] = []
    for mod in pkgutil.iter_modules(permissions_pkg.__path__):
        if mod.name.startswith("spec_"):
            specs.extend(importlib.import_module(f"tests.permissions.{mod.name}").SPECS)
    return specs


SPECS = load_specs()


def _cases() -> list[Any]:
    out = []
    for spec in SPECS:
        if spec.public:
            out.append(
                pytest.param(spec, "anonymous", "none", id=f"{spec.method} {spec.path} public")
            )
            continue
        for role in ROLES:
            targets = ["none"] if spec.targetless or role == "anonymous" else list(TARGETS)
            for target in targets:
                if role != "anonymous" and target != "none" and target not in RELATIVES[HOME[role]]:
                    continue
                out.append(
                    pytest.param(
                        spec, role, target, id=f"{spec.method} {spec.path} {role} {target}"
                    )
                )
    return out


def app_routes(routes: list[Any], prefix: str = "") -> set[tuple[str, str]]:
    """(method, path) of every endpoint, looking inside included routers."""
    out: set[tuple[str, str]] = set()
    for route in routes:
        if isinstance(route, APIRoute):
            out |= {(m, prefix + route.path) for m in route.methods - {"HEAD"}}
        elif (ctx := getattr(route, "include_context", None)) is not None:
            out |= app_routes(ctx.included_router.routes, prefix + ctx.prefix)
    return out


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    declared = {(s.method, s.path) for s in SPECS}
    missing = sorted(
        f"{m} {p}" for m, p in app_routes(app.routes) - declared if p not in UNDOCUMENTED
    )
    assert not missing, "routes missing from the permission matrix:\n" + "\n".join(missing)


def test_matrix_has_no_stale_entries(app: FastAPI) -> None:
    existing = app_routes(app.routes)
    stale = [f"{s.method} {s.path}" for s in SPECS if (s.method, s.path) not in existing]
    assert not stale, "matrix entries for routes that do not exist:\n" + "\n".join(stale)


@pytest.mark.parametrize(("spec", "role", "target"), _cases())
def test_permission(
    spec: RouteSpec, role: str, target: str, session: Session, client: TestClient
) -> None:
    org = build_org(session)
    unit = None
    if target != "none" and role != "anonymous":
        unit = org.units[RELATIVES[HOME[role]][target]]
    elif not spec.targetless and role == "anonymous":
        unit = org.units["A"]
    case = Case(
        org=org,
        session=session,
        role=role if role != "anonymous" else "member",
        target=target,
        unit=unit,
        settings=client.app.state.settings,  # type: ignore[attr-defined]
    )
    extra = spec.setup(case) if spec.setup else {}
    params = {**spec.path_params(case), **extra}
    url = spec.path.format(**params)
    headers: dict[str, str] = {}
    client.cookies.clear()
    if role != "anonymous":
        account = org.accounts[ACTOR_ACCOUNT[role]]
        kind = "session" if spec.web else "api"
        secret, row = accounts_service.issue_token(
            session, AuthSettings(), account=account, kind=kind, ip="test"
        )
        if spec.web:
            client.cookies.set(SESSION_COOKIE, secret)
            headers["X-CSRF-Token"] = row.csrf_token
        else:
            headers["Authorization"] = f"Bearer {secret}"
    resp = client.request(
        spec.method,
        url,
        headers=headers,
        params=spec.query(case),
        json=spec.body(case),
        data=spec.form(case),
        files=spec.files(case),
        follow_redirects=False,
    )
    if spec.public:
        assert resp.status_code < 500, resp.text
        return
    allowed = target in spec.allowed.get(role, set())
    if allowed:
        assert resp.status_code < 400, (
            f"expected success, got {resp.status_code}: {resp.text[:300]}"
        )
        if spec.web and resp.status_code in (302, 303) and not spec.ok_redirects_to_login:
            assert not resp.headers["location"].startswith("/login"), "allowed but sent to login"
    else:
        denied_redirect = (
            spec.web
            and resp.status_code in (302, 303)
            and resp.headers["location"].startswith("/login")
        )
        assert resp.status_code in (401, 403, 404) or denied_redirect, (
            f"expected denial, got {resp.status_code}: {resp.text[:300]}"
        )
