"""Catalogue hygiene: the per-domain .po files must not translate one msgid two ways."""

from __future__ import annotations

from collections import defaultdict

from babel.messages.pofile import read_po

from app.core.i18n import LOCALE_DIR, current_locale, gettext


def test_no_msgid_is_translated_differently_in_two_files() -> None:
    seen: dict[str, dict[str, str]] = defaultdict(dict)
    for po in sorted((LOCALE_DIR / "en" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for m in read_po(fh, locale="en"):
                if m.id and m.string:
                    seen[str(m.id)][po.name] = str(m.string)
    conflicts = {k: v for k, v in seen.items() if len(set(v.values())) > 1}
    assert not conflicts, conflicts


def test_gettext_follows_the_active_locale() -> None:
    token = current_locale.set("en")
    try:
        assert gettext("Đăng nhập") == "Sign in"
    finally:
        current_locale.reset(token)
    assert gettext("Đăng nhập") == "Đăng nhập"
