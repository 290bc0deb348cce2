"""Prompts of the minutes pipeline (`minutes/draft.j2`), rendered by `prompts.render_sections`."""
