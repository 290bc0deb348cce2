"""NFC at the door: query strings and urlencoded form bodies reach every route normalised."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORM_TYPE = b"application/x-www-form-urlencoded"


def nfc_pairs(raw: bytes) -> bytes:
    """`raw` (a query string or urlencoded body) with every name and value in NFC.

    Decoded as Starlette decodes it (latin-1, then percent escapes as UTF-8), so a route sees
    the same text it would have, only composed. Already-NFC input comes back as the same bytes.
    """
    if b"%" not in raw and raw.isascii():
        return raw  # plain ASCII is NFC by definition: the common case costs one scan
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    if all(unicodedata.is_normalized("NFC", k + v) for k, v in pairs):
        return raw
    fixed = [(unicodedata.normalize("NFC", k), unicodedata.normalize("NFC", v)) for k, v in pairs]
    return urlencode(fixed).encode("ascii")


def _is_form(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            media: bytes = value.split(b";")[0].strip().lower()
            return media == FORM_TYPE
    return False


class NFCInputMiddleware:
    """Pure ASGI. Runs inside the body-size limit, so the form body it gathers is bounded.

    JSON bodies are normalised by their schemas (`NFCStr`), multipart text fields where they
    are read (documents.upload); what is left, query parameters and plain forms, is here: no
    route has to remember it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        fixed = nfc_pairs(query)
        if fixed is not query:
            scope = {**scope, "query_string": fixed}
        if _is_form(scope):
            receive = _FormReceive(receive)
        await self.app(scope, receive, send)


class _FormReceive:
    """Gathers the form body on the first call and hands it on in one normalised message."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._done = False

    async def __call__(self) -> Message:
        if self._done:
            return await self._receive()
        chunks: list[bytes] = []
        while True:
            message: dict[str, Any] = dict(await self._receive())
            if message["type"] != "http.request":
                return message  # a disconnect: pass it on as it came
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        self._done = True
        return {"type": "http.request", "body": nfc_pairs(b"".join(chunks)), "more_body": False}
