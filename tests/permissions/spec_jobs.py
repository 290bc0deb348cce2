"""Matrix entries for background jobs: submitting needs job.run (and member.list for the
report) on the unit; a job is visible to its owner and to those who may run jobs on its unit."""

from __future__ import annotations

from typing import Any

from tests.factories.jobs import make_job
from tests.permissions.matrix import (
    Case,
    OracleSpec,
    RouteSpec,
    draft_document_in,
    everyone_signed_in,
    roles_on,
)

# Secretaries, ward staff and city admins, on their own unit and the units below it. The
# rolled-back matrix never commits, so a POST that queues a job sends nothing to a broker.
RUNNERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")


def _job_on_target(c: Case) -> dict[str, Any]:
    # Owned by an account that is none of the acting ones, so only the unit grants count.
    job = make_job(
        c.session,
        kind="units.report",
        unit=c.unit,
        owner=c.org.accounts["mem_d"],
        params={},
    )
    return {"job_id": job.id}


SPECS = [
    RouteSpec(
        "POST",
        "/api/v1/jobs",
        RUNNERS,
        body=lambda c: {"kind": "units.report", "unit_id": c.unit.id if c.unit else 0},
    ),
    RouteSpec("GET", "/api/v1/jobs", everyone_signed_in(), targetless=True),
    RouteSpec("GET", "/api/v1/jobs/{job_id}", RUNNERS, setup=_job_on_target),
    RouteSpec("GET", "/jobs", everyone_signed_in(), targetless=True, web=True),
    RouteSpec(
        "POST",
        "/jobs",
        RUNNERS,
        web=True,
        form=lambda c: {"unit_id": c.unit.id if c.unit else 0},
    ),
    RouteSpec("GET", "/jobs/{job_id}", RUNNERS, setup=_job_on_target, web=True),
    RouteSpec("GET", "/jobs/{job_id}/progress", RUNNERS, setup=_job_on_target, web=True),
]


def _index_job(c: Case, document_id: int) -> dict[str, Any]:
    assert c.unit is not None
    return {"kind": "knowledge.index", "unit_id": c.unit.id, "params": {"document_id": document_id}}


# A job's params name documents: one the submitter cannot see reads as one that does not exist.
ORACLES = [
    OracleSpec(
        "index another ward's document",
        "POST",
        "/api/v1/jobs",
        "secretary",
        hidden=draft_document_in("D"),
        body=_index_job,
    ),
    OracleSpec(
        "index the parent ward's draft",
        "POST",
        "/api/v1/jobs",
        "secretary",
        hidden=draft_document_in("W1"),
        body=_index_job,
    ),
    OracleSpec(
        "index a sibling ward's draft",
        "POST",
        "/api/v1/jobs",
        "ward_staff",
        hidden=draft_document_in("W2"),
        body=_index_job,
    ),
]
