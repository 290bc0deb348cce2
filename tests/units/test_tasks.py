"""The `units.report` job: its statistics, its scope, and resuming without recounting."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.jobs.models import JobStatus
from app.jobs.service_engine import execute_job
from app.members.models import Rating
from app.units.tasks import AGE_BANDS, band, combine, unit_stats, years_between
from tests.factories.jobs import make_job
from tests.factories.members import make_member
from tests.factories.org import Org, build_org
from tests.jobs.conftest import Committed, read_job

AS_OF = date(2026, 6, 1)


def test_years_and_bands() -> None:
    assert years_between(date(1956, 6, 2), AS_OF) == 69
    assert years_between(date(1956, 6, 1), AS_OF) == 70
    assert band(69, AGE_BANDS) == "60_69" and band(70, AGE_BANDS) == "ge70"
    assert band(None, AGE_BANDS) == "unknown"


def _cell_with_people(session: Session, org: Org) -> None:
    b = org.units["B"]
    old = make_member(
        session,
        b,
        "Lê Thị Cúc",
        gender="female",
        birth_date=date(1950, 1, 1),
        admission_date=date(1975, 3, 1),
    )
    make_member(
        session,
        b,
        "Ngô Văn Hải",
        gender="male",
        birth_date=date(2000, 1, 1),
        admission_date=date(2024, 1, 1),
    )
    make_member(session, b, "Trịnh Văn Cũ", status="transferred")
    make_member(
        session,
        b,
        "Mai Thị Miễn",
        gender="female",
        status="exempted",
        birth_date=None,
        admission_date=None,
    )
    session.add(Rating(member_id=old.id, year=2025, grade="HTXSNV"))
    session.add(Rating(member_id=org.members["mem_b"].id, year=2025, grade="HTTNV"))
    session.add(Rating(member_id=org.members["mem_b"].id, year=2024, grade="KHTNV"))
    session.flush()


def test_unit_stats_counts_one_unit(session: Session, org: Org) -> None:
    _cell_with_people(session, org)
    stats = unit_stats(session, org.units["B"].id, as_of=AS_OF, rating_year=2025)
    # sec_b and mem_b from the org, plus the four above.
    assert stats["total"] == 6 and stats["current"] == 5
    assert stats["status"] == {"active": 4, "transferred": 1, "exempted": 1}
    assert stats["gender"]["female"] == 2
    assert stats["age"]["ge70"] == 1 and stats["age"]["lt30"] == 1
    assert stats["age"]["unknown"] == 1
    assert stats["party_age"]["ge40"] == 1 and stats["party_age"]["lt5"] == 1
    assert stats["rating"] == {"HTXSNV": 1, "HTTNV": 1, "none": 3}


def test_combine_sums_units() -> None:
    a = {"total": 2, "current": 2, "gender": {"male": 2}}
    b = {"total": 1, "current": 1, "gender": {"male": 1, "female": 0}}
    out = combine([a, b])
    assert out["total"] == 3 and out["gender"]["male"] == 3


def test_report_job_end_to_end(committed: Committed) -> None:
    with committed.db.session() as session:
        org = build_org(session)
        _cell_with_people(session, org)
        job = make_job(
            session,
            kind="units.report",
            unit=org.units["W1"],
            owner=org.accounts["staff_w1"],
            params={"rating_year": 2025},
        )
        job_id = job.id
        codes = {u.id: code for code, u in org.units.items()}
    assert execute_job(committed.db, committed.settings.jobs, job_id, worker="w") == "succeeded"
    job = read_job(committed.db, job_id)
    assert job.status == JobStatus.succeeded and job.progress == 100
    result = job.result
    assert result is not None
    by_code = {codes[r["unit_id"]]: r for r in result["rows"]}
    # W1's subtree only: W1 itself (one direct member), A, its group A1, and B.
    assert set(by_code) == {"W1", "A", "A1", "B"}
    assert by_code["B"]["total"] == 6 and by_code["A"]["total"] == 2
    assert result["totals"]["total"] == 10
    assert result["rating_year"] == 2025 and result["units_counted"] == 4
    assert job.state["done"] and len(job.state["done"]) == 4


def test_report_resume_skips_units_already_done(committed: Committed) -> None:
    with committed.db.session() as session:
        org = build_org(session)
        a_id = org.units["A"].id
        fake = {
            "total": 999,
            "current": 0,
            "status": {},
            "gender": {},
            "age": {},
            "party_age": {},
            "rating": {},
        }
        job = make_job(
            session,
            kind="units.report",
            unit=org.units["A"],
            owner=org.accounts["sec_a"],
            params={},
            status=JobStatus.running,
            attempts=1,
            heartbeat_ago=60,
            state={"as_of": "2026-01-01", "rating_year": 2025, "done": {str(a_id): fake}},
        )
        job_id = job.id
    execute_job(committed.db, committed.settings.jobs, job_id, worker="w")
    job = read_job(committed.db, job_id)
    assert job.status == JobStatus.succeeded and job.attempts == 2
    assert job.result is not None
    # A's numbers come from the checkpoint (not recounted); A1 was computed on this attempt.
    assert job.result["totals"]["total"] == 999 + 1
    assert job.result["as_of"] == "2026-01-01"
