"""Model files from pinned packages, checked by sha256 before they are loaded.

A different file means a different model: vectors would stop matching the ones already indexed
and transcripts would silently change. `vectorstore` and `audio` both load their models through
here; each passes the exception type its callers expect.
"""

from __future__ import annotations

import hashlib
import importlib
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def sha256_file(path: Path) -> str:
    """The file's sha256, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=32)
def _hash_of(path: str, size: int, mtime_ns: int) -> str:
    # Keyed on size and mtime so each file is hashed once per process, not per load.
    return sha256_file(Path(path))


def file_hash(path: Path) -> str:
    """The file's sha256, remembered for as long as its size and mtime stay the same."""
    stat = path.stat()
    return _hash_of(str(path), stat.st_size, stat.st_mtime_ns)


def check_file(path: Path, expected: str, pin: str, error: type[Exception]) -> None:
    """Raise `error` unless `path` exists with sha256 `expected`; `pin` names its package."""
    if not path.is_file():
        raise error(f"{pin}: {path} is missing; reinstall the pinned package")
    found = file_hash(path)
    if found != expected:
        raise error(
            f"{path} has sha256 {found}, expected {expected} ({pin}); reinstall the pinned package"
        )


def package_dir(
    distribution: str, module: str, pinned: str, error: type[Exception], install: str
) -> Path:
    """The folder of `module` once `distribution` is installed at exactly `pinned`; `install`
    is the command the error message suggests."""
    try:
        installed = version(distribution)
    except PackageNotFoundError as exc:
        raise error(f"{distribution} is not installed: {install}") from exc
    if installed != pinned:
        raise error(f"{distribution} {installed} is installed, {pinned} is pinned")
    return Path(importlib.import_module(module).__file__ or "").parent
