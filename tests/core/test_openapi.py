"""OpenAPI documents the error answers the API really sends (the fuzz test holds every answer to it)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.openapi import ERROR, INVALID
from tests.factories.accounts import bearer
from tests.factories.org import Org


def _ref(response: dict) -> str:  # type: ignore[type-arg]
    return str(response["content"]["application/json"]["schema"]["$ref"]).rsplit("/", 1)[-1]


def test_every_api_operation_documents_its_errors(app: FastAPI) -> None:
    for path, item in app.openapi()["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in item.items():
            responses = op["responses"]
            where = f"{method.upper()} {path}"
            assert "422" in responses and "503" in responses, where
            if path == "/api/v1/imports/members":
                assert _ref(responses["422"]) == "ImportErrorsOut"
            else:
                assert _ref(responses["422"]) == INVALID, where
            if path != "/api/v1/auth/token":
                assert op["security"] == [{"bearer": []}], where
                assert _ref(responses["404"]) == ERROR, where
            if "requestBody" in op:
                assert "400" in responses and "413" in responses, where


def test_the_documented_envelope_is_what_is_sent(
    app: FastAPI, client: TestClient, session: Session, org: Org
) -> None:
    schemas = app.openapi()["components"]["schemas"]
    h = bearer(session, org.accounts["admin"])
    missing = client.get("/api/v1/documents/4321", headers=h).json()
    assert set(schemas[ERROR]["required"]) <= set(missing) <= set(schemas[ERROR]["properties"])
    invalid = client.post("/api/v1/members", json={"unit_id": "x"}, headers=h).json()
    assert set(schemas[INVALID]["required"]) <= set(invalid)
    assert all(set(d) == {"field", "message"} for d in invalid["details"])


def test_files_are_documented_with_their_media_types(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    file_types = paths["/api/v1/documents/{document_id}/file"]["get"]["responses"]["200"]
    assert {"application/pdf", "text/plain"} <= set(file_types["content"])
    report = paths["/api/v1/reports/units/{unit_id}/export"]["get"]["responses"]["200"]
    assert set(report["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
