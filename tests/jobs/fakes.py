"""Test doubles for jobs: a dispatcher that keeps the job ids instead of ringing the broker.

Tests divert sends one way only, `app.jobs.service_dispatch.use_dispatcher` (through
`recording_jobs`): the request's dispatcher and knowledge's index hook both ask there first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.jobs.service_dispatch import use_dispatcher


class RecordingDispatcher:
    """Keeps the ids instead of sending them."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def send(self, job_id: int) -> None:
        self.sent.append(job_id)


@contextmanager
def recording_jobs() -> Iterator[RecordingDispatcher]:
    """Every job this process sends, from a request or a hook, is kept by the recorder."""
    recorder = RecordingDispatcher()
    use_dispatcher(recorder)
    try:
        yield recorder
    finally:
        use_dispatcher(None)
