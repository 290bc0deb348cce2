"""Sign-in throttles: growing delays per login and source, no lockout, no existence oracle."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from app.core.config import AuthSettings
from tests.factories.accounts import PASSWORD
from tests.factories.clock import use_clock
from tests.factories.org import Org

CFG = AuthSettings()
WRONG = "sai-mat-khau"


def source(app: FastAPI, ip: str) -> TestClient:
    """A client whose requests come from `ip`."""
    return TestClient(app, client=(ip, 50000))


def token(client: TestClient, username: str, password: str = PASSWORD) -> Response:
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def seen(resp: Response) -> tuple[int, object, str | None]:
    """What a caller can tell apart: status, body and Retry-After."""
    return resp.status_code, resp.json(), resp.headers.get("retry-after")


def test_failures_from_one_source_do_not_stop_the_owner_at_another(app: FastAPI, org: Org) -> None:
    use_clock(app)
    attacker, owner = source(app, "203.0.113.7"), source(app, "198.51.100.20")
    for _ in range(CFG.login_free_failures + 3):
        assert token(attacker, "mem_a", WRONG).status_code in (401, 429)
    held = token(attacker, "mem_a")  # the right password, but from the guessing source
    assert held.status_code == 429 and int(held.headers["retry-after"]) > 0
    assert token(owner, "mem_a").status_code == 200  # at once, no 423 and no wait


def test_unknown_and_existing_logins_answer_alike_through_the_throttle(
    app: FastAPI, org: Org
) -> None:
    clock = use_clock(app)
    logins = (("mem_a", "203.0.113"), ("khong-ton-tai", "192.0.2"))

    def both(attempt: int, password: str = WRONG) -> list[tuple[int, object, str | None]]:
        # Each login from its own addresses at the same moments, so that only the login differs.
        return [
            seen(token(source(app, f"{prefix}.{attempt % 6 + 1}"), login, password))
            for login, prefix in logins
        ]

    statuses = []
    for attempt in range(60):
        existing, unknown = both(attempt)
        assert existing == unknown, f"attempt {attempt}: {existing} != {unknown}"
        statuses.append(existing[0])
        clock.advance(7)
    assert set(statuses) == {401, 429}, statuses  # the sequence went through the delays
    # While held, the account's right password is answered as any guess at the unknown name.
    held = [seen(token(source(app, f"{p}.1"), login, PASSWORD)) for login, p in logins]
    assert held[0] == held[1] and held[0][0] == 429, held


def test_a_spraying_source_waits_but_others_and_later_attempts_pass(app: FastAPI, org: Org) -> None:
    clock = use_clock(app)
    sprayer, office = source(app, "203.0.113.50"), source(app, "198.51.100.9")
    for i in range(CFG.source_free_failures + 1):
        assert token(sprayer, f"user{i}", WRONG).status_code == 401
    assert token(office, "admin").status_code == 200
    held = token(sprayer, "admin")
    assert held.status_code == 429
    wait = int(held.headers["retry-after"])
    clock.advance(wait - 1)
    assert token(sprayer, "admin").status_code == 429
    clock.advance(1)
    assert token(sprayer, "admin").status_code == 200


def test_each_delay_is_longer_than_the_last(app: FastAPI, org: Org) -> None:
    clock = use_clock(app)
    client = source(app, "203.0.113.8")
    waits = []
    for _ in range(CFG.login_free_failures):
        assert token(client, "mem_a", WRONG).status_code == 401
    for _ in range(4):
        assert token(client, "mem_a", WRONG).status_code == 401  # checked, and a delay starts
        held = token(client, "mem_a")
        assert held.status_code == 429
        waits.append(int(held.headers["retry-after"]))
        clock.advance(waits[-1])
    assert waits == sorted(waits) and len(set(waits)) == len(waits), waits
    assert waits[0] == CFG.throttle_base_seconds
    assert token(client, "mem_a").status_code == 200  # after the last wait, the owner is in


def test_a_held_login_still_lets_in_new_and_trusted_sources(
    app: FastAPI, session: Session, org: Org
) -> None:
    use_clock(app)
    home = source(app, "198.51.100.1")
    assert token(home, "mem_a").status_code == 200
    # A botnet: a few guesses from each of many addresses, past the loose per-login limit.
    per_source = CFG.login_free_failures - 1
    for n in range(CFG.account_free_failures // per_source + 1):
        for _ in range(per_source):
            resp = token(source(app, f"203.0.113.{n + 1}"), "mem_a", WRONG)
            assert resp.status_code in (401, 429)
    guesser = source(app, "203.0.113.1")
    assert token(guesser, "mem_a").status_code == 429  # failing sources wait, right or wrong
    # The owner mistypes at home, then gets it right: home signed in before, so it passes.
    assert token(home, "mem_a", WRONG).status_code == 401
    assert token(home, "mem_a").status_code == 200
    # ... and from an address never seen, too.
    assert token(source(app, "198.51.100.77"), "mem_a").status_code == 200
    actions = session.scalars(
        select(AuditLog.action).where(AuditLog.object_id == str(org.accounts["mem_a"].id))
    )
    assert "account.throttled" in set(actions)


def test_phone_spellings_share_one_throttle(app: FastAPI, session: Session, org: Org) -> None:
    org.accounts["mem_b"].phone = "0912345678"
    session.flush()
    use_clock(app)
    client = source(app, "203.0.113.9")
    spellings = ["0912345678", "+84 912 345 678", "84912345678", "091-234-5678"]
    for i in range(CFG.login_free_failures + 1):
        assert token(client, spellings[i % len(spellings)], WRONG).status_code == 401
    assert token(client, "0912 345 678").status_code == 429


def test_web_login_form_says_how_long_to_wait(app: FastAPI, org: Org) -> None:
    clock = use_clock(app)
    client = source(app, "203.0.113.10")
    client.get("/login")
    csrf = client.cookies.get("sotay_csrf")

    def submit(password: str, lang: str | None = None) -> Response:
        form = {"username": "mem_a", "password": password, "csrf_token": csrf or ""}
        params = {"lang": lang} if lang else None
        return client.post("/login", data=form, params=params, follow_redirects=False)

    for _ in range(CFG.login_free_failures + 1):
        assert submit(WRONG).status_code == 401
    held = submit(PASSWORD)
    assert held.status_code == 429 and held.headers["retry-after"] == "30"
    assert "Bạn đã thử quá nhiều lần, vui lòng thử lại sau 1 phút" in held.text
    english = submit(PASSWORD, lang="en")
    assert english.status_code == 429 and "Too many attempts; please try again in 1 min" in (
        english.text
    )
    # The owner elsewhere signs in through the same form meanwhile.
    elsewhere = source(app, "198.51.100.30")
    elsewhere.get("/login")
    form = {
        "username": "mem_a",
        "password": PASSWORD,
        "csrf_token": elsewhere.cookies.get("sotay_csrf") or "",
    }
    assert elsewhere.post("/login", data=form, follow_redirects=False).status_code == 303
    clock.advance(30)
    assert submit(PASSWORD).status_code == 303
