"""Fixtures for bulletins: the jobs' committed database, for running `bulletins.speak`."""

from __future__ import annotations

from tests.jobs.conftest import committed  # noqa: F401 - a fixture, used by name
