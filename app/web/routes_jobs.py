"""Web pages for background jobs: the list with the report form, and a live job page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.core.deps import AuditCtx, DBSession
from app.core.errors import Forbidden
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.core.security import new_token
from app.jobs import service
from app.jobs import service_registry as registry
from app.jobs.deps import JobDispatcher
from app.jobs.models import Job
from app.units.tasks import REPORT_LABELS
from app.web.guard import WebActor, returning_to
from app.web.templating import render

router = APIRouter()

REPORT_KIND = "units.report"
PER_PAGE = 20
# htmx stops polling when a response carries this status.
HTMX_STOP_POLLING = 286

STATUS_LABELS = {
    "queued": "Đang chờ",
    "running": "Đang chạy",
    "succeeded": "Hoàn thành",
    "failed": "Thất bại",
    "cancelled": "Đã hủy",
}


def _job_context(session: DBSession, job: Job) -> dict[str, Any]:
    kind = registry.find_kind(job.kind)
    labels = service.labels_for(session, [job])
    return {
        "job": job,
        "kind_title": kind.title if kind else job.kind,
        "result_template": kind.result_template if kind else None,
        "finished": service.is_finished(job),
        "unit_name": labels.unit_names.get(job.unit_id or 0, ""),
        "owner_name": labels.owner_names.get(job.owner_account_id or 0, ""),
        "status_labels": STATUS_LABELS,
        "report_labels": REPORT_LABELS,
    }


def _list_page(
    request: Request, session: DBSession, actor: Actor, page: int, status_code: int = 200
) -> HTMLResponse:
    jobs, total = service.list_jobs(session, actor, page=page, per_page=PER_PAGE)
    labels = service.labels_for(session, jobs)
    units = service.runnable_units(session, actor, REPORT_KIND)
    return render(
        request,
        "jobs/list.html",
        {
            "jobs": jobs,
            "total": total,
            "page": page,
            "has_next": page * PER_PAGE < total,
            "labels": labels,
            "kind_titles": {name: k.title for name, k in registry.all_kinds().items()},
            "status_labels": STATUS_LABELS,
            "units": units,
            "base_depth": min((u.depth for u in units), default=0),
            # A fresh key per form: a double click or a resubmitted form makes one job, not two.
            "idempotency_key": new_token()[:32],
        },
        status_code=status_code,
    )


@router.get("/jobs", response_class=HTMLResponse)
def list_jobs_page(
    request: Request,
    session: DBSession,
    actor: WebActor,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    return _list_page(request, session, actor, page)


@router.post("/jobs")
def submit_report(
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    dispatcher: JobDispatcher,
    unit_id: Annotated[Id, Form()],
    idempotency_key: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if not actor.has_any(Perm.job_run):
        raise Forbidden("Bạn không có quyền thực hiện thao tác này")
    job, _created = service.submit_job(
        session,
        ctx,
        actor=actor,
        kind=REPORT_KIND,
        params={},
        unit_id=unit_id,
        idempotency_key=idempotency_key or None,
        dispatcher=dispatcher,
    )
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def show_job(request: Request, job_id: Id, session: DBSession, actor: WebActor) -> Response:
    job = service.get_job(session, actor, job_id)
    return render(request, "jobs/detail.html", _job_context(session, job))


@router.get("/jobs/{job_id}/progress", response_class=HTMLResponse)
def show_job_progress(
    request: Request,
    job_id: Id,
    session: DBSession,
    actor: Annotated[Actor, returning_to("/jobs/{job_id}")],
) -> Response:
    job = service.get_job(session, actor, job_id)
    ctx = _job_context(session, job)
    status = HTMX_STOP_POLLING if ctx["finished"] else 200
    return render(request, "jobs/progress.html", ctx, status_code=status)
