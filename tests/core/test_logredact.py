"""The access log keeps no search terms and no citizen-ID-like numbers (issue 9, finding 9)."""

from __future__ import annotations

import logging
import socket
import threading
import time

import httpx
import uvicorn
from fastapi import FastAPI
from uvicorn.logging import AccessFormatter

from app.core.logredact import MASK, redact

CCCD = "001234567890"


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_redact_masks_search_values_and_digit_runs() -> None:
    assert redact(f"/api/v1/members?q={CCCD}&limit=20") == f"/api/v1/members?q={MASK}&limit=20"
    assert redact("/members?status=active&q=Nguy%E1%BB%85n") == f"/members?status=active&q={MASK}"
    assert redact(f"/x?cccd={CCCD}") == f"/x?cccd={MASK}"
    assert redact("/x?old_id=123456789") == f"/x?old_id={MASK}"
    # Ordinary ids, dates and the like are left alone.
    assert redact("/api/v1/members/12345?year=2025") == "/api/v1/members/12345?year=2025"


def test_access_log_of_a_real_request_has_no_cccd(app: FastAPI) -> None:
    """A request served by uvicorn with `?q=<CCCD>` is logged with the number masked."""
    capture = _Capture()
    access = logging.getLogger("uvicorn.access")
    access.addHandler(capture)
    old_level = access.level
    access.setLevel(logging.INFO)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started
        resp = httpx.get(f"http://127.0.0.1:{port}/api/v1/members?q={CCCD}&cccd={CCCD}")
        assert resp.status_code == 401
    finally:
        server.should_exit = True
        thread.join(10)
        access.removeHandler(capture)
        access.setLevel(old_level)
    assert capture.records, "uvicorn wrote no access log record"
    for record in capture.records:
        assert CCCD not in record.getMessage()
        line = AccessFormatter(fmt='%(client_addr)s - "%(request_line)s" %(status_code)s')
        formatted = line.format(record)
        assert CCCD not in formatted and f"q={MASK}" in formatted
