"""audio: filled by later issues (see ARCHITECTURE.md)."""
