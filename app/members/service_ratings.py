"""Yearly rating (đánh giá, xếp loại): the official grades, the 6-month rule and display rows."""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable
from datetime import date

from app.core.errors import Invalid
from app.members.models import MemberStatus, Rating, RatingGrade

GRADE_LABELS: dict[str, str] = {
    RatingGrade.HTXSNV: "Hoàn thành xuất sắc nhiệm vụ",
    RatingGrade.HTTNV: "Hoàn thành tốt nhiệm vụ",
    RatingGrade.HTNV: "Hoàn thành nhiệm vụ",
    RatingGrade.KHTNV: "Không hoàn thành nhiệm vụ",
    RatingGrade.MIEN: "Không xếp loại (miễn sinh hoạt)",
}
TOO_NEW_LABEL = "Chưa xếp loại (chưa đủ 6 tháng)"
MIN_MONTHS = 6


class Eligibility(enum.StrEnum):
    rated = "rated"  # an ordinary grade applies
    too_new = "too_new"  # joined less than 6 months before the rating date: not rated
    exempt = "exempt"  # miễn sinh hoạt: shown as MIEN


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rating_date(year: int) -> date:
    """Ratings are made as of 31 December of their year."""
    return date(year, 12, 31)


def eligibility(*, admission_date: date | None, exempt: bool, year: int) -> Eligibility:
    """The one place the rule lives: under 6 months of membership at 31/12 means not rated."""
    if admission_date is not None and add_months(admission_date, MIN_MONTHS) > rating_date(year):
        return Eligibility.too_new
    return Eligibility.exempt if exempt else Eligibility.rated


def check_grade(
    *, admission_date: date | None, status: str, year: int, grade: RatingGrade, today: date
) -> None:
    """Refuse a grade the rules do not allow; messages name the field at fault."""
    if year > today.year:
        raise Invalid(
            "Chưa thể xếp loại năm {year}",
            details=[{"field": "year", "message": "future"}],
            year=year,
        )
    if admission_date is not None and year < admission_date.year:
        raise Invalid(
            "Năm {year} đảng viên chưa vào Đảng",
            details=[{"field": "year", "message": "before admission"}],
            year=year,
        )
    # Current status only says something about the current year.
    exempt = status == MemberStatus.exempted and year == today.year
    match eligibility(admission_date=admission_date, exempt=exempt, year=year):
        case Eligibility.too_new:
            raise Invalid(
                "Đảng viên vào Đảng chưa đủ 6 tháng tính đến 31/12/{year}: chưa xếp loại",
                details=[{"field": "grade", "message": "too new"}],
                year=year,
            )
        case Eligibility.exempt if grade != RatingGrade.MIEN:
            raise Invalid(
                "Đảng viên được miễn sinh hoạt: chỉ ghi MIEN",
                details=[{"field": "grade", "message": "exempt"}],
            )


def rating_rows(
    ratings: Iterable[Rating], *, admission_date: date | None, status: str, today: date
) -> list[dict[str, object]]:
    """Recorded ratings, newest first, plus a synthetic row for this year when it is not graded."""
    rows: list[dict[str, object]] = [
        {
            "id": r.id,
            "year": r.year,
            "grade": r.grade,
            "label": GRADE_LABELS.get(r.grade, r.grade),
            "note": r.note,
            "synthetic": False,
        }
        for r in ratings
    ]
    years = {r["year"] for r in rows}
    if today.year not in years:
        exempt = status == MemberStatus.exempted
        match eligibility(admission_date=admission_date, exempt=exempt, year=today.year):
            case Eligibility.too_new:
                rows.append(_synthetic(today.year, None, TOO_NEW_LABEL))
            case Eligibility.exempt:
                rows.append(_synthetic(today.year, RatingGrade.MIEN.value, GRADE_LABELS["MIEN"]))
    rows.sort(key=lambda r: -int(str(r["year"])))
    return rows


def _synthetic(year: int, grade: str | None, label: str) -> dict[str, object]:
    return {
        "id": None,
        "year": year,
        "grade": grade,
        "label": label,
        "note": None,
        "synthetic": True,
    }
