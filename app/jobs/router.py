"""JSON API for background jobs: submit, list and read progress and results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.core.deps import AuditCtx, CurrentActor, DBSession
from app.core.i18n import gettext
from app.core.ids import Id
from app.core.text import NFCStr
from app.jobs import service
from app.jobs.deps import CanRunJobs, JobDispatcher
from app.jobs.models import Job, JobStatus
from app.jobs.schemas import JobOut, JobPage, JobSubmit, JobSummary

router = APIRouter(prefix="/jobs", tags=["jobs"])


def _translated(out: JobSummary, job: Job) -> None:
    # Workers store Vietnamese msgids; clients asking for English get them translated.
    out.message = gettext(job.message) if job.message else job.message
    out.error = gettext(job.error) if job.error else job.error


def _summary(job: Job) -> JobSummary:
    out = JobSummary.model_validate(job)
    _translated(out, job)
    return out


def _full(job: Job) -> JobOut:
    out = JobOut.model_validate(job)
    _translated(out, job)
    return out


@router.post("", status_code=202, response_model=JobOut)
def submit_job(
    body: JobSubmit,
    response: Response,
    session: DBSession,
    actor: CanRunJobs,
    ctx: AuditCtx,
    dispatcher: JobDispatcher,
) -> JobOut:
    job, created = service.submit_job(
        session,
        ctx,
        actor=actor,
        kind=body.kind,
        params=body.params,
        unit_id=body.unit_id,
        idempotency_key=body.idempotency_key,
        dispatcher=dispatcher,
    )
    if not created:
        response.status_code = 200
    return _full(job)


@router.get("", response_model=JobPage)
def list_jobs(
    session: DBSession,
    actor: CurrentActor,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    status: JobStatus | None = None,
    kind: Annotated[NFCStr | None, Query(max_length=64)] = None,
) -> JobPage:
    jobs, total = service.list_jobs(
        session, actor, page=page, per_page=per_page, status=status, kind=kind
    )
    return JobPage(
        items=[_summary(j) for j in jobs],
        total=total,
        page=page,
        per_page=per_page,
    )


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: Id, session: DBSession, actor: CurrentActor) -> JobOut:
    return _full(service.get_job(session, actor, job_id))
