"""Concurrent authenticated writes against a real server on SQLite must all be answered.

Regression: resolving the caller used to run on the event loop inside the write transaction,
so a request waiting for SQLite's write lock froze the loop, and the request holding the lock
could never finish: the worker wedged until the 30 s busy timeout, again and again.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.factories.accounts import PASSWORD
from tests.web.conftest import LiveServer

USERS = ["mem_a", "mem_b", "mem_d", "sec_a", "sec_b"]


def test_concurrent_writes_all_complete(live_server: LiveServer) -> None:
    tokens = [
        httpx.post(
            f"{live_server.url}/api/v1/auth/token", data={"username": u, "password": PASSWORD}
        ).json()["access_token"]
        for u in USERS
    ]

    def mark_read(i: int) -> int:
        # Well under the 30 s busy timeout: a wedged worker cannot answer in time.
        resp = httpx.post(
            f"{live_server.url}/api/v1/notifications/read",
            json={"ids": None},
            headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"},
            timeout=20,
        )
        return resp.status_code

    with ThreadPoolExecutor(max_workers=40) as pool:
        codes = list(pool.map(mark_read, range(120)))
    assert codes == [200] * 120
