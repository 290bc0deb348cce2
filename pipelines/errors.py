"""What a pipeline raises for input it will not take: a Vietnamese msgid and its parameters.

The app turns a refusal into its own error (`app.core.errors.from_refusal`) with the same
message, parameters, code and status, so an upload and the indexer refuse a file alike.
"""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """Input a pipeline refuses; `message` is a catalogue msgid, translated by the app."""

    status_code = 422  # the HTTP status the app answers with
    code = "invalid"

    def __init__(self, message: str, *, details: Any = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.params = params
