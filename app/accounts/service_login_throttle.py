"""Sign-in throttles: per login and source, per login (fresh sources pass), per source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.core import throttle
from app.core.config import AuthSettings
from app.core.text import digits, nfc

_PHONE = re.compile(r"[0-9 +().\-]+")


def login_key(login: str, phone: str) -> str:
    """One spelling per login whether or not an account has it, so both count alike.

    `phone` is the login as normalise_phone writes it; used when the login looks like one.
    """
    login = nfc(login).strip().lower()
    if _PHONE.fullmatch(login) and len(digits(login)) >= 9:
        return "phone:" + phone
    return "user:" + login


@dataclass
class LoginGate:
    """The three buckets of one sign-in attempt, read once before the password is checked."""

    session: Session
    now: datetime
    pair: str
    login: str
    source: str | None
    pair_policy: throttle.Policy
    login_policy: throttle.Policy
    source_policy: throttle.Policy
    wait: int  # seconds before the password is looked at again; 0: check it now

    @classmethod
    def open(
        cls, session: Session, cfg: AuthSettings, *, login: str, ip: str | None, now: datetime
    ) -> LoginGate:
        """Read the buckets of `login` (a login_key) tried from `ip`."""
        pair = throttle.key("login-source", login, ip or "")
        login_bucket = throttle.key("login", login)
        source = throttle.key("source", ip) if ip else None
        keys = [pair, login_bucket] + ([source] if source else [])
        forget = cfg.throttle_forget_hours * 3600
        found = throttle.states(session, keys, now, forget)
        waits = [found[pair].wait(now)]
        if source:
            waits.append(found[source].wait(now))
        # The loose per-login throttle holds only sources already failing on this login, so the
        # owner still signs in from a new source, or one used before, while an attacker is held.
        fresh = found[pair].failures == 0 or found[pair].trusted
        if not fresh:
            waits.append(found[login_bucket].wait(now))
        return cls(
            session=session,
            now=now,
            pair=pair,
            login=login_bucket,
            source=source,
            pair_policy=throttle.policy(cfg, free=cfg.login_free_failures),
            login_policy=throttle.policy(cfg, free=cfg.account_free_failures),
            source_policy=throttle.policy(cfg, free=cfg.source_free_failures),
            wait=max(waits),
        )

    def failed(self) -> bool:
        """Count a wrong password in every bucket; True when the per-login delays just began."""
        throttle.fail(self.session, self.pair, self.pair_policy, self.now)
        if self.source:
            throttle.fail(self.session, self.source, self.source_policy, self.now)
        count = throttle.fail(self.session, self.login, self.login_policy, self.now)
        return count == self.login_policy.free + 1

    def passed(self) -> None:
        """A right password clears its source's failures on this login and trusts the source.

        The per-login and per-source counts stay: one success must not give a guesser elsewhere
        a fresh allowance; they fade after the forget window.
        """
        throttle.succeed(self.session, self.pair)
