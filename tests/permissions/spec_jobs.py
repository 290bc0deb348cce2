"""Matrix entries for background jobs: submitting needs job.run (and member.list for the
report) on the unit; a job is visible to its owner and to those who may run jobs on its unit."""

from __future__ import annotations

from typing import Any

from tests.factories.jobs import make_job
from tests.permissions.matrix import Case, RouteSpec, everyone_signed_in, roles_on

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
