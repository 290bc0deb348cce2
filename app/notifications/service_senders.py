"""The sender seam: notices go to the in-app inbox, then to any outside channel plugged in.

Email, SMS and Zalo are later plug-ins that implement `NotificationSender`. The offline defaults
are the inbox itself (rows written by `service.notify`) and an outbox that appends one JSON line
per message to a file and logs it, so an operator can see what would have been sent.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from app.notifications import service

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutgoingMessage:
    member_ids: tuple[int, ...]
    kind: str
    title: str
    body: str
    link: str | None
    unit_id: int | None


class NotificationSender(Protocol):
    """A channel that delivers a message to members; must not raise for one bad recipient."""

    name: str

    def send(self, message: OutgoingMessage) -> None: ...


class InAppSender:
    """The inbox: the rows are already written by `notify`, so there is nothing more to do."""

    name = "in_app"

    def send(self, message: OutgoingMessage) -> None:
        return None


class OutboxSender:
    """Appends each message as one JSON line to a file (and logs its kind and size)."""

    name = "outbox"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()

    def send(self, message: OutgoingMessage) -> None:
        # Bodies may hold names; only the kind and the number of recipients go to the log.
        log.info("outbox: %s to %d member(s)", message.kind, len(message.member_ids))
        if self.path is None:
            return
        line = json.dumps(asdict(message), ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")


_senders: list[NotificationSender] = [InAppSender(), OutboxSender()]


def configured_senders() -> Sequence[NotificationSender]:
    return tuple(_senders)


def use_senders(senders: Iterable[NotificationSender]) -> None:
    """Replace the channels (at start-up, or in a test)."""
    _senders[:] = list(senders)


def send_notice(
    session: Session,
    *,
    member_ids: Iterable[int],
    kind: str,
    title: str,
    body: str = "",
    link: str | None = None,
    unit_id: int | None = None,
) -> int:
    """Write the inbox rows, then hand the message to every configured channel."""
    ids = tuple(sorted(set(member_ids)))
    count = service.notify(
        session, member_ids=ids, kind=kind, title=title, body=body, link=link, unit_id=unit_id
    )
    message = OutgoingMessage(ids, kind, title, body, link, unit_id)
    for sender in configured_senders():
        try:
            sender.send(message)
        except Exception:  # one broken channel must not lose the in-app notice
            log.exception("notification sender %s failed", sender.name)
    return count
