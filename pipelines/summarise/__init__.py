"""Document summaries (issue 16), offline mode: tasks with their responsible party, deadline
and cited clause from a document's chunks, and Vietnamese time expressions resolved against
the document's issue date. Both word lists are data beside the code (`deadlines.tsv`,
`parties.tsv`)."""

from pipelines.summarise.deadlines import find_deadlines, parse_deadline
from pipelines.summarise.models import (
    Deadline,
    DocumentChunk,
    DocumentInput,
    Every,
    PartyKind,
    Task,
)
from pipelines.summarise.tasks import extract_tasks, find_parties

__all__ = [
    "Deadline",
    "DocumentChunk",
    "DocumentInput",
    "Every",
    "PartyKind",
    "Task",
    "extract_tasks",
    "find_deadlines",
    "find_parties",
    "parse_deadline",
]
