"""Fixtures for units tests: the `units.report` job runs on a committed database of its own."""

from tests.jobs.conftest import committed  # noqa: F401 - fixture re-exported
