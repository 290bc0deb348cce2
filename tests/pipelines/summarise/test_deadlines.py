"""Vietnamese time expressions against their dates, periods and recurrences: one row per
expression, each read relative to the issue date given (mostly 15 September 2025)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.summarise.deadlines import find_deadlines, parse_deadline

SEP = dt.date(2025, 9, 15)  # most rows: a document issued on 15 September 2025
DEC = dt.date(2025, 12, 20)  # late in the year: year-less periods that have passed move on

# (expression, issue date, expected Deadline.key(); "-" where no time limit is given)
TABLE: list[tuple[str, dt.date, str]] = [
    # days with a year
    ("trước ngày 15/10/2025", SEP, "2025-10-15"),
    ("chậm nhất ngày 30/11/2025", SEP, "2025-11-30"),
    ("hạn chót ngày 05/01/2026", SEP, "2026-01-05"),
    ("trước ngày 15-10-2025", SEP, "2025-10-15"),
    ("trước ngày 15.10.2025", SEP, "2025-10-15"),
    ("ngày 15 tháng 10 năm 2025", SEP, "2025-10-15"),
    ("chậm nhất là ngày 28 tháng 2 năm 2027", SEP, "2027-02-28"),
    ("xong trước ngày 31/3/2026", SEP, "2026-03-31"),
    ("trước 17 giờ ngày 15/10/2025", SEP, "2025-10-15"),
    ("chậm nhất 16h30 ngày 5/11/2025", SEP, "2025-11-05"),
    ("hoàn thành trước ngày 1/12/2025", SEP, "2025-12-01"),
    ("gửi về Văn phòng trước ngày 10 tháng 10 năm 2025", SEP, "2025-10-10"),
    ("vào ngày 20/9/2025", SEP, "2025-09-20"),
    ("không quá ngày 30/9/2025", SEP, "2025-09-30"),
    # days without a year: the next such day on or after the issue date
    ("chậm nhất ngày 30 tháng 6", SEP, "2026-06-30"),
    ("trước 30/6", SEP, "2026-06-30"),
    ("trước 30/11", SEP, "2025-11-30"),
    ("trước ngày 20/9", SEP, "2025-09-20"),
    ("trước ngày 15 tháng 9", SEP, "2025-09-15"),
    ("trước ngày 10/01", DEC, "2026-01-10"),
    ("ngày 5 tháng 10", SEP, "2025-10-05"),
    ("đến ngày 31/12", SEP, "2025-12-31"),
    ("trước ngày 25", SEP, "2025-09-25"),
    ("chậm nhất ngày 10", SEP, "2025-10-10"),
    # ranges of days
    ("từ ngày 1/10 đến ngày 15/10/2025", SEP, "2025-10-01..2025-10-15"),
    ("từ 01/11/2025 đến 30/11/2025", SEP, "2025-11-01..2025-11-30"),
    ("từ ngày 20 tháng 12 năm 2025 đến ngày 10 tháng 01 năm 2026", SEP, "2025-12-20..2026-01-10"),
    ("từ ngày 25/12 đến ngày 5/1/2026", SEP, "2025-12-25..2026-01-05"),
    # counted from the document
    ("trong thời hạn 15 ngày kể từ ngày ký", SEP, "2025-09-30"),
    ("trong vòng 10 ngày kể từ ngày ban hành", SEP, "2025-09-25"),
    ("trong thời hạn 30 ngày kể từ ngày nhận được văn bản", SEP, "2025-10-15"),
    ("trong vòng 15 ngày kể từ ngày nhận Thông báo này", SEP, "2025-09-30"),
    ("trong 10 ngày làm việc kể từ ngày ký", SEP, "2025-09-29"),
    ("trong vòng 5 ngày làm việc", SEP, "2025-09-22"),
    ("trong thời hạn 2 tuần", SEP, "2025-09-29"),
    ("trong vòng 3 tháng kể từ ngày Kế hoạch có hiệu lực", SEP, "2025-12-15"),
    ("sau 30 ngày kể từ ngày ký", SEP, "2025-10-15"),
    ("chậm nhất mười lăm ngày kể từ ngày ban hành", SEP, "2025-09-30"),
    ("ngay trong ngày nhận", SEP, "2025-09-15"),
    # counted from another event: no date can be given
    ("trong thời hạn 7 ngày kể từ ngày nhận được dự thảo", SEP, "-"),
    ("trong vòng 5 ngày sau đại hội", SEP, "-"),
    ("trong thời hạn 30 ngày kể từ ngày hết thời gian dự bị", SEP, "-"),
    ("trong thời hạn 5 ngày làm việc kể từ ngày tổ chức hội nghị", SEP, "-"),
    ("ít nhất 3 ngày trước buổi sinh hoạt", SEP, "-"),
    # months
    ("tháng 12/2025", SEP, "2025-12-01..2025-12-31"),
    ("trong tháng 11", SEP, "2025-11-01..2025-11-30"),
    ("trong tháng 10 năm 2025", SEP, "2025-10-01..2025-10-31"),
    ("trong tháng 01/2026", SEP, "2026-01-01..2026-01-31"),
    ("tháng 3-2026", SEP, "2026-03-01..2026-03-31"),
    ("trong tháng 9", SEP, "2025-09-01..2025-09-30"),
    ("trong tháng 8", SEP, "2026-08-01..2026-08-31"),
    ("cuối tháng 12", SEP, "2025-12-31"),
    ("đến hết tháng 10/2025", SEP, "2025-10-31"),
    ("trước tháng 11", SEP, "2025-10-31"),
    ("đầu tháng 4", SEP, "2026-04-01..2026-04-10"),
    ("giữa tháng 10", SEP, "2025-10-11..2025-10-20"),
    ("trong tháng này", SEP, "2025-09-01..2025-09-30"),
    ("trong tháng tới", SEP, "2025-10-01..2025-10-31"),
    ("cuối tháng", SEP, "2025-09-30"),
    ("tuần đầu tháng 10", SEP, "2025-10-01..2025-10-07"),
    ("tuần thứ hai của tháng 3", SEP, "2026-03-08..2026-03-14"),
    ("tuần cuối tháng 1 năm 2026", SEP, "2026-01-25..2026-01-31"),
    # quarters and halves
    ("trong quý IV", SEP, "2025-10-01..2025-12-31"),
    ("quý I/2026", SEP, "2026-01-01..2026-03-31"),
    ("trong quý II năm 2026", SEP, "2026-04-01..2026-06-30"),
    ("quý 3/2026", SEP, "2026-07-01..2026-09-30"),
    ("trong Quí III", SEP, "2025-07-01..2025-09-30"),
    ("trong quý I", SEP, "2026-01-01..2026-03-31"),
    ("hết quý III năm 2025", SEP, "2025-09-30"),
    ("cuối quý IV/2025", SEP, "2025-12-31"),
    ("trước quý II/2026", SEP, "2026-03-31"),
    ("cuối quý", SEP, "2025-09-30"),
    ("trong quý tới", SEP, "2025-10-01..2025-12-31"),
    ("6 tháng đầu năm", SEP, "2026-01-01..2026-06-30"),
    ("6 tháng đầu năm 2026", SEP, "2026-01-01..2026-06-30"),
    ("trong 6 tháng cuối năm", SEP, "2025-07-01..2025-12-31"),
    ("6 tháng cuối năm", DEC, "2026-07-01..2026-12-31"),
    ("sáu tháng cuối năm 2026", SEP, "2026-07-01..2026-12-31"),
    ("nửa đầu năm 2026", SEP, "2026-01-01..2026-06-30"),
    # years and terms
    ("năm 2030", SEP, "2030-01-01..2030-12-31"),
    ("trong năm 2026", SEP, "2026-01-01..2026-12-31"),
    ("cuối năm 2026", SEP, "2026-12-31"),
    ("đến năm 2030", SEP, "2030-12-31"),
    ("từ nay đến cuối năm", SEP, "2025-09-15..2025-12-31"),
    ("từ nay đến hết năm 2025", SEP, "2025-09-15..2025-12-31"),
    ("từ nay đến hết tháng 01/2026", DEC, "2025-12-20..2026-01-31"),
    ("từ nay đến ngày 30/10/2025", SEP, "2025-09-15..2025-10-30"),
    ("cuối năm", SEP, "2025-12-31"),
    ("trong năm", SEP, "2025-01-01..2025-12-31"),
    ("năm tới", SEP, "2026-01-01..2026-12-31"),
    ("trong năm nay", SEP, "2025-01-01..2025-12-31"),
    ("giai đoạn 2026 - 2030", SEP, "2026-01-01..2030-12-31"),
    ("nhiệm kỳ 2025-2030", SEP, "2025-01-01..2030-12-31"),
    # recurrences
    ("hằng tháng", SEP, "monthly"),
    ("hàng tháng", SEP, "monthly"),
    ("định kỳ hằng quý", SEP, "quarterly"),
    ("mỗi quý", SEP, "quarterly"),
    ("hằng năm", SEP, "yearly"),
    ("định kỳ hằng năm", SEP, "yearly"),
    ("hằng tuần", SEP, "weekly"),
    ("hằng ngày", SEP, "daily"),
    ("6 tháng một lần", SEP, "half_yearly"),
    ("định kỳ 6 tháng", SEP, "half_yearly"),
    ("3 tháng 1 lần", SEP, "quarterly"),
    ("vào các ngày cuối tuần", SEP, "weekly"),
    ("chủ nhật hằng tuần", SEP, "weekly"),
    ("trước ngày 20 hằng tháng", SEP, "monthly@20"),
    ("vào ngày 5 hàng tháng", SEP, "monthly@5"),
    ("ngày 25 mỗi tháng", SEP, "monthly@25"),
    ("hằng tháng, trước ngày 25", SEP, "monthly@25"),
    ("trước ngày 15 của tháng cuối quý", SEP, "quarterly@15"),
    ("chậm nhất ngày 10 của tháng đầu mỗi quý", SEP, "quarterly@10"),
    # no time limit
    ("từ tháng 1/2026", SEP, "-"),
    ("báo cáo sơ kết 6 tháng đầu năm 2026", SEP, "-"),
    ("tổng kết năm 2025", SEP, "-"),
    ("1/3 số đảng viên", SEP, "-"),
    ("trong dịp Tết", SEP, "-"),
    ("kịp thời", SEP, "-"),
]


def _key(text: str, issued: dt.date) -> str:
    found = parse_deadline(text, issued)
    return found.key() if found is not None else "-"


def test_table_is_large_and_distinct() -> None:
    assert len(TABLE) >= 80
    assert len({(text, issued) for text, issued, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("text", "issued", "expected"), TABLE, ids=[t for t, _, _ in TABLE])
def test_expression(text: str, issued: dt.date, expected: str) -> None:
    assert _key(text, issued) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The limit ("trước", "chậm nhất") wins over a day that only tells an event.
        ("Hội nghị ngày 12/3/2026; báo cáo kết quả trước ngày 30/4/2026.", "2026-04-30"),
        # A recurrence takes the day the sentence gives it.
        ("Hằng tháng, các chi bộ báo cáo tình hình trước ngày 25.", "monthly@25"),
        # The year a guidance is about is not its time limit; the month it is issued in is.
        (
            "Chuẩn bị hướng dẫn xếp loại năm 2025, ban hành trong tháng 10.",
            "2025-10-01..2025-10-31",
        ),
        ("Các chi bộ tiếp tục nâng cao chất lượng sinh hoạt.", "-"),
    ],
)
def test_sentence(sentence: str, expected: str) -> None:
    assert _key(sentence, SEP) == expected


def test_find_all_in_order() -> None:
    found = find_deadlines("Hội nghị ngày 12/3/2026; báo cáo hằng quý, tổng hợp trong quý IV.", SEP)
    assert [d.key() for d in found] == ["2026-03-12", "quarterly", "2025-10-01..2025-12-31"]


def test_expression_text_is_kept() -> None:
    found = parse_deadline("Gửi về Văn phòng Đảng ủy trước ngày 15/10/2025.", SEP)
    assert found is not None and found.text == "trước ngày 15/10/2025"
    assert found.due == dt.date(2025, 10, 15) and found.start is None and found.every is None


def test_invalid_day_gives_nothing() -> None:
    assert parse_deadline("trước ngày 31/02/2026", SEP) is None
