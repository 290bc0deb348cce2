"""Votes over HTTP: the API round trip and the web ballot and tally pages."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.votes.models import Ballot
from app.votes.service import list_items
from tests.factories.accounts import bearer
from tests.factories.org import Org
from tests.factories.transfers import web_login
from tests.factories.votes import make_vote


def test_secret_vote_round_trip(client: TestClient, session: Session, org: Org) -> None:
    chair = bearer(session, org.accounts["sec_a"])
    mem = bearer(session, org.accounts["mem_a"])
    body = {
        "unit_id": org.units["A"].id,
        "title": "Bầu chi ủy",
        "kind": "secret",
        "form": "candidates",
        "items": ["Trần Thị Bình", "Nguyễn Văn An"],
    }
    r = client.post("/api/v1/votes", json=body, headers=chair)
    assert r.status_code == 201, r.text
    vote = r.json()
    vid, items = vote["id"], [i["id"] for i in vote["items"]]
    assert client.post(f"/api/v1/votes/{vid}/open", headers=chair).status_code == 200
    ballot = {"answers": [{"item_id": i, "choice": "agree"} for i in items]}
    r = client.post(f"/api/v1/votes/{vid}/ballots", json=ballot, headers=mem)
    assert r.status_code == 201 and r.json() == {"participated": True}
    r = client.post(f"/api/v1/votes/{vid}/ballots", json=ballot, headers=mem)
    assert r.status_code == 409
    tally = client.get(f"/api/v1/votes/{vid}/tally", headers=mem).json()
    assert tally["items"] is None and tally["participated"] == 1
    assert client.post(f"/api/v1/votes/{vid}/close", headers=mem).status_code == 403
    assert client.post(f"/api/v1/votes/{vid}/close", headers=chair).status_code == 200
    tally = client.get(f"/api/v1/votes/{vid}/tally", headers=mem).json()
    assert [i["counts"]["agree"] for i in tally["items"]] == [1, 1]
    assert all(i["passed"] is False for i in tally["items"])  # 1 of 2 present is not a majority
    assert client.get(f"/api/v1/votes/{vid}/verify", headers=chair).json()["ok"] is True
    other = bearer(session, org.accounts["mem_b"])
    assert client.get(f"/api/v1/votes/{vid}", headers=other).status_code == 404
    assert client.get(f"/api/v1/votes/{vid}/tally", headers=other).status_code == 404


def test_proxy_header_cannot_vote(client: TestClient, session: Session, org: Org) -> None:
    vote = make_vote(session, org)
    item = vote.id  # any id: the proxy is refused before the answers are looked at
    headers = {
        **bearer(session, org.accounts["sec_a"]),
        "X-On-Behalf-Of": str(org.members["mem_a"].id),
    }
    r = client.post(
        f"/api/v1/votes/{vote.id}/ballots",
        json={"answers": [{"item_id": item, "choice": "agree"}]},
        headers=headers,
    )
    assert r.status_code == 403
    assert session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_invalid_vote_is_a_clean_422(client: TestClient, session: Session, org: Org) -> None:
    chair = bearer(session, org.accounts["sec_a"])
    r = client.post(
        "/api/v1/votes",
        json={"unit_id": org.units["A"].id, "title": "X", "kind": "secret", "items": []},
        headers=chair,
    )
    assert r.status_code == 422


def test_web_ballot_and_tally_pages(client: TestClient, session: Session, org: Org) -> None:
    vote = make_vote(session, org, kind="open")
    csrf = web_login(client, session, org.accounts["mem_a"])
    page = client.get(f"/votes/{vote.id}")
    assert page.status_code == 200 and "Gửi biểu quyết" in page.text
    item_id = list_items(session, vote_id=vote.id)[0].id
    r = client.post(
        f"/votes/{vote.id}/cast",
        data={f"choice_{item_id}": "other", f"comment_{item_id}": ""},
        headers=csrf,
    )
    assert r.status_code == 422 and "ý kiến khác" in r.text
    r = client.post(
        f"/votes/{vote.id}/cast",
        data={f"choice_{item_id}": "agree"},
        headers=csrf,
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Đã ghi nhận biểu quyết của đồng chí" in r.text
    assert "Gửi biểu quyết" not in r.text  # the ballot form is gone once cast
    tally = client.get(f"/votes/{vote.id}/tally")
    assert tally.status_code == 200 and "hx-get" in tally.text and "Nguyễn Văn An" in tally.text
    assert client.get("/votes").status_code == 200
