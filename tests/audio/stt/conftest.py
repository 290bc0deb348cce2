"""Clips and engines shared by the speech-to-text tests; each engine loads once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

CLIPS = Path(__file__).resolve().parents[2] / "data" / "stt"


@pytest.fixture(scope="session")
def clips() -> Path:
    return CLIPS
