"""The yearly rating rules: under 6 months at 31 December is not rated; exempt members are MIEN."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import Invalid
from app.members.models import MemberStatus, Rating, RatingGrade
from app.members.service_ratings import (
    TOO_NEW_LABEL,
    Eligibility,
    add_months,
    check_grade,
    eligibility,
    rating_rows,
)


@pytest.mark.parametrize(
    ("admitted", "year", "expected"),
    [
        (date(2024, 6, 30), 2024, Eligibility.rated),  # 30/6 + 6 months = 30/12 <= 31/12
        (date(2024, 7, 1), 2024, Eligibility.too_new),  # 1/7 + 6 months = 1/1 next year
        (date(2024, 12, 1), 2024, Eligibility.too_new),
        (date(2024, 12, 1), 2025, Eligibility.rated),
        (None, 2024, Eligibility.rated),  # unknown date: not refused
    ],
)
def test_six_month_rule(admitted: date | None, year: int, expected: Eligibility) -> None:
    assert eligibility(admission_date=admitted, exempt=False, year=year) == expected


def test_exempt_members_are_not_graded_but_too_new_wins() -> None:
    assert (
        eligibility(admission_date=date(2000, 1, 1), exempt=True, year=2024) == Eligibility.exempt
    )
    assert (
        eligibility(admission_date=date(2024, 9, 1), exempt=True, year=2024) == Eligibility.too_new
    )


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2023, 7, 15), 6) == date(2024, 1, 15)


def test_check_grade_refusals() -> None:
    today = date(2024, 11, 1)
    base = {"admission_date": date(2024, 8, 1), "status": MemberStatus.active, "today": today}
    with pytest.raises(Invalid) as exc:
        check_grade(**base, year=2024, grade=RatingGrade.HTTNV)
    assert exc.value.details[0]["field"] == "grade"
    with pytest.raises(Invalid):
        check_grade(**base, year=2025, grade=RatingGrade.HTTNV)  # the future
    with pytest.raises(Invalid):
        check_grade(**base, year=2023, grade=RatingGrade.HTTNV)  # before admission
    exempt = {"admission_date": date(2000, 1, 1), "status": MemberStatus.exempted, "today": today}
    with pytest.raises(Invalid):
        check_grade(**exempt, year=2024, grade=RatingGrade.HTNV)
    check_grade(**exempt, year=2024, grade=RatingGrade.MIEN)
    check_grade(**exempt, year=2020, grade=RatingGrade.HTNV)  # status says nothing about 2020


def test_rating_rows_add_this_year_when_not_graded() -> None:
    today = date(2024, 11, 1)
    recorded = [Rating(id=1, member_id=1, year=2023, grade="HTTNV", note=None)]
    rows = rating_rows(recorded, admission_date=date(2024, 8, 1), status="active", today=today)
    assert rows[0] == {
        "id": None,
        "year": 2024,
        "grade": None,
        "label": TOO_NEW_LABEL,
        "note": None,
        "synthetic": True,
    }
    assert "chưa đủ 6 tháng" in TOO_NEW_LABEL
    assert rows[1]["label"] == "Hoàn thành tốt nhiệm vụ"

    rows = rating_rows([], admission_date=date(2000, 1, 1), status="exempted", today=today)
    assert rows[0]["grade"] == "MIEN" and "miễn sinh hoạt" in str(rows[0]["label"])
    assert rating_rows([], admission_date=date(2000, 1, 1), status="active", today=today) == []
