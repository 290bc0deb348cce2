"""Prompts of the document summary (`summarise/summary.j2`), rendered by `prompts.render_sections`."""
