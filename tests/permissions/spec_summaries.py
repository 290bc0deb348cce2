"""Matrix entries for document summaries: whoever may read a document reads its summary (the
documents' READERS); adopting a summary task needs both the document in sight and the right to
assign tasks in the target unit (the tasks' MANAGERS, all of whom see the target's document).

Targets: a published directive issued by the target unit and addressed to it with its subtree,
its chunks recorded and its summary stored, as tests/summaries builds it.
"""

from __future__ import annotations

from typing import Any

from tests.factories.summaries import directive, index_chunks, store_summary
from tests.permissions.matrix import Case, OracleSpec, RouteSpec, draft_document_in
from tests.permissions.spec_documents import MANAGERS, READERS

# The directive's fourth task (index 3): members hand in their notes by 30 April next year.
MEMBER_TASK = 3


def summarised(c: Case) -> dict[str, Any]:
    from tests.factories.documents import make_document

    assert c.unit is not None
    doc = make_document(
        c.session,
        c.settings,
        by=c.org.accounts["admin"],
        unit=c.unit,
        audience=[c.unit],
        publish=True,
        content=directive().encode(),
    )
    index_chunks(c.session, c.settings, doc)
    store_summary(c.session, doc)
    return {"document_id": doc.id, "task_index": MEMBER_TASK}


def adopt(c: Case) -> dict[str, Any]:
    assert c.unit is not None
    return {"unit_id": c.unit.id, "assignee_member_id": c.member.id}


SUMMARY = "/api/v1/documents/{document_id}/summary"
ADOPT = "/api/v1/documents/{document_id}/summary/tasks/{task_index}/adopt"

SPECS = [
    RouteSpec("GET", SUMMARY, READERS, setup=summarised),
    RouteSpec("POST", ADOPT, MANAGERS, setup=summarised, body=adopt),
]

ORACLES = [
    OracleSpec(
        "summary of the parent ward's draft document",
        "GET",
        SUMMARY,
        "member",
        hidden=draft_document_in("W1"),
        path_params=lambda c, i: {"document_id": i},
    ),
    OracleSpec(
        "adopting a task of the parent ward's draft document",
        "POST",
        ADOPT,
        "secretary",
        hidden=draft_document_in("W1"),
        path_params=lambda c, i: {"document_id": i, "task_index": 0},
        body=lambda c, i: {"unit_id": c.org.units["A"].id, "assignee_member_id": 1},
    ),
]
