"""Job kinds and periodic steps are registered by importing `app.kinds`, not by module names."""

from __future__ import annotations

from app import kinds
from app.feedback.tasks import queue_summaries
from app.jobs import service_registry as registry
from app.meetings.tasks import run_reminders
from app.votes.tasks import run_autoclose


def test_every_tasks_module_registers_its_kinds() -> None:
    assert len(kinds.KIND_MODULES) == len(set(kinds.KIND_MODULES))
    assert {"units.report", "system.selftest", "knowledge.index", "recordings.transcribe"} <= set(
        registry.all_kinds()
    )


def test_periodic_steps_are_the_domains_own() -> None:
    steps = {step.name: step.run for step in registry.periodic_steps()}
    assert steps == {
        "meetings.reminders": run_reminders,
        "votes.autoclose": run_autoclose,
        "feedback.summaries": queue_summaries,
    }
