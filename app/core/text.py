"""Vietnamese text helpers: NFC normalisation on the way in, and accent folding for search."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """NFC-normalise and trim; input from forms, files and the API all pass through here."""
    return unicodedata.normalize("NFC", value).strip()


def password_form(value: str) -> str:
    """NFKC, as NIST SP 800-63B advises for passwords: composed or decomposed accents and
    full-width forms compare equal. Not trimmed: every character typed counts."""
    return unicodedata.normalize("NFKC", value)


def clean_name(value: str) -> str:
    """A person's or unit's name: NFC, single spaces."""
    return _SPACES.sub(" ", nfc(value))


def fold(value: str) -> str:
    """Lower-case and strip diacritics so that "nguyen van a" matches "Nguyễn Văn A".

    đ/Đ is a separate letter, not a combining mark, so NFD alone would keep it.
    """
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


# C0 controls but tab, newline and carriage return, and DEL. PostgreSQL cannot store NUL at
# all (the insert failed as a 500) and XML, so XLSX and DOCX, none of them.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_controls(value: str) -> str:
    if _CONTROLS.search(value):
        raise ValueError("Văn bản chứa ký tự điều khiển không hợp lệ")
    return value


# Use these in every pydantic input schema: text is NFC-normalised at the boundary.
NFCStr = Annotated[str, AfterValidator(nfc), AfterValidator(no_controls)]
NameStr = Annotated[str, AfterValidator(clean_name), AfterValidator(no_controls)]
# Passwords: normalised, never trimmed (hashing normalises again, for callers without a schema).
PasswordStr = Annotated[str, AfterValidator(password_form)]
