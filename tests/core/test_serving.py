"""The threadpool outsizes the requests served at once, so none can starve another of a thread."""

from __future__ import annotations

import anyio
from fastapi.testclient import TestClient

from app.core.config import ServerSettings, Settings
from app.core.db import Database
from app.main import create_app


def test_threadpool_is_larger_than_the_concurrency_limit(
    settings: Settings, database: Database
) -> None:
    # A request holding the audit lock needs one more thread to validate its response and
    # commit; with fewer threads than requests in flight, those queued behind the lock could
    # hold them all (seen as 30 s pool timeouts in the meetings benchmark).
    settings = settings.model_copy(update={"server": ServerSettings(limit_concurrency=150)})
    with TestClient(create_app(settings, database)) as client:
        assert client.portal is not None
        tokens = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter())
        assert tokens.total_tokens >= 150 + 16
