"""Document summaries (issue 16): key points by centrality and coverage, tasks with their
responsible party, deadline and cited clause, and a short version without abbreviations, from
a document's chunks (`summarise`; LLM mode in `pipelines.summarise.llm`); Vietnamese time
expressions resolved against the document's issue date; and feedback grouped into themes
(`pipelines.summarise.feedback`). The word lists are data beside the code (`deadlines.tsv`,
`parties.tsv`; abbreviations from `audio/tts/abbreviations.tsv`)."""

from pipelines.summarise.deadlines import find_deadlines, parse_deadline
from pipelines.summarise.keypoints import key_points
from pipelines.summarise.models import (
    Deadline,
    DocumentChunk,
    DocumentInput,
    DocumentSummary,
    Every,
    KeyPoint,
    PartyKind,
    PlainSentence,
    Task,
)
from pipelines.summarise.plain import expand_abbreviations, short_version
from pipelines.summarise.summary import summarise
from pipelines.summarise.tasks import extract_tasks, find_parties

__all__ = [
    "Deadline",
    "DocumentChunk",
    "DocumentInput",
    "DocumentSummary",
    "Every",
    "KeyPoint",
    "PartyKind",
    "PlainSentence",
    "Task",
    "expand_abbreviations",
    "extract_tasks",
    "find_deadlines",
    "find_parties",
    "key_points",
    "parse_deadline",
    "short_version",
    "summarise",
]
