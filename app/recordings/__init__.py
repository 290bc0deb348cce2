"""Meeting recordings: audio stored by hash, a transcript with times, edits kept (issue 13)."""
