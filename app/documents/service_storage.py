"""File storage seam: documents are kept by the sha256 of their content; local disk by default."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from sqlalchemy import event, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.config import Settings
from app.core.errors import AppError

CHUNK = 1024 * 1024


class TooLarge(AppError):
    status_code = 413
    code = "too_large"


@dataclass
class Staged:
    """A received file in a temporary place, hashed, not yet stored."""

    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class Storage(Protocol):
    def stage_dir(self) -> Path:
        """Where uploads are written while they are checked (same filesystem as the store)."""
        ...

    def put(self, staged: Staged) -> bool:
        """Move a checked file into place under its hash; True if this created the object."""
        ...

    def open(self, sha256: str) -> BinaryIO: ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None: ...


class LocalStorage:
    """`<files_dir>/documents/ab/cd/<sha256>`; staging in `<files_dir>/documents/.staging`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def stage_dir(self) -> Path:
        path = self.root / ".staging"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def put(self, staged: Staged) -> bool:
        target = self._path(staged.sha256)
        if target.exists():
            staged.discard()
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        # Same filesystem, so the rename is atomic: a reader never sees half a file.
        os.replace(staged.path, target)
        return True

    def open(self, sha256: str) -> BinaryIO:
        return self._path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).exists()

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)


def get_storage(settings: Settings) -> Storage:
    """The configured storage; only the local disk exists today."""
    return LocalStorage(settings.files_dir / "documents")


async def stage_upload(storage: Storage, chunks: AsyncIterator[bytes], max_bytes: int) -> Staged:
    """Write an upload to a temporary file while hashing it; refuse it once past `max_bytes`."""
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(dir=storage.stage_dir(), prefix="up-")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(
                        "Tệp quá lớn (tối đa {limit} MB)", limit=max(1, max_bytes // (1024 * 1024))
                    )
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Staged(path=path, sha256=digest.hexdigest(), size=size)


def store_in_transaction(
    session: Session, storage: Storage, staged: Staged, sha_column: InstrumentedAttribute[Any]
) -> None:
    """Move the checked file into place; if the transaction then fails, take it away again.

    `sha_column` is the column that refers to stored blobs (a document version's or a
    recording's `sha256`): another committed row may have stored the same bytes meanwhile, and
    then the file stays."""
    created = storage.put(staged)
    if not created:
        return
    sha = staged.sha256

    def _cleanup(sess: Session) -> None:
        with Session(bind=sess.get_bind()) as check:
            used = check.scalar(select(func.count()).where(sha_column == sha))
        if not used:
            storage.delete(sha)

    def _committed(sess: Session) -> None:
        if event.contains(sess, "after_rollback", _cleanup):
            event.remove(sess, "after_rollback", _cleanup)

    event.listen(session, "after_rollback", _cleanup, once=True)
    event.listen(session, "after_commit", _committed, once=True)
