"""Imports and exports of member records: files, format, matching, upload, CLI."""
