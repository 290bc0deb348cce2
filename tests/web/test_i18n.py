"""Message catalogues: every msgid in the code has English, and the language switch works."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from app.core.i18n import LOCALE_DIR, catalogue

ROOT = Path(__file__).resolve().parents[2]
_PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}")


def extracted_msgids() -> dict[str, set[str]]:
    """msgid -> the files it appears in, extracted exactly as `pybabel extract -F babel.cfg`."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh, "babel.cfg")
    found: dict[str, set[str]] = defaultdict(set)
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, directory_filter=lambda d: ".venv" not in d
    ):
        # ngettext gives a (singular, plural) tuple: both need a translation.
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                found[msgid].add(filename)
    return found


def test_extraction_sees_python_templates_and_error_classes() -> None:
    found = extracted_msgids()
    assert "Đăng nhập" in found  # a template
    assert "Không tìm thấy trang" in found  # gettext() in Python
    assert "Vui lòng đăng nhập" in found  # Unauthorized("...")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in found  # LoginResult(None, "...")


def test_every_msgid_has_an_english_translation() -> None:
    english = catalogue("en")
    missing: dict[str, list[str]] = defaultdict(list)
    for msgid, files in sorted(extracted_msgids().items()):
        if not english.get(msgid, "").strip():
            missing[min(files)].append(msgid)
    report = "\n".join(
        f"{file}:\n" + "\n".join(f"    {m!r}" for m in msgids)
        for file, msgids in sorted(missing.items())
    )
    count = sum(len(v) for v in missing.values())
    assert not missing, f"{count} msgids without English, by the first file using them:\n{report}"


def test_catalogues_parse_and_keep_placeholders() -> None:
    problems = []
    for po in sorted((LOCALE_DIR / "en" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            cat = read_po(fh, locale="en")
        for m in cat:
            if not m.id or not m.string:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strs = m.string if isinstance(m.string, tuple) else (m.string,)
            for i, s in zip(ids, strs, strict=False):
                if sorted(_PLACEHOLDER.findall(i)) != sorted(_PLACEHOLDER.findall(s)):
                    problems.append(f"{po.name}: {i!r} -> {s!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_login_page_switches_to_english_and_back(client: TestClient) -> None:
    resp = client.get("/login")
    assert '<html lang="vi">' in resp.text
    assert "Đăng nhập" in resp.text
    resp = client.get("/login", params={"lang": "en"})
    assert '<html lang="en">' in resp.text
    assert "<h1>Sign in</h1>" in resp.text
    assert "Username or phone number" in resp.text
    assert resp.headers["content-language"] == "en"
    assert client.cookies.get("sotay_lang") == "en"
    # The cookie keeps the choice on the next page without the parameter.
    assert "<h1>Sign in</h1>" in client.get("/login").text
    resp = client.get("/login", params={"lang": "vi"})
    assert "<h1>Đăng nhập</h1>" in resp.text
    assert client.cookies.get("sotay_lang") == "vi"


def test_api_errors_follow_accept_language(client: TestClient) -> None:
    resp = client.get("/api/v1/auth/me", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert resp.status_code == 401
    assert resp.json()["message"] == "Please sign in"
    resp = client.get("/api/v1/auth/me", headers={"Accept-Language": "vi"})
    assert resp.json()["message"] == "Vui lòng đăng nhập"
