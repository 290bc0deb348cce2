"""The one Celery task: it receives a job id and lets the engine claim and run that job."""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING, Any

from app.jobs.service_dispatch import RUN_JOB_TASK

if TYPE_CHECKING:
    from app.worker import SotayCelery


def register_tasks(celery: SotayCelery) -> None:
    @celery.task(  # type: ignore[untyped-decorator]
        name=RUN_JOB_TASK,
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        ignore_result=True,
    )
    def run_job(self: Any, job_id: int) -> str:
        from app.jobs.service_engine import execute_job

        # The pid tells apart two processes of one prefork worker in the jobs table.
        worker = f"{self.request.hostname or socket.gethostname()}:{os.getpid()}"
        return execute_job(celery.database(), celery.settings.jobs, int(job_id), worker=worker)
