"""OpenAPI documents the error answers the API really sends (the fuzz test holds every answer to it)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.openapi import ERROR, INVALID, PUBLISHED_NAMES
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


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_colliding_models_keep_their_published_names(app: FastAPI) -> None:
    # VerifyOut and AwardOut are each two classes, so their components carry module paths; the
    # published document named them after the modules they lived in before issue 11. JobOut and
    # VersionOut were published plain, before the minutes brought classes of the same names.
    document = app.openapi()
    schemas = document["components"]["schemas"]
    assert "app__meetings__votes_schemas__VerifyOut" in schemas
    assert "app__members__badges__AwardOut" in schemas
    assert "app__audit__schemas__VerifyOut" in schemas
    assert "app__members__schemas__AwardOut" in schemas
    assert set(PUBLISHED_NAMES).isdisjoint(schemas)
    generated = [name for name in schemas if name not in (ERROR, INVALID)]
    assert generated == sorted(generated)  # FastAPI's order, as before the renaming
    paths = document["paths"]
    verify = paths["/api/v1/votes/{vote_id}/verify"]["get"]["responses"]["200"]
    assert _ref(verify) == "app__meetings__votes_schemas__VerifyOut"
    award = paths["/api/v1/members/{member_id}/badges"]["post"]["responses"]["201"]
    assert _ref(award) == "app__members__badges__AwardOut"
    assert _ref(paths["/api/v1/jobs/{job_id}"]["get"]["responses"]["200"]) == "JobOut"
    version = paths["/api/v1/documents/{document_id}/versions"]["post"]["responses"]["201"]
    assert _ref(version) == "VersionOut"
    assert {"JobOut", "VersionOut"} <= set(schemas)


def test_every_ref_names_a_component(app: FastAPI) -> None:
    document = app.openapi()
    refs = set(_refs(document))
    assert refs
    prefix = "#/components/schemas/"
    assert all(ref.startswith(prefix) for ref in refs), refs
    dangling = {ref for ref in refs if ref[len(prefix) :] not in document["components"]["schemas"]}
    assert not dangling
