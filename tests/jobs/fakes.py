"""Test doubles for jobs: a dispatcher that keeps the job ids instead of ringing the broker."""

from __future__ import annotations


class RecordingDispatcher:
    """Keeps the ids instead of sending them; swapped in with `dependency_overrides` or
    `knowledge.service_hooks.use_dispatcher`."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def send(self, job_id: int) -> None:
        self.sent.append(job_id)
