"""Matrix entries for documents: upload, versions, audience, publish, withdraw, read, read rates.

Targets: a document issued by the target unit. A published one is addressed to the target unit
with its subtree, so a member of A also sees a document addressed to their parent W1, and ward
staff see city-wide documents; nobody sees a sibling cell's documents.
"""

from __future__ import annotations

from typing import Any

from tests.factories.documents import make_document
from tests.permissions.matrix import Case, RouteSpec, merge, roles_on

MANAGERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")
MANAGERS_ANYWHERE = roles_on({"none"}, "secretary", "ward_staff", "city_admin")
READERS = merge(
    roles_on({"own", "parent"}, "member"),
    roles_on({"own", "child", "parent"}, "secretary", "ward_staff"),
    roles_on({"own", "child"}, "city_admin", "auditor"),
)
# Read receipts belong to members: accounts without a member record are refused.
MEMBER_READERS = merge(
    roles_on({"own", "parent"}, "member"), roles_on({"own", "child", "parent"}, "secretary")
)
RATE_READERS = {k: v for k, v in READERS.items() if k != "member"}
SIGNED_IN = roles_on({"none"}, "member", "secretary", "ward_staff", "city_admin", "auditor")
TXT = {"file": ("ke-hoach.txt", "Kế hoạch số 05\n".encode(), "text/plain")}


def _doc(c: Case, *, publish: bool, audience: bool = True) -> dict[str, Any]:
    assert c.unit is not None
    doc = make_document(
        c.session,
        c.settings,
        by=c.org.accounts["admin"],
        unit=c.unit,
        audience=[c.unit] if audience else None,
        publish=publish,
    )
    return {"document_id": doc.id}


def published(c: Case) -> dict[str, Any]:
    return _doc(c, publish=True)


def draft(c: Case) -> dict[str, Any]:
    return _doc(c, publish=False, audience=False)


def draft_with_audience(c: Case) -> dict[str, Any]:
    return _doc(c, publish=False)


def create_form(c: Case) -> dict[str, Any]:
    return {
        "unit_id": str(c.unit.id if c.unit else 0),
        "kind": "thong_bao",
        "title": "Thông báo lịch sinh hoạt",
        "number": "12-TB/CB",
    }


SPECS = [
    RouteSpec("POST", "/api/v1/documents", MANAGERS, form=create_form, files=lambda c: TXT),
    RouteSpec("GET", "/api/v1/documents", SIGNED_IN, targetless=True),
    RouteSpec("GET", "/api/v1/documents/{document_id}", READERS, setup=published),
    RouteSpec("GET", "/api/v1/documents/{document_id}/file", READERS, setup=published),
    RouteSpec("POST", "/api/v1/documents/{document_id}/read", MEMBER_READERS, setup=published),
    RouteSpec("GET", "/api/v1/documents/{document_id}/read-rates", RATE_READERS, setup=published),
    RouteSpec(
        "POST",
        "/api/v1/documents/{document_id}/versions",
        MANAGERS,
        setup=draft,
        files=lambda c: TXT,
    ),
    RouteSpec(
        "PUT",
        "/api/v1/documents/{document_id}/audience",
        MANAGERS,
        setup=draft,
        body=lambda c: {"audience": [{"unit_id": c.unit.id if c.unit else 0}]},
    ),
    RouteSpec(
        "POST", "/api/v1/documents/{document_id}/publish", MANAGERS, setup=draft_with_audience
    ),
    RouteSpec("POST", "/api/v1/documents/{document_id}/withdraw", MANAGERS, setup=published),
    # Web pages.
    RouteSpec("GET", "/documents", SIGNED_IN, targetless=True, web=True),
    RouteSpec("GET", "/documents/new", MANAGERS_ANYWHERE, targetless=True, web=True),
    RouteSpec("POST", "/documents/new", MANAGERS, web=True, form=create_form, files=lambda c: TXT),
    RouteSpec("GET", "/documents/{document_id}", READERS, setup=published, web=True),
    RouteSpec(
        "POST",
        "/documents/{document_id}/audience",
        MANAGERS,
        setup=draft,
        web=True,
        form=lambda c: {"unit_id": str(c.unit.id if c.unit else 0), "include_subtree": "1"},
    ),
    RouteSpec(
        "POST", "/documents/{document_id}/publish", MANAGERS, setup=draft_with_audience, web=True
    ),
    RouteSpec("POST", "/documents/{document_id}/withdraw", MANAGERS, setup=published, web=True),
    RouteSpec(
        "POST",
        "/documents/{document_id}/comments",
        MEMBER_READERS,
        setup=published,
        web=True,
        form=lambda c: {"title": "Góp ý mục 1", "body": "Nên bổ sung thời hạn."},
    ),
]
