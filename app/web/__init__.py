"""Server-rendered pages (Jinja2 + htmx): Vietnamese first, large text, 360 px wide."""
