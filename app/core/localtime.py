"""Vietnam's wall-clock time: the one definition of the zone party units work in.

The database keeps UTC; dates of record (a transfer's day, a badge's year, a task's deadline)
and times shown or typed on a page are Vietnamese.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_today() -> date:
    """Today's date in Vietnam."""
    return datetime.now(LOCAL_TZ).date()
