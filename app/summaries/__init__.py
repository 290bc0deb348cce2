"""Summaries (issue 16): each published document version's key points, tasks with deadlines
and short version, and the themes of the feedback on a document, a draft or a meeting."""
