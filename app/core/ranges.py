"""Stored audio answered with HTTP byte ranges, so a player (or a podcast app) can seek.

One `Range: bytes=a-b` (or a suffix `bytes=-n`) is honoured; anything else gets the whole file."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from fastapi.responses import Response, StreamingResponse

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
_CHUNK = 256 * 1024


def starts_playback(range_header: str | None) -> bool:
    """No range, or one from byte 0: a playback starting, not a player fetching a later chunk."""
    match = _RANGE.fullmatch((range_header or "").strip())
    return match is None or match.group(1) == "0"


def byte_range_response(
    open_blob: Callable[[], BinaryIO], size: int, range_header: str | None, media_type: str
) -> Response:
    """200 with the whole blob, 206 with the asked range, or 416 for a range past its end."""
    start, end, status = 0, size - 1, 200
    match = _RANGE.fullmatch((range_header or "").strip())
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # a suffix: the last N bytes
            start = max(0, size - int(last))
        if start >= size or start > end:
            return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
        status = 206
    handle = open_blob()
    handle.seek(start)
    length = end - start + 1

    def _iter() -> Iterator[bytes]:
        left = length
        with handle:
            while left > 0 and (chunk := handle.read(min(_CHUNK, left))):
                left -= len(chunk)
                yield chunk

    headers = {
        "Accept-Ranges": "bytes",
        "Content-Length": str(length),
        "Cache-Control": "private, no-store",
    }
    if status == 206:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return StreamingResponse(_iter(), status_code=status, media_type=media_type, headers=headers)
