"""PostgreSQL going away under a loop of reads and writes: 0 answers of 500, 503 with Retry-After,
and no write half done. The outage is made on a database of its own (its connections killed,
new ones refused) so that the shared server is never restarted under other tests."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core.audit import AuditLog
from app.core.db import Database
from app.core.migrate import upgrade
from app.main import create_app
from app.units.models import Unit
from tests.conftest import PG_URL, make_settings, recreate_pg_database
from tests.factories.accounts import bearer
from tests.factories.org import build_org
from tests.factories.serving import serve

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="needs SOTAY_TEST_DATABASE_URL (PostgreSQL)"),
]

SECONDS = 8.0
CLIENTS = 4


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    without_retry_after: int = 0
    created: set[str] = field(default_factory=set)  # codes answered 201
    refused: set[str] = field(default_factory=set)  # codes answered 503
    lock: threading.Lock = field(default_factory=threading.Lock)


class Outage(threading.Thread):
    """Kills every connection to the database again and again; every other round refuses new
    ones for a while too, as a server shutting down and starting up does."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.name_ = make_url(url).database
        self.admin = create_engine(
            make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT"
        )
        self.stop = threading.Event()
        self.kills = 0

    def _terminate(self) -> None:
        with self.admin.connect() as conn:
            self.kills += (
                conn.scalar(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE datname = :db AND pid <> pg_backend_pid()"
                    ),
                    {"db": self.name_},
                )
                or 0
            )

    def _allow(self, allowed: bool) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{self.name_}" ALLOW_CONNECTIONS {allowed}'))

    def run(self) -> None:
        round_ = 0
        while not self.stop.is_set():
            round_ += 1
            if round_ % 2:
                self._allow(False)
                self._terminate()
                time.sleep(0.4)
                self._allow(True)
            else:
                self._terminate()
            time.sleep(0.3)
        self._allow(True)
        self.admin.dispose()


@pytest.fixture
def outage_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    base = make_url(PG_URL)
    url = base.set(database=f"{base.database}_outage").render_as_string(hide_password=False)
    recreate_pg_database(url)
    settings = make_settings(tmp_path_factory.mktemp("outage"), url)
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    yield db
    db.dispose()


def _client_loop(port: int, n: int, headers: dict[str, str], parent_id: int, tally: Tally) -> None:
    deadline = time.monotonic() + SECONDS
    i = 0
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        while time.monotonic() < deadline:
            i += 1
            if i % 3:
                resp = client.get("/api/v1/units", headers=headers)
                code = ""
            else:
                code = f"OUT{n}-{i}"
                body = {"code": code, "name": f"Chi bộ {code}", "kind": "cell"}
                resp = client.post(
                    "/api/v1/units", json={**body, "parent_id": parent_id}, headers=headers
                )
            with tally.lock:
                tally.statuses[resp.status_code] += 1
                if resp.status_code == 503:
                    tally.without_retry_after += "retry-after" not in resp.headers
                    if code:
                        tally.refused.add(code)
                elif code and resp.status_code == 201:
                    tally.created.add(code)


def test_a_database_outage_under_a_request_loop_answers_503_never_500(
    outage_db: Database,
) -> None:
    with outage_db.session() as session:
        org = build_org(session)
        headers = bearer(session, org.accounts["admin"])
        parent_id = org.units["W1"].id
    app = create_app(outage_db.settings, outage_db)
    tally = Tally()
    outage = Outage(outage_db.settings.database_url)
    with serve(app) as port:
        clients = [
            threading.Thread(target=_client_loop, args=(port, n, headers, parent_id, tally))
            for n in range(CLIENTS)
        ]
        outage.start()
        for t in clients:
            t.start()
        for t in clients:
            t.join()
        outage.stop.set()
        outage.join()
    print(f"statuses {dict(tally.statuses)}, connections killed {outage.kills}")

    assert tally.statuses[500] == 0
    assert set(tally.statuses) <= {200, 201, 503}
    assert tally.statuses[503] > 0, "the outage never showed: the test proves nothing"
    assert tally.statuses[200] > 0 and tally.created, "nothing got through between outages"
    assert tally.without_retry_after == 0

    with Session(outage_db.engine) as session:
        units = dict(
            session.execute(select(Unit.code, Unit.id).where(Unit.code.like("OUT%"))).all()
        )
        all_ids = {str(i) for i in session.scalars(select(Unit.id))}
        audited = set(
            session.scalars(select(AuditLog.object_id).where(AuditLog.action == "unit.created"))
        )
    # All or nothing per request: every unit answered 201 is there, none answered 503 is, and
    # every creation's audit row belongs to a unit that exists (and the other way round).
    assert tally.created == set(units)
    assert not tally.refused & set(units)
    assert {str(i) for i in units.values()} <= audited
    assert audited <= all_ids
