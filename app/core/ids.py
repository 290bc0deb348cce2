"""Database ids at the boundary: every id a request names is checked to fit its column."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval

# Ids are PostgreSQL `integer` columns (SQLite takes up to 2**63 - 1): a larger number
# names nothing, and handed to the driver it fails as an overflow instead of "not found".
MAX_ID = 2**31 - 1

# Use for every id in a path, a query, a form or a request body: out of range is a 422
# at the boundary, and OpenAPI shows the bounds.
Id = Annotated[int, Interval(ge=1, le=MAX_ID)]
