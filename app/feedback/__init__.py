"""Two-way channel: feedback threads (góp ý) on documents, meetings and drafts, and ideas (kiến nghị)."""
