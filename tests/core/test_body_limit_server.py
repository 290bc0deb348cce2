"""A 300 MB chunked upload to a real server is cut off at the limit: temporary disk stays bounded."""

from __future__ import annotations

import os
import select
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import starlette.formparsers
from fastapi import FastAPI
from sqlalchemy.orm import Session

from app.core.config import Settings
from tests.factories.accounts import bearer
from tests.factories.org import Org
from tests.factories.serving import serve

MB = 1024 * 1024
CHUNK = 64 * 1024
TOTAL = 300 * MB


class DiskMeter:
    """Peak bytes of temporary storage: files under the watched folders, and open files in them
    that are already unlinked (Python's TemporaryFile is), polled from a thread; plus the exact
    size of every spooled multipart file at each write, which polling could miss."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = [str(r) for r in roots]
        self.peak = 0
        self.spooled: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _usage(self) -> int:
        sizes: dict[tuple[int, int], int] = {}
        for root in self.roots:
            for dirpath, _dirs, files in os.walk(root):
                for name in files:
                    try:
                        st = os.stat(os.path.join(dirpath, name))
                    except FileNotFoundError:
                        continue
                    sizes[(st.st_dev, st.st_ino)] = st.st_size
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
                if target.startswith(tuple(self.roots)):
                    st = os.stat(f"/proc/self/fd/{fd}")
                    sizes[(st.st_dev, st.st_ino)] = st.st_size
            except OSError:
                continue
        return sum(sizes.values())

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._usage())
            time.sleep(0.002)

    def wrote(self, key: int, size: int) -> None:
        self.spooled[key] = size
        self.peak = max(self.peak, sum(self.spooled.values()))

    def __enter__(self) -> DiskMeter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _meter_spooled_files(monkeypatch: pytest.MonkeyPatch, meter: DiskMeter) -> None:
    base = starlette.formparsers.SpooledTemporaryFile

    class Metered(base):  # type: ignore[misc, valid-type]
        def write(self, data: Any) -> int:
            written: int = super().write(data)
            meter.wrote(id(self), self.tell())
            return written

    monkeypatch.setattr(starlette.formparsers, "SpooledTemporaryFile", Metered)


def chunked_post(port: int, path: str, headers: dict[str, str], head: bytes) -> tuple[int, int]:
    """Send `head` then zeros up to 300 MB with chunked encoding, never holding more than one
    chunk; stop as soon as the server answers. Returns (status, bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=120)
    lines = [f"POST {path} HTTP/1.1", "Host: test", "Transfer-Encoding: chunked"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    sent = 0
    block = b"\0" * CHUNK
    pieces = [head]
    try:
        while sent < TOTAL:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            piece = pieces.pop() if pieces else block
            sock.sendall(b"%x\r\n%b\r\n" % (len(piece), piece))
            sent += len(piece)
        else:
            sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed: read the answer below
    answer = b""
    try:
        while b"\r\n" not in answer and (data := sock.recv(65536)):
            answer += data
    except ConnectionResetError:
        pass
    sock.close()
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer.split(b" ", 2)[1]), sent


def _multipart_head(boundary: str, field: str, filename: str) -> bytes:
    return (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("path", "account", "limit_of"),
    [
        ("/api/v1/documents", "staff_w1", "documents"),
        ("/api/v1/imports/members", "admin", "imports"),
    ],
)
def test_a_chunked_300_mb_upload_is_refused_with_bounded_temporary_disk(
    app: FastAPI,
    session: Session,
    org: Org,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    account: str,
    limit_of: str,
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    staging = settings.files_dir / "documents" / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    limit = getattr(settings, limit_of).max_bytes
    boundary = "gioihan300"
    headers = {
        **bearer(session, org.accounts[account]),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    with DiskMeter([temp, staging]) as meter:
        _meter_spooled_files(monkeypatch, meter)
        with serve(app) as port:
            status, sent = chunked_post(
                port, path, headers, _multipart_head(boundary, "file", "lon.pdf")
            )
    print(f"{path}: peak temporary disk {meter.peak / MB:.1f} MB, client sent {sent / MB:.1f} MB")
    assert status == 413
    assert meter.peak < limit + MB
    # The server stopped reading near the limit; what the client got out in the meantime
    # sat in socket buffers.
    assert sent < TOTAL
    assert not list(temp.iterdir())
    assert not list(staging.iterdir())
