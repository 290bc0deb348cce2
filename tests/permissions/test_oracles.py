"""Existence oracles (issue 9, finding 7): naming a resource the caller cannot see must answer
exactly as naming one that does not exist, in every parameter that names it."""

from __future__ import annotations

import importlib
import json
import pkgutil
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import tests.permissions as permissions_pkg
from app.accounts import service as accounts_service
from app.core.config import AuthSettings
from tests.factories.org import build_org
from tests.permissions.matrix import ACTOR_ACCOUNT, HOME, MISSING_ID, Case, OracleSpec


def load_oracles() -> list[OracleSpec]:
    out: list[OracleSpec] = []
    for mod in pkgutil.iter_modules(permissions_pkg.__path__):
        if mod.name.startswith("spec_"):
            module = importlib.import_module(f"tests.permissions.{mod.name}")
            out.extend(getattr(module, "ORACLES", []))
    return out


ORACLES = load_oracles()


def _call(
    client: TestClient, spec: OracleSpec, case: Case, extra: dict[str, Any], rid: int
) -> tuple[int, Any]:
    url = spec.path.format(**{**extra, **spec.path_params(case, rid)})
    account = case.org.accounts[ACTOR_ACCOUNT[spec.role]]
    secret, _row = accounts_service.issue_token(
        case.session, AuthSettings(), account=account, kind="api", ip="test"
    )
    resp = client.request(
        spec.method,
        url,
        headers={"Authorization": f"Bearer {secret}"},
        params=spec.query(case, rid),
        json=spec.body(case, rid),
    )
    # An id echoed in a message ("not found: 13") is the one sent: compare without it.
    text = resp.text.replace(str(rid), "{id}")
    return resp.status_code, json.loads(text) if text else None


def test_there_are_oracle_cases() -> None:
    assert len(ORACLES) >= 10


@pytest.mark.parametrize("spec", ORACLES, ids=[s.name for s in ORACLES])
def test_hidden_answers_like_missing(
    spec: OracleSpec, session: Session, client: TestClient
) -> None:
    org = build_org(session)
    case = Case(
        org=org,
        session=session,
        role=spec.role,
        target="own",
        unit=org.units[HOME[spec.role]],
        settings=client.app.state.settings,  # type: ignore[attr-defined]
    )
    extra = spec.setup(case) if spec.setup else {}
    hidden = spec.hidden(case)
    assert hidden != MISSING_ID
    seen = _call(client, spec, case, extra, hidden)
    missing = _call(client, spec, case, extra, MISSING_ID)
    if spec.method != "GET":  # a list filtered by a missing id is just empty
        assert missing[0] >= 400, f"a missing id was accepted: {missing}"
    assert seen == missing, f"hidden {seen} differs from missing {missing}"
