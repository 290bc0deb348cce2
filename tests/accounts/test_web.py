"""Account administration pages (issue 17): the office creates an account and prints the slip,
the member activates at /activate and signs in; reset, deactivate, unlock and grants by form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Account, Role, RoleGrant
from app.core.deps import CSRF_COOKIE
from app.core.localtime import local_today
from app.core.permissions import load_actor
from tests.accounts.test_admin import ward_admin
from tests.factories.org import Org
from tests.factories.transfers import web_login

SLIP_CODE = re.compile(r'class="slip-value slip-code">([A-Z0-9]{4}-[A-Z0-9]{4})<')
PASSWORD = "mat-khau-rieng-2026"


def _activate(client: TestClient, username: str, code: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    client.cookies.clear()
    page = client.get("/activate")
    assert page.status_code == 200 and "Kích hoạt tài khoản" in page.text
    token = client.cookies.get(CSRF_COOKIE)
    return client.post(
        "/activate",
        data={
            "username": username,
            "code": code,
            "new_password": password,
            "confirm_password": password,
            "csrf_token": token,
        },
        follow_redirects=False,
    )


def _sign_in(client: TestClient, username: str, password: str = PASSWORD) -> int:
    client.cookies.clear()
    client.get("/login")
    token = client.cookies.get(CSRF_COOKIE)
    resp = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return resp.status_code


def test_office_creates_an_account_prints_the_slip_and_the_member_activates(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["admin"])
    listing = client.get("/accounts", params={"find": "Lê Văn"})
    assert listing.status_code == 200
    assert "Lê Văn Tổ" in listing.text and "Quản lý tài khoản" in listing.text
    member_id = org.members["mem_a1"].id
    slip = client.post("/accounts", data={"member_id": str(member_id)}, headers=csrf)
    assert slip.status_code == 200
    assert "Phiếu kích hoạt tài khoản" in slip.text and "tolv" in slip.text
    match = SLIP_CODE.search(slip.text)
    assert match is not None
    code = match.group(1)
    # The slip is the only place the code appears: not on the account's page afterwards.
    account = session.scalars(select(Account).where(Account.username == "tolv")).one()
    detail = client.get(f"/accounts/{account.id}")
    assert detail.status_code == 200 and code not in detail.text
    assert "Chờ kích hoạt" in detail.text

    wrong = _activate(client, "tolv", "ABCD-EFGH")
    assert wrong.status_code == 401 and "mã kích hoạt không đúng" in wrong.text
    mismatch = client.post(
        "/activate",
        data={
            "username": "tolv",
            "code": code,
            "new_password": PASSWORD,
            "confirm_password": "khac-nhau-123",
            "csrf_token": client.cookies.get(CSRF_COOKIE),
        },
    )
    assert mismatch.status_code == 422
    done = _activate(client, "tolv", code)
    assert done.status_code == 303 and done.headers["location"] == "/login?activated=1"
    assert "Đã đặt mật khẩu" in client.get("/login?activated=1").text
    assert _sign_in(client, "tolv") == 303
    assert _activate(client, "tolv", code, "mat-khau-khac-999").status_code == 401


def test_staff_account_form_names_what_is_missing(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["admin"])
    resp = client.post(
        "/accounts", data={"unit_id": str(org.units["W1"].id), "display_name": " "}, headers=csrf
    )
    assert resp.status_code == 422 and "Chưa nhập họ và tên" in resp.text
    accented = client.post(
        "/accounts",
        data={
            "unit_id": str(org.units["W1"].id),
            "display_name": "Ngô Văn Phòng",
            "username": "phòng ngô",
        },
        headers=csrf,
    )
    assert accented.status_code == 422 and "chữ không dấu" in accented.text
    made = client.post(
        "/accounts",
        data={"unit_id": str(org.units["W1"].id), "display_name": "Ngô Văn Phòng"},
        headers=csrf,
    )
    assert made.status_code == 200 and "phongnv" in made.text


def test_reset_deactivate_and_reactivate_from_the_account_page(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["admin"])
    target = org.accounts["mem_a"].id
    slip = client.post(f"/accounts/{target}/code", headers=csrf)
    assert slip.status_code == 200 and SLIP_CODE.search(slip.text)
    off = client.post(f"/accounts/{target}/deactivate", headers=csrf, follow_redirects=False)
    assert off.status_code == 303 and off.headers["location"].endswith("?done=deactivated")
    page = client.get(off.headers["location"])
    assert "Đã khóa tài khoản" in page.text and "Mở lại tài khoản" in page.text
    on = client.post(f"/accounts/{target}/reactivate", headers=csrf, follow_redirects=False)
    assert on.status_code == 303
    unlock = client.post(f"/accounts/{target}/unlock", headers=csrf, follow_redirects=False)
    assert unlock.status_code == 303


def test_grant_and_revoke_by_form_within_the_granters_roles(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, ward_admin(session, org))
    mem_a = org.accounts["mem_a"]
    page = client.get(f"/accounts/{mem_a.id}")
    assert page.status_code == 200
    assert "Quản trị thành ủy" not in page.text  # the city admin role is above a ward admin
    missing_reason = client.post(
        f"/accounts/{mem_a.id}/grants",
        data={"role": "cell_secretary", "unit_id": str(org.units["A"].id), "reason": ""},
        headers=csrf,
    )
    assert missing_reason.status_code == 422 and "Lý do" in missing_reason.text
    above = client.post(
        f"/accounts/{mem_a.id}/grants",
        data={"role": "city_admin", "unit_id": str(org.units["A"].id), "reason": "thử"},
        headers=csrf,
    )
    assert above.status_code == 403 and "cao hơn vai trò của mình" in above.text
    ok = client.post(
        f"/accounts/{mem_a.id}/grants",
        data={
            "role": "cell_secretary",
            "unit_id": str(org.units["A"].id),
            "starts_on": local_today().isoformat(),
            "reason": "Quyết định số 12-QĐ/ĐU",
        },
        headers=csrf,
        follow_redirects=False,
    )
    assert ok.status_code == 303, ok.text
    actor = load_actor(session, mem_a.id)
    assert actor is not None and Role.cell_secretary in actor.roles()
    roles = client.get("/accounts/roles", params={"unit_id": org.units["A"].id})
    assert roles.status_code == 200 and "Bí thư chi bộ" in roles.text
    grant_id = session.scalars(select(RoleGrant.id).where(RoleGrant.account_id == mem_a.id)).one()
    gone = client.post(
        f"/grants/{grant_id}/revoke", data={"reason": "Chuyển đi"}, headers=csrf,
        follow_redirects=False,
    )  # fmt: skip
    assert gone.status_code == 303
    # Outside the ward admin's scope the account page does not exist.
    assert client.get(f"/accounts/{org.accounts['mem_d'].id}").status_code == 404


def test_pages_need_account_management(client: TestClient, session: Session, org: Org) -> None:
    web_login(client, session, org.accounts["sec_a"])
    assert client.get("/accounts").status_code == 403
    client.cookies.clear()
    resp = client.get("/accounts", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login")
