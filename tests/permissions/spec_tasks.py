"""Matrix entries for tasks (nhiệm vụ): API and web pages."""

from __future__ import annotations

from typing import Any

from app.tasks.models import TaskStatus
from tests.factories.tasks import make_task
from tests.permissions.matrix import (
    Case,
    OracleSpec,
    RouteSpec,
    draft_document_in,
    everyone_signed_in,
    meeting_in,
    roles_on,
    unit_params,
)

# task_manage on the target: cell officers on their cell, staff and admins on their subtree.
MANAGERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")
# Boards and statistics: the managers plus the read-only auditor (report_view).
OVERSEERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin", "auditor")


def open_task(c: Case) -> dict[str, Any]:
    """A task in the target unit assigned to one of its members (never the acting member)."""
    assert c.unit is not None
    return {"task_id": make_task(c.session, c.unit, c.member).id}


def done_task(c: Case) -> dict[str, Any]:
    assert c.unit is not None
    return {"task_id": make_task(c.session, c.unit, c.member, status=TaskStatus.done).id}


def new_task(c: Case) -> dict[str, Any]:
    return {
        "unit_id": c.unit.id if c.unit else 0,
        "assignee_member_id": c.member.id,
        "description": "Nắm tình hình dư luận khu phố",
        "start_date": "2026-03-01",
        "due_date": "2026-03-31",
    }


def new_task_form(c: Case) -> dict[str, Any]:
    body = new_task(c)
    body.pop("unit_id")
    return {k: str(v) for k, v in body.items()}


def batch(c: Case) -> dict[str, Any]:
    return {"items": [{"task_id": done_task(c)["task_id"], "grade": "HTT"}]}


_batch_form_ids: dict[int, int] = {}


def batch_form_setup(c: Case) -> dict[str, Any]:
    ids = done_task(c)
    _batch_form_ids[id(c.session)] = ids["task_id"]
    return unit_params()(c)


def batch_form(c: Case) -> dict[str, Any]:
    return {f"grade_{_batch_form_ids[id(c.session)]}": "HT"}


def by_unit(c: Case) -> dict[str, Any]:
    return {"unit_id": c.unit.id if c.unit else 0}


SPECS = [
    RouteSpec("POST", "/api/v1/tasks", MANAGERS, body=new_task),
    RouteSpec("GET", "/api/v1/tasks/mine", everyone_signed_in(), targetless=True),
    RouteSpec("GET", "/api/v1/tasks", OVERSEERS, query=by_unit),
    RouteSpec("GET", "/api/v1/tasks/stats", OVERSEERS, query=by_unit),
    RouteSpec("POST", "/api/v1/tasks/grade", MANAGERS, body=batch),
    RouteSpec("GET", "/api/v1/tasks/{task_id}", OVERSEERS, setup=open_task),
    RouteSpec("POST", "/api/v1/tasks/{task_id}/start", MANAGERS, setup=open_task),
    RouteSpec("POST", "/api/v1/tasks/{task_id}/complete", MANAGERS, setup=open_task),
    RouteSpec(
        "POST",
        "/api/v1/tasks/{task_id}/grade",
        MANAGERS,
        setup=done_task,
        body=lambda c: {"grade": "XS", "note": "Xuất sắc"},
    ),
    RouteSpec("GET", "/tasks/mine", everyone_signed_in(), targetless=True, web=True),
    RouteSpec("POST", "/tasks/{task_id}/start", MANAGERS, setup=open_task, web=True),
    RouteSpec("POST", "/tasks/{task_id}/complete", MANAGERS, setup=open_task, web=True),
    RouteSpec("GET", "/units/{unit_id}/tasks", OVERSEERS, path_params=unit_params(), web=True),
    RouteSpec(
        "POST",
        "/units/{unit_id}/tasks",
        MANAGERS,
        path_params=unit_params(),
        form=new_task_form,
        web=True,
    ),
    RouteSpec(
        "POST",
        "/units/{unit_id}/tasks/grade",
        MANAGERS,
        setup=batch_form_setup,
        form=batch_form,
        web=True,
    ),
]


def _sourced(kind: str) -> Any:
    def body(c: Case, source_id: int) -> dict[str, Any]:
        return {**new_task(c), "source_type": kind, "source_id": source_id}

    return body


# A task's source: a meeting or document the officer cannot see reads as a missing one.
ORACLES = [
    OracleSpec(
        "task from the parent ward's draft meeting",
        "POST",
        "/api/v1/tasks",
        "secretary",
        hidden=meeting_in("W1", "draft"),
        body=_sourced("meeting"),
    ),
    OracleSpec(
        "task from the parent ward's meeting",
        "POST",
        "/api/v1/tasks",
        "secretary",
        hidden=meeting_in("W1"),
        body=_sourced("meeting"),
    ),
    OracleSpec(
        "task from the parent ward's draft document",
        "POST",
        "/api/v1/tasks",
        "secretary",
        hidden=draft_document_in("W1"),
        body=_sourced("document"),
    ),
    OracleSpec(
        "task from another ward's draft document",
        "POST",
        "/api/v1/tasks",
        "ward_staff",
        hidden=draft_document_in("W2"),
        body=_sourced("document"),
    ),
]
