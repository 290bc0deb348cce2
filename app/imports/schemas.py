"""Response shapes of the member import API."""

from __future__ import annotations

from pydantic import BaseModel


class ImportErrorOut(BaseModel):
    row: int | None  # the spreadsheet row number; None for a problem with the whole file
    column: str | None  # the header as written in the file
    message: str


class ImportResultOut(BaseModel):
    created: int
    updated: int
    unchanged: int
    rows: int
    dry_run: bool
    errors: list[ImportErrorOut] = []


class ImportErrorsOut(BaseModel):
    error: str
    message: str
    errors: list[ImportErrorOut]
