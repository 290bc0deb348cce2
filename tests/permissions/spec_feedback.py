"""Matrix entries for feedback threads (góp ý) and ideas (kiến nghị).

Target: an idea opened by a member of the target unit (never the acting account). Only officers
who answer feedback in that unit's subtree see it: a member never sees a colleague's thread, and
no one sees a sibling cell's threads.
"""

from __future__ import annotations

from typing import Any

from tests.factories.feedback import make_idea
from tests.permissions.matrix import (
    Case,
    OracleSpec,
    RouteSpec,
    draft_document_in,
    meeting_in,
    roles_on,
)
from tests.permissions.spec_documents import MEMBER_READERS, READERS, published

ANSWERERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")
SIGNED_IN = roles_on({"none"}, "member", "secretary", "ward_staff", "city_admin", "auditor")
MEMBERS = roles_on({"none"}, "member", "secretary")
IDEA = {"title": "Đề nghị đổi giờ họp", "body": "Họp buổi tối thuận tiện hơn."}


def idea_in_target(c: Case) -> dict[str, Any]:
    return {"thread_id": make_idea(c.session, c.member).id}


def comment_body(c: Case) -> dict[str, Any]:
    return {"target_type": "document", "target_id": c.session.info["doc_id"], **IDEA}


def published_for_comment(c: Case) -> dict[str, Any]:
    ids = published(c)
    c.session.info["doc_id"] = ids["document_id"]
    return {}


def published_target(c: Case) -> dict[str, Any]:
    """A document published to the target unit: its feedback summary is read like its threads."""
    return {"target_type": "document", "target_id": published(c)["document_id"]}


SPECS = [
    RouteSpec(
        "POST", "/api/v1/feedback", MEMBER_READERS, setup=published_for_comment, body=comment_body
    ),
    RouteSpec("POST", "/api/v1/feedback/ideas", MEMBERS, targetless=True, body=lambda c: IDEA),
    RouteSpec("GET", "/api/v1/feedback", SIGNED_IN, targetless=True),
    RouteSpec("GET", "/api/v1/feedback/{thread_id}", ANSWERERS, setup=idea_in_target),
    RouteSpec(
        "POST",
        "/api/v1/feedback/{thread_id}/posts",
        ANSWERERS,
        setup=idea_in_target,
        body=lambda c: {"body": "Chi bộ tiếp thu."},
    ),
    RouteSpec(
        "POST",
        "/api/v1/feedback/{thread_id}/status",
        ANSWERERS,
        setup=idea_in_target,
        body=lambda c: {"status": "accepted"},
    ),
    RouteSpec(
        "GET",
        "/api/v1/feedback/{target_type}/{target_id}/summary",
        READERS,
        setup=published_target,
    ),
    RouteSpec("GET", "/feedback", SIGNED_IN, targetless=True, web=True),
    RouteSpec(
        "POST",
        "/feedback/ideas",
        MEMBERS,
        targetless=True,
        web=True,
        form=lambda c: IDEA,
    ),
    RouteSpec("GET", "/feedback/{thread_id}", ANSWERERS, setup=idea_in_target, web=True),
    RouteSpec(
        "POST",
        "/feedback/{thread_id}/posts",
        ANSWERERS,
        setup=idea_in_target,
        web=True,
        form=lambda c: {"body": "Chi bộ tiếp thu."},
    ),
    RouteSpec(
        "POST",
        "/feedback/{thread_id}/status",
        ANSWERERS,
        setup=idea_in_target,
        web=True,
        form=lambda c: {"status": "accepted"},
    ),
]


def _comment_on(kind: str) -> Any:
    return lambda c, i: {"target_type": kind, "target_id": i, **IDEA}


# A member comments only on what they can see: their cell's drafts read as missing.
ORACLES = [
    OracleSpec(
        "comment on the cell's draft meeting",
        "POST",
        "/api/v1/feedback",
        "member",
        hidden=meeting_in("A", "draft"),
        body=_comment_on("meeting"),
    ),
    OracleSpec(
        "comment on the ward's draft document",
        "POST",
        "/api/v1/feedback",
        "member",
        hidden=draft_document_in("W1"),
        body=_comment_on("document"),
    ),
    OracleSpec(
        "the feedback summary of the ward's draft document",
        "GET",
        "/api/v1/feedback/document/{target_id}/summary",
        "member",
        hidden=draft_document_in("W1"),
        path_params=lambda c, i: {"target_id": i},
    ),
    OracleSpec(
        "threads about another ward's document",
        "GET",
        "/api/v1/feedback",
        "member",
        hidden=draft_document_in("D"),
        query=lambda c, i: {"target_type": "document", "target_id": i},
    ),
]
