"""The "Cài đặt đơn vị" page (issue 17): reached from the unit page, saved, refused with reasons."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.org import Org
from tests.factories.transfers import web_login

CUSTOM = {
    "full_name": "Chi bộ Khu phố 1, phường Bến Nghé",
    "superior_name": "Đảng ủy phường Bến Nghé, Quận 1",
    "quorum_mode": "custom",
    "numerator": "1",
    "denominator": "2",
    "strict": "at_least",
    "base": "all_members",
}


def test_settings_are_linked_saved_and_shown(
    client: TestClient, session: Session, org: Org
) -> None:
    unit = org.units["A"]
    csrf = web_login(client, session, org.accounts["admin"])
    assert f"/units/{unit.id}/settings" in client.get(f"/units/{unit.id}").text
    page = client.get(f"/units/{unit.id}/settings")
    assert page.status_code == 200 and "Cài đặt đơn vị" in page.text
    resp = client.post(f"/units/{unit.id}/settings", data=CUSTOM, headers=csrf)
    assert resp.status_code == 200, resp.text  # followed the redirect back to the page
    assert "Đã lưu cài đặt." in resp.text
    session.refresh(unit)
    assert unit.full_name == CUSTOM["full_name"]
    assert (unit.quorum_numerator, unit.quorum_denominator) == (1, 2)
    assert (unit.quorum_strict, unit.quorum_base) == (False, "all_members")

    resp = client.post(
        f"/units/{unit.id}/settings", data={**CUSTOM, "quorum_mode": "default"}, headers=csrf
    )
    session.refresh(unit)
    assert resp.status_code == 200 and unit.quorum_numerator is None


def test_bad_input_is_shown_beside_its_field_and_kept(
    client: TestClient, session: Session, org: Org
) -> None:
    unit = org.units["A"]
    csrf = web_login(client, session, org.accounts["admin"])
    bad = {**CUSTOM, "numerator": "3", "full_name": "Tên mới " + "x" * 300}
    resp = client.post(f"/units/{unit.id}/settings", data=bad, headers=csrf)
    assert resp.status_code == 422
    assert 'class="field-error"' in resp.text
    assert "Quá dài" in resp.text
    assert "Tỉ lệ túc số không được lớn hơn 1" in resp.text
    assert 'value="3"' in resp.text  # what was typed comes back
    session.refresh(unit)
    assert unit.full_name == "" and unit.quorum_numerator is None

    resp = client.post(
        f"/units/{unit.id}/settings", data={**CUSTOM, "numerator": "hai"}, headers=csrf
    )
    assert resp.status_code == 422 and "Phải là số" in resp.text


def test_only_those_who_manage_the_unit(client: TestClient, session: Session, org: Org) -> None:
    unit = org.units["A"]
    csrf = web_login(client, session, org.accounts["sec_a"])
    assert f"/units/{unit.id}/settings" not in client.get(f"/units/{unit.id}").text
    assert client.get(f"/units/{unit.id}/settings").status_code == 403
    resp = client.post(f"/units/{unit.id}/settings", data=CUSTOM, headers=csrf)
    assert resp.status_code == 403
    assert client.get(f"/units/{org.units['B'].id}/settings").status_code == 404
