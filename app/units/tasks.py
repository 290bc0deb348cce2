"""`units.report`: member statistics of a unit subtree, computed unit by unit with checkpoints."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.permissions import Perm, can_in_unit, unit_scope
from app.core.tree import IN_TREE
from app.jobs.service_context import JobContext, JobError
from app.jobs.service_registry import register_kind
from app.members.models import Member, Rating
from app.units.models import Unit, UnitKind

# Checkpointing rewrites the whole state, which grows with the units done; on a city-wide
# tree a write per unit would cost O(n²). Saving at most this often bounds both the write
# volume and the work a resumed run repeats.
CHECKPOINT_EVERY_SECONDS = 0.5

# Ordered (key, Vietnamese label) pairs; the template shows them in this order.
STATUS_LABELS = [
    ("active", "Đang sinh hoạt"),
    ("exempted", "Miễn công tác và sinh hoạt"),
    ("transferred", "Đã chuyển sinh hoạt đi"),
    ("deceased", "Đã từ trần"),
    ("removed", "Đã ra khỏi Đảng"),
]
GENDER_LABELS = [("male", "Nam"), ("female", "Nữ"), ("other", "Khác"), ("unknown", "Không rõ")]
AGE_BANDS = [("lt30", 0, 29), ("30_39", 30, 39), ("40_49", 40, 49), ("50_59", 50, 59)]
AGE_BANDS += [("60_69", 60, 69), ("ge70", 70, 999)]
AGE_LABELS = [
    ("lt30", "Dưới 30 tuổi"),
    ("30_39", "Từ 30 đến 39 tuổi"),
    ("40_49", "Từ 40 đến 49 tuổi"),
    ("50_59", "Từ 50 đến 59 tuổi"),
    ("60_69", "Từ 60 đến 69 tuổi"),
    ("ge70", "Từ 70 tuổi trở lên"),
    ("unknown", "Không rõ"),
]
PARTY_AGE_BANDS = [("lt5", 0, 4), ("5_9", 5, 9), ("10_19", 10, 19), ("20_29", 20, 29)]
PARTY_AGE_BANDS += [("30_39", 30, 39), ("ge40", 40, 999)]
PARTY_AGE_LABELS = [
    ("lt5", "Dưới 5 năm"),
    ("5_9", "Từ 5 đến 9 năm"),
    ("10_19", "Từ 10 đến 19 năm"),
    ("20_29", "Từ 20 đến 29 năm"),
    ("30_39", "Từ 30 đến 39 năm"),
    ("ge40", "Từ 40 năm trở lên"),
    ("unknown", "Không rõ"),
]
RATING_LABELS = [
    ("HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"),
    ("HTTNV", "Hoàn thành tốt nhiệm vụ"),
    ("HTNV", "Hoàn thành nhiệm vụ"),
    ("KHTNV", "Không hoàn thành nhiệm vụ"),
    ("MIEN", "Miễn sinh hoạt"),
    ("none", "Chưa xếp loại"),
]
DIMENSIONS = ("status", "gender", "age", "party_age", "rating")


class UnitReportParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Year of the ratings to count; by default the year before the report.
    rating_year: int | None = Field(default=None, ge=1930, le=2100)


def years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def band(value: int | None, bands: list[tuple[str, int, int]]) -> str:
    if value is None or value < 0:
        return "unknown"
    for key, low, high in bands:
        if low <= value <= high:
            return key
    return "unknown"


def unit_stats(session: Session, unit_id: int, *, as_of: date, rating_year: int) -> dict[str, Any]:
    """Counts for the members attached directly to one unit; only non-zero keys are kept."""
    rows = session.execute(
        select(
            Member.id, Member.status, Member.gender, Member.birth_date, Member.admission_date
        ).where(Member.unit_id == unit_id)
    ).all()
    grades = {
        member_id: grade
        for member_id, grade in session.execute(
            select(Rating.member_id, Rating.grade)
            .join(Member, Member.id == Rating.member_id)
            .where(Member.unit_id == unit_id, Rating.year == rating_year)
        )
    }
    counts: dict[str, Counter[str]] = {d: Counter() for d in DIMENSIONS}
    current = 0
    for member_id, status, gender, birth, admitted in rows:
        counts["status"][status] += 1
        if status not in IN_TREE:
            continue
        current += 1
        counts["gender"][gender if gender in ("male", "female", "other") else "unknown"] += 1
        counts["age"][band(years_between(birth, as_of) if birth else None, AGE_BANDS)] += 1
        party_years = years_between(admitted, as_of) if admitted else None
        counts["party_age"][band(party_years, PARTY_AGE_BANDS)] += 1
        counts["rating"][grades.get(member_id, "none")] += 1
    return {"total": len(rows), "current": current, **{d: dict(c) for d, c in counts.items()}}


def combine(stats: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum per-unit counts into subtree totals."""
    out: dict[str, Any] = {"total": 0, "current": 0, **{d: Counter() for d in DIMENSIONS}}
    for s in stats:
        out["total"] += s["total"]
        out["current"] += s["current"]
        for d in DIMENSIONS:
            out[d].update(s.get(d, {}))
    return {k: dict(v) if isinstance(v, Counter) else v for k, v in out.items()}


@register_kind(
    "units.report",
    title="Báo cáo thống kê đảng viên",
    params=UnitReportParams,
    perms=(Perm.job_run, Perm.member_list),
    result_template="jobs/results/units_report.html",
)
def run_unit_report(ctx: JobContext, params: UnitReportParams) -> dict[str, Any]:
    """Statistics of the job's unit subtree; units done before a crash are not recomputed."""
    state = ctx.state
    if not state:
        today = date.today()
        # Fixed on the first attempt so that a resumed run counts ages on the same day.
        state = {
            "as_of": today.isoformat(),
            "rating_year": params.rating_year or today.year - 1,
            "done": {},
        }
    as_of = date.fromisoformat(state["as_of"])
    rating_year = int(state["rating_year"])
    done: dict[str, dict[str, Any]] = state["done"]

    actor = ctx.owner()
    with ctx.read_session() as session:
        root = session.get(Unit, ctx.unit_id) if ctx.unit_id is not None else None
        if root is None or root.dissolved_at is not None:
            raise JobError("Không tìm thấy đơn vị")
        # Grants are checked again now: they may have been revoked since the job was queued.
        if not can_in_unit(session, actor, Perm.member_list, root.id):
            raise JobError("Người lập báo cáo không còn quyền xem đảng viên của đơn vị này")
        units = session.execute(
            select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.depth)
            .where(
                Unit.path.startswith(root.path, autoescape=True),
                Unit.dissolved_at.is_(None),
                unit_scope(actor, Perm.member_list),
            )
            .order_by(Unit.path)
        ).all()
        root_info = {"id": root.id, "code": root.code, "name": root.name, "depth": root.depth}

    total = len(units)
    last_saved = time.monotonic()
    for i, unit in enumerate(units, start=1):
        key = str(unit.id)
        if key in done:
            continue
        with ctx.read_session() as session:
            done[key] = unit_stats(session, unit.id, as_of=as_of, rating_year=rating_year)
        pct = 99 * i / total  # 100 is written with the result
        if time.monotonic() - last_saved >= CHECKPOINT_EVERY_SECONDS or i == total:
            ctx.checkpoint(state, progress=pct, message=unit.name)
            last_saved = time.monotonic()
        else:
            ctx.progress(pct, unit.name)

    rows = []
    for unit in units:
        stats = done.get(str(unit.id))
        if stats is None or (stats["total"] == 0 and unit.kind != UnitKind.cell):
            continue
        rows.append(
            {
                "unit_id": unit.id,
                "code": unit.code,
                "name": unit.name,
                "kind": unit.kind,
                "depth": unit.depth - root_info["depth"],
                **stats,
            }
        )
    return {
        "unit": root_info,
        "as_of": as_of.isoformat(),
        "rating_year": rating_year,
        "units_counted": total,
        "rows": rows,
        "totals": combine([done[str(u.id)] for u in units if str(u.id) in done]),
    }


REPORT_LABELS = {
    "status": STATUS_LABELS,
    "gender": GENDER_LABELS,
    "age": AGE_LABELS,
    "party_age": PARTY_AGE_LABELS,
    "rating": RATING_LABELS,
}
