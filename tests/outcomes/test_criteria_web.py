"""The "Tiêu chí tự đánh giá" page (issue 17): add, edit, move criteria and set the grade scale."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.outcomes import service_criteria
from tests.factories.org import Org
from tests.factories.transfers import web_login

BANDS = {
    "grade": ["dat", "chua_dat", ""],
    "label": ["Đạt", "Chưa đạt", ""],
    "min_percent": ["50", "0", ""],
}


def test_page_is_linked_and_changes_are_saved(
    client: TestClient, session: Session, org: Org
) -> None:
    unit = org.units["A"]
    csrf = web_login(client, session, org.accounts["admin"])
    assert f"/units/{unit.id}/assessment" in client.get(f"/units/{unit.id}").text
    page = client.get(f"/units/{unit.id}/assessment")
    assert page.status_code == 200 and "Tiêu chí tự đánh giá" in page.text
    url = f"/units/{unit.id}/assessment"

    new = {"code": "X1", "text": "Có sinh hoạt chuyên đề", "max_score": "5"}
    resp = client.post(f"{url}/criteria", data=new, headers=csrf)
    assert resp.status_code == 200 and "Có sinh hoạt chuyên đề" in resp.text
    config = service_criteria.config_out(session, unit=unit)
    assert config.own_criteria and config.criteria[-1].code == "X1"

    first = config.criteria[0]
    resp = client.post(
        f"{url}/criteria/{first.id}", data={"text": "Đúng giờ", "max_score": "9"}, headers=csrf
    )
    assert resp.status_code == 200
    config = service_criteria.config_out(session, unit=unit)
    assert (config.criteria[0].text, config.criteria[0].active) == ("Đúng giờ", False)

    resp = client.post(f"{url}/criteria/{first.id}/move", data={"direction": "down"}, headers=csrf)
    assert resp.status_code == 200
    assert service_criteria.config_out(session, unit=unit).criteria[1].id == first.id

    resp = client.post(f"{url}/bands", data=BANDS, headers=csrf)
    assert resp.status_code == 200
    assert [b.grade for b in service_criteria.config_out(session, unit=unit).bands] == [
        "dat",
        "chua_dat",
    ]


def test_bad_input_is_422_with_reasons_and_nothing_lost(
    client: TestClient, session: Session, org: Org
) -> None:
    unit = org.units["A"]
    csrf = web_login(client, session, org.accounts["admin"])
    url = f"/units/{unit.id}/assessment"
    resp = client.post(
        f"{url}/criteria", data={"code": "X 1", "text": "Tiêu chí", "max_score": "0"}, headers=csrf
    )
    assert resp.status_code == 422
    assert "Không đúng định dạng" in resp.text and "Không được nhỏ hơn 1" in resp.text
    assert 'value="X 1"' in resp.text
    assert not service_criteria.config_out(session, unit=unit).own_criteria

    gap = {**BANDS, "min_percent": ["50", "10", ""]}
    resp = client.post(f"{url}/bands", data=gap, headers=csrf)
    assert resp.status_code == 422
    assert "Thang xếp loại phải có một mức bắt đầu từ 0%" in resp.text
    assert 'value="10"' in resp.text
    assert not service_criteria.config_out(session, unit=unit).own_bands

    resp = client.post(
        f"{url}/criteria/999999", data={"text": "Tiêu chí", "max_score": "3"}, headers=csrf
    )
    assert resp.status_code == 404


def test_viewers_read_and_others_are_refused(
    client: TestClient, session: Session, org: Org
) -> None:
    unit = org.units["A"]
    csrf = web_login(client, session, org.accounts["sec_a"])
    page = client.get(f"/units/{unit.id}/assessment")
    assert page.status_code == 200 and "Thêm tiêu chí" not in page.text
    data = {"code": "X1", "text": "Tiêu chí", "max_score": "5"}
    resp = client.post(f"/units/{unit.id}/assessment/criteria", data=data, headers=csrf)
    assert resp.status_code == 403
    assert client.get(f"/units/{org.units['B'].id}/assessment").status_code == 404
