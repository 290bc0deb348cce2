"""`system.selftest`: a diagnostic job that counts steps with checkpoints, to prove recovery works."""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.accounts.models import Role
from app.jobs.service_context import JobContext, JobError
from app.jobs.service_registry import register_kind


class SelftestParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    steps: int = Field(default=10, ge=1, le=1000)
    step_seconds: float = Field(default=0.1, ge=0, le=5)
    # Fail on purpose at this step, to check how failures reach the user.
    fail_at_step: int | None = Field(default=None, ge=1, le=1000)


@register_kind(
    "system.selftest",
    title="Kiểm tra hệ thống tác vụ nền",
    params=SelftestParams,
    roles=frozenset({Role.city_admin}),
    result_template="jobs/results/system_selftest.html",
)
def run_selftest(ctx: JobContext, params: SelftestParams) -> dict[str, Any]:
    """Advance a counter one step at a time; the counter is saved with each checkpoint.

    The count and the step it belongs to are written in one transaction, so a worker killed
    between steps resumes at the saved step and the counter ends equal to `steps`, never more.
    """
    state = ctx.state
    step = int(state.get("step", 0))
    counter = int(state.get("counter", 0))
    starts: list[int] = list(state.get("starts", []))
    starts.append(step)
    ctx.checkpoint({"step": step, "counter": counter, "starts": starts})
    while step < params.steps:
        if params.fail_at_step is not None and step + 1 == params.fail_at_step:
            raise JobError("Lỗi thử nghiệm theo yêu cầu")
        time.sleep(params.step_seconds)
        step += 1
        counter += 1
        ctx.checkpoint(
            {"step": step, "counter": counter, "starts": starts},
            progress=100 * step / params.steps,
            message=f"{step}/{params.steps}",
        )
    return {
        "steps": params.steps,
        "counter": counter,
        "starts": starts,
        "resumed_from": starts[-1],
        "attempt": ctx.attempt,
        "worker": ctx.worker,
    }
