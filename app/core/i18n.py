"""Message catalogues: Vietnamese source strings, English translations from a gettext .po file.

The active locale lives in a context variable set per request, so templates, error handlers
and services all translate the same way without passing the locale around.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = ("vi", "en")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

current_locale: ContextVar[str] = ContextVar("current_locale", default="vi")


@cache
def catalogue(locale: str) -> dict[str, str]:
    """msgid -> msgstr for a locale; Vietnamese is the source language, so it is empty.

    Every .po file in the locale's folder is merged: one file per domain keeps edits apart.
    """
    out: dict[str, str] = {}
    if locale == "vi":
        return out
    for po in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            cat = read_po(fh, locale=locale)
        out.update({str(m.id): str(m.string) for m in cat if m.id and m.string and not m.fuzzy})
    return out


def N_(message: str) -> str:
    """Marks a msgid for extraction (babel.cfg) where it is translated later, at display."""
    return message


def gettext(message: str) -> str:
    return catalogue(current_locale.get()).get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


_ = gettext


def pick_locale(query: str | None, cookie: str | None, accept: str | None, default: str) -> str:
    for candidate in (query, cookie):
        if candidate in LOCALES:
            return candidate
    if accept:
        for part in accept.split(","):
            tag = part.split(";")[0].strip().lower()[:2]
            if tag in LOCALES:
                return tag
    return default
