"""Question history is the asker's own: listed and readable by them, by nobody else."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import bearer
from tests.factories.org import Org


def test_history_is_private_to_the_asker(client: TestClient, session: Session, org: Org) -> None:
    mine = bearer(session, org.accounts["mem_a"])
    resp = client.post(
        "/api/v1/assistant/ask", json={"question": "Hạn nộp đảng phí là ngày nào?"}, headers=mine
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert set(body) == {"answer", "citations", "found"}
    assert body["found"] is False and body["answer"].startswith("Không tìm thấy")
    listed = client.get("/api/v1/assistant/questions", headers=mine).json()
    assert [q["question"] for q in listed] == ["Hạn nộp đảng phí là ngày nào?"]
    qid = listed[0]["id"]
    assert client.get(f"/api/v1/assistant/questions/{qid}", headers=mine).status_code == 200
    for other in ("mem_b", "sec_a", "staff_w1", "admin", "auditor"):
        headers = bearer(session, org.accounts[other])
        assert client.get(f"/api/v1/assistant/questions/{qid}", headers=headers).status_code == 404
        assert client.get("/api/v1/assistant/questions", headers=headers).json() == []
    assert client.get(f"/api/v1/assistant/questions/{qid}").status_code == 401


def test_english_question_is_answered_in_english(
    client: TestClient, session: Session, org: Org
) -> None:
    resp = client.post(
        "/api/v1/assistant/ask",
        json={"question": "When is the deadline for the party fee?"},
        headers=bearer(session, org.accounts["mem_a"]),
    )
    assert resp.json()["answer"] == "Not found in the documents you may see."
