"""Schemathesis over the whole API on a server of its own: no 5xx and no undocumented answer.

Each of two callers, a city administrator and a plain member, sends FUZZ_EXAMPLES generated
requests per operation (plus schemathesis' examples and boundary cases) to a `uvicorn` server
seeded with the permission-test organisation and one object of each kind. Generation is seeded,
so a run is reproducible; the server is local and nothing leaves the machine.
Select with `-m fuzz`; SOTAY_FUZZ_EXAMPLES changes the bound (`make test`: 20 on SQLite, 10 on
PostgreSQL).
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, assume, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.core.config import Settings
from app.main import create_app
from tests.core.fuzz_server import SEEDED_MAX_ID, start_server
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

FUZZ_EXAMPLES = int(os.environ.get("SOTAY_FUZZ_EXAMPLES", "20"))
SEED = 20261204
ROLES = {"city_admin": "admin", "member": "mem_a"}

# Operations left out, each with its reason. Everything else in /openapi.json is fuzzed.
EXCLUDED: dict[tuple[str, str], str] = {}

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class FuzzTarget:
    url: str
    tokens: dict[str, str]  # role -> bearer token
    account_ids: set[int]  # the callers' own accounts


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    data_dir: Path = tmp_path_factory.mktemp("fuzz")
    with start_server(data_dir) as (url, accounts):
        tokens = {}
        for role, username in ROLES.items():
            # Log in before any fuzzing: the fuzzed /auth/token calls trip the login throttle.
            r = httpx.post(
                f"{url}/api/v1/auth/token", data={"username": username, "password": PASSWORD}
            )
            assert r.status_code == 200, r.text
            tokens[role] = r.json()["access_token"]
        yield FuzzTarget(url, tokens, {accounts[u] for u in ROLES.values()})
    print(f"\nAPI fuzz: {dict(CASES)} cases, {FUZZ_EXAMPLES} generated per operation")


def _real_ids(ctx: Any, path_parameters: dict[str, Any]) -> Any:
    """Half the time, name objects that exist: random ids almost never do."""
    if not path_parameters:
        return st.just(path_parameters)
    real = st.fixed_dictionaries(
        {
            k: st.integers(1, SEEDED_MAX_ID) if k.endswith("_id") else st.just(v)
            for k, v in path_parameters.items()
        }
    )
    return st.one_of(st.just(path_parameters), real)


def _load_schema() -> Any:
    """The OpenAPI document the server will serve, built in-process (collection needs no server)."""
    app = create_app(Settings(env="test", data_dir=Path(tempfile.gettempdir()) / "sotay-fuzz"))
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": FUZZ_EXAMPLES},
            "phases": {"stateful": {"enabled": False}},
        }
    )
    loaded = schemathesis.openapi.from_dict(app.openapi(), config=config)
    loaded.hook("flatmap_path_parameters")(_real_ids)
    for method, path in EXCLUDED:
        loaded = loaded.exclude(method=method, path=path)
    return loaded


schema = _load_schema()


FUZZ_SETTINGS = settings(
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)


CASES: Counter[str] = Counter()  # cases sent per role, printed at the end (pytest -s shows it)


SIGNS_OUT = {
    "/api/v1/accounts/{account_id}/code",
    "/api/v1/accounts/{account_id}/deactivate",
}


def _call(case: Any, target: FuzzTarget, role: str) -> None:
    if case.path in SIGNS_OUT:
        # Resetting or deactivating a caller's account signs it out, and the rest of its run
        # would be 401s.
        assume(case.path_parameters.get("account_id") not in target.account_ids)
    CASES[role] += 1
    case.call_and_validate(
        base_url=target.url,
        headers={"Authorization": f"Bearer {target.tokens[role]}"},
        checks=CHECKS,
        timeout=30,
    )


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_city_admin(case: Any, fuzz_target: FuzzTarget) -> None:
    _call(case, fuzz_target, "city_admin")


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_member(case: Any, fuzz_target: FuzzTarget) -> None:
    _call(case, fuzz_target, "member")
