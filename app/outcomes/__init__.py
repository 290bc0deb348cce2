"""After the meeting: its resolution (nghị quyết) and the scored assessment of its quality."""
