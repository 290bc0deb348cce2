"""Who belongs to the organisation tree: the member statuses that hold a place in a unit."""

from __future__ import annotations

# Active and exempted (miễn công tác và sinh hoạt đảng) members belong to their unit: they are
# invited to its meetings, counted in its reports, may transfer, correct their profile and hold
# the `member` role there. Plain strings, so the core needs no domain model: members' statuses
# are a StrEnum stored as text.
IN_TREE: tuple[str, ...] = ("active", "exempted")
