"""The API's error answers in OpenAPI, in the shape the handlers in app.main send them."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

BEARER = "bearer"
ERROR = "ErrorOut"
INVALID = "InvalidOut"

_SCHEMAS: dict[str, dict[str, Any]] = {
    ERROR: {
        "title": ERROR,
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "description": "A stable code: not_found, conflict…"},
            "message": {"type": "string", "description": "For people, in the caller's language"},
            "details": {"description": "More about the error, when there is more"},
        },
    },
    INVALID: {
        "title": INVALID,
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "const": "invalid"},
            "message": {"type": "string"},
            # Every invalid parameter or body field; a service's own check may name its
            # objects instead (the tasks not yet done), or leave the message to say it all.
            "details": {
                "anyOf": [
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["field", "message"],
                            "properties": {
                                "field": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                    {"type": "object"},
                ]
            },
        },
    },
}

# Which errors an operation can answer. The permission model makes an object the caller may
# not see answer exactly like a missing one, so 404 is possible wherever something is named.
_SIGNED_IN = {
    "401": "Not signed in, or the token has expired or been revoked",
    "403": "Signed in, but the caller's roles do not allow this",
    "404": "A named object does not exist or is not visible to the caller",
}
_WRITE = {"409": "The object's state does not allow this now"}
_BODY = {
    "400": "The body could not be parsed",
    "413": "The body is larger than this operation accepts",
}
_ALWAYS = {
    "422": "A parameter or the body is not valid",
    "503": "The database cannot be reached for now; try again after Retry-After",
}
# Everything else needs a bearer token from /auth/token (or the web's session cookie).
_PUBLIC = {("post", "/api/v1/auth/token")}
# Throttled operations.
_THROTTLED = {
    ("post", "/api/v1/auth/token"): {
        "401": "Wrong username or password",
        "429": "Too many attempts; try again later",
    },
    ("post", "/api/v1/meetings/{meeting_id}/check-in"): {
        "429": "Too many attempts; try again later",
    },
}


# A response model whose class name another one shares gets a component named after its module
# path (votes' and audit's VerifyOut, badges' and members' AwardOut). Issue 11 moved modules, and
# the minutes' own JobOut and VersionOut (issue 14) made jobs' and documents' collide; clients
# generated from the published document know the names below, so the document keeps them. The
# classes stay where they are: only the component names (and every $ref to them) are mapped
# back. Generated name -> published name.
PUBLISHED_NAMES = {
    "app__votes__schemas__VerifyOut": "app__meetings__votes_schemas__VerifyOut",
    "app__badges__schemas__AwardOut": "app__members__badges__AwardOut",
    "app__jobs__schemas__JobOut": "JobOut",
    "app__documents__schemas__VersionOut": "VersionOut",
}
_REF = "#/components/schemas/"


def document_errors(app: FastAPI) -> None:
    """Add the error answers to every /api/ operation of `app.openapi()`, under published names."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            keep_published_names(schema)
            add_errors(schema)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def add_errors(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update(_SCHEMAS)
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from POST /api/v1/auth/token",
    }
    for path, item in schema.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, op in item.items():
            _add_to_operation(op, path, method)


def _add_to_operation(op: dict[str, Any], path: str, method: str) -> None:
    errors: dict[str, str] = {}
    if (method, path) not in _PUBLIC:
        op.setdefault("security", [{BEARER: []}])
        errors |= _SIGNED_IN
        if method != "get":
            errors |= _WRITE
    if "requestBody" in op:
        errors |= _BODY
        if "multipart/form-data" in op["requestBody"].get("content", {}):
            errors["415"] = "The file's type is not one this operation accepts"
    errors |= _ALWAYS | _THROTTLED.get((method, path), {})
    responses = op.setdefault("responses", {})
    for status, description in sorted(errors.items()):
        model = INVALID if status == "422" else ERROR
        current = responses.get(status)
        if current is None or _is_fastapi_default(current):
            responses[status] = {
                "description": description,
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}
                },
            }


def _is_fastapi_default(response: dict[str, Any]) -> bool:
    """FastAPI's own 422 (`{"detail": [...]}`): app.main answers in the envelope instead."""
    ref = response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
    return bool(ref and ref.endswith("/HTTPValidationError"))


def keep_published_names(schema: dict[str, Any]) -> None:
    """Rename the components in `PUBLISHED_NAMES`, and every $ref to them, in place."""
    schemas = schema.get("components", {}).get("schemas", {})
    renames = {old: new for old, new in PUBLISHED_NAMES.items() if old in schemas}
    if not renames:
        return
    for new in renames.values():
        if new in schemas:
            raise RuntimeError(f"OpenAPI component {new} would be defined twice")
    # In name order, as FastAPI lists them, so the served bytes are the published ones too.
    renamed = {renames.get(name, name): body for name, body in schemas.items()}
    schema["components"]["schemas"] = {name: renamed[name] for name in sorted(renamed)}
    refs = {_REF + old: _REF + new for old, new in renames.items()}
    _rewrite_refs(schema, refs)


def _rewrite_refs(node: Any, refs: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in refs:
            node["$ref"] = refs[ref]
        for value in node.values():
            _rewrite_refs(value, refs)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value, refs)
