"""Every job kind and periodic step: importing a domain's `tasks` module registers them.

app/main.py (submitting and listing jobs) and app/worker.py (running them, sweeping) import
this module. A new kind or periodic step is one more module here: a missing or misspelt one
fails at import and in mypy. Periodic steps run in this order on every sweep.
"""

from __future__ import annotations

from types import ModuleType

from app.bulletins import tasks as bulletins_tasks
from app.feedback import tasks as feedback_tasks
from app.jobs import tasks as jobs_tasks
from app.knowledge import tasks as knowledge_tasks
from app.meetings import tasks as meetings_tasks
from app.minutes import tasks as minutes_tasks
from app.recordings import tasks as recordings_tasks
from app.summaries import tasks as summaries_tasks
from app.units import tasks as units_tasks
from app.votes import tasks as votes_tasks

KIND_MODULES: tuple[ModuleType, ...] = (
    units_tasks,
    jobs_tasks,
    knowledge_tasks,
    summaries_tasks,
    recordings_tasks,
    minutes_tasks,
    bulletins_tasks,
    meetings_tasks,
    votes_tasks,
    feedback_tasks,
)
