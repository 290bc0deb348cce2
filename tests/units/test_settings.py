"""Unit settings (issue 17): printed names and the default quorum, through the service and API."""

from __future__ import annotations

import unicodedata

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.permissions import Actor, load_actor
from app.meetings.models import QuorumBase
from app.meetings.schemas import QuorumRule
from app.units import service_settings
from app.units.schemas import UnitSettingsIn
from tests.factories.accounts import bearer
from tests.factories.org import Org

RULE = {"numerator": 1, "denominator": 2, "strict": False, "base": "all_members"}


def actor(session: Session, org: Org, name: str) -> Actor:
    a = load_actor(session, org.accounts[name].id)
    assert a is not None
    return a


def ctx(org: Org, name: str = "admin") -> AuditContext:
    return AuditContext(actor_account_id=org.accounts[name].id, ip="127.0.0.1")


def test_defaults_are_derived_from_the_tree(session: Session, org: Org) -> None:
    out = service_settings.get_settings(
        session, actor=actor(session, org, "sec_a"), unit_id=org.units["A"].id
    )
    assert (out.full_name, out.superior_name, out.quorum) == ("", "", None)
    assert out.printed_full_name == "Chi bộ Khu phố 1"
    # The secretary cannot open the ward's page, yet the cell's papers still name it.
    assert out.printed_superior_name == "Đảng ủy phường Bến Nghé"
    assert out.quorum_in_use == QuorumRule()


def test_update_sets_names_and_rule_then_clears_them(session: Session, org: Org) -> None:
    admin = actor(session, org, "admin")
    unit = org.units["A"]
    data = UnitSettingsIn(
        full_name="Chi bộ Khu phố 1, phường Bến Nghé",
        superior_name="Đảng ủy phường Bến Nghé, Quận 1",
        quorum=QuorumRule.model_validate(RULE),
    )
    out = service_settings.update_settings(
        session, ctx(org), actor=admin, unit_id=unit.id, data=data
    )
    assert out.printed_full_name == "Chi bộ Khu phố 1, phường Bến Nghé"
    assert out.quorum_in_use.base == QuorumBase.all_members
    assert (unit.quorum_numerator, unit.quorum_denominator, unit.quorum_strict) == (1, 2, False)
    row = session.scalar(
        select(AuditLog).where(AuditLog.action == "unit.settings").order_by(AuditLog.id.desc())
    )
    assert row is not None and row.object_id == str(unit.id)

    # Saving the same settings again changes nothing and writes no second audit row.
    service_settings.update_settings(session, ctx(org), actor=admin, unit_id=unit.id, data=data)
    count = session.scalars(select(AuditLog.id).where(AuditLog.action == "unit.settings")).all()
    assert len(count) == 1

    out = service_settings.update_settings(
        session, ctx(org), actor=admin, unit_id=unit.id, data=UnitSettingsIn()
    )
    assert (out.full_name, out.quorum, unit.quorum_base) == ("", None, None)
    assert out.printed_full_name == "Chi bộ Khu phố 1"


def test_permissions_and_scope(session: Session, org: Org) -> None:
    data = UnitSettingsIn(full_name="Tên mới")
    with pytest.raises(Forbidden):  # visible to the cell's secretary, not theirs to configure
        service_settings.update_settings(
            session, ctx(org, "sec_a"), actor=actor(session, org, "sec_a"),
            unit_id=org.units["A"].id, data=data,
        )  # fmt: skip
    with pytest.raises(NotFound):  # another cell: as if it did not exist
        service_settings.get_settings(
            session, actor=actor(session, org, "sec_a"), unit_id=org.units["B"].id
        )


def test_dissolved_unit_keeps_its_settings(session: Session, org: Org) -> None:
    from app.core.db import utcnow

    unit = org.units["A1"]
    unit.dissolved_at = utcnow()
    session.flush()
    with pytest.raises(Conflict):
        service_settings.update_settings(
            session, ctx(org), actor=actor(session, org, "admin"), unit_id=unit.id,
            data=UnitSettingsIn(full_name="Tổ đảng"),
        )  # fmt: skip


def test_api_reads_and_replaces_settings(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["admin"])
    uid = org.units["A"].id
    decomposed = unicodedata.normalize("NFD", "Chi bộ Khu phố 1,  phường Bến Nghé ")
    resp = client.put(
        f"/api/v1/units/{uid}/settings",
        json={"full_name": decomposed, "quorum": RULE},
        headers=h,
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["full_name"] == "Chi bộ Khu phố 1, phường Bến Nghé"
    assert unicodedata.is_normalized("NFC", body["full_name"])
    assert body["quorum"] == RULE
    assert body["printed_superior_name"] == "Đảng ủy phường Bến Nghé"

    got = client.get(
        f"/api/v1/units/{uid}/settings", headers=bearer(session, org.accounts["mem_a"])
    )
    assert got.status_code == 200
    assert got.json() == body


@pytest.mark.parametrize(
    "payload",
    [
        {"quorum": {"numerator": 3, "denominator": 2}},
        {"quorum": {"numerator": 0, "denominator": 2}},
        {"quorum": {**RULE, "base": "everyone"}},
        {"full_name": "x" * 256},
        {"nickname": "CB1"},
    ],
)
def test_api_refuses_bad_input_and_keeps_the_old(
    client: TestClient, session: Session, org: Org, payload: dict[str, object]
) -> None:
    h = bearer(session, org.accounts["admin"])
    uid = org.units["A"].id
    client.put(f"/api/v1/units/{uid}/settings", json={"full_name": "Chi bộ số 1"}, headers=h)
    resp = client.put(f"/api/v1/units/{uid}/settings", json=payload, headers=h)
    assert resp.status_code == 422
    assert client.get(f"/api/v1/units/{uid}/settings", headers=h).json()["full_name"] == (
        "Chi bộ số 1"
    )


def test_api_out_of_scope_is_a_missing_unit(client: TestClient, session: Session, org: Org) -> None:
    h = bearer(session, org.accounts["sec_a"])
    hidden = client.get(f"/api/v1/units/{org.units['B'].id}/settings", headers=h)
    missing = client.get("/api/v1/units/999999/settings", headers=h)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    # Visible but not the secretary's to configure.
    resp = client.put(
        f"/api/v1/units/{org.units['A'].id}/settings", json={"full_name": "Tên"}, headers=h
    )
    assert resp.status_code == 403
