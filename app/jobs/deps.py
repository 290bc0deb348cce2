"""Request dependencies for jobs: who may submit, and the dispatcher that rings the broker."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core.deps import require_any
from app.core.permissions import Actor, Perm
from app.jobs.service_dispatch import CeleryDispatcher, Dispatcher, diverted


def get_dispatcher(request: Request) -> Dispatcher:
    """One dispatcher per app, built on first use, unless `service_dispatch.use_dispatcher`
    diverted this process's jobs (the eval, tests)."""
    dispatcher = diverted() or getattr(request.app.state, "job_dispatcher", None)
    if dispatcher is None:
        dispatcher = CeleryDispatcher(request.app.state.settings)
        request.app.state.job_dispatcher = dispatcher
    return dispatcher


JobDispatcher = Annotated[Dispatcher, Depends(get_dispatcher)]
CanRunJobs = Annotated[Actor, Depends(require_any(Perm.job_run))]
