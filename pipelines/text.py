"""Text helpers the pipelines share: NFC on the way in, as the app normalises its own input."""

from __future__ import annotations

import unicodedata


def nfc(value: str) -> str:
    """NFC-normalise and trim (the same rule as `app.core.text.nfc`, which cannot be imported
    from here: pipelines never import the app)."""
    return unicodedata.normalize("NFC", value).strip()
