"""A unit's report names the unit as its papers print it: its full name once set (issue 17)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import bearer
from tests.factories.org import Org


def test_report_uses_the_units_full_name(client: TestClient, session: Session, org: Org) -> None:
    unit = org.units["A"]
    url = f"/api/v1/reports/units/{unit.id}"
    h = bearer(session, org.accounts["sec_a"])
    assert client.get(url, headers=h).json()["unit_name"] == "Chi bộ Khu phố 1"
    unit.full_name = "Chi bộ Khu phố 1, phường Bến Nghé"
    session.flush()
    assert client.get(url, headers=h).json()["unit_name"] == "Chi bộ Khu phố 1, phường Bến Nghé"
