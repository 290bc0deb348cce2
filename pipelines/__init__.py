"""pipelines: filled by later issues (see ARCHITECTURE.md)."""
