"""Vietnamese time expressions to dates, periods and recurrences, relative to a document's
issue date. The expressions are data (`deadlines.tsv`); this module only resolves them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.summarise.models import Deadline, Every

__all__ = ["find_deadlines", "parse_deadline"]

_TABLE = Path(__file__).with_name("deadlines.tsv")
_PIECE = re.compile(r"\{(\w+)\}")

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_NUMBER_WORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười lăm": 15,
    "hai mươi": 20,
    "ba mươi": 30,
    "bốn mươi lăm": 45,
    "sáu mươi": 60,
    "chín mươi": 90,
}
_FREQ = {
    "ngày": Every.daily,
    "tuần": Every.weekly,
    "tháng": Every.monthly,
    "quý": Every.quarterly,
    "năm": Every.yearly,
}
_MONTHS_EVERY = {1: Every.monthly, 3: Every.quarterly, 6: Every.half_yearly, 12: Every.yearly}
# Words before an expression that make it the day work must be done by.
# Words before (or opening) an expression that make it the time work must be done by (rank
# 2), or the time it is done in (rank 1).
_DUE_CUE = re.compile(r"(?:trước|chậm nhất|hạn chót|hạn|xong|đến hết|đến|không quá)\s*$")
_DUE_START = re.compile(r"(?:trước|chậm nhất|hạn|xong|đến|không quá|từ nay)(?!\w)")
_IN_CUE = re.compile(r"(?:trong|vào|trong suốt)\s*$")
_IN_START = re.compile(r"(?:trong|vào)(?!\w)")


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]


class _Match:
    """One rule's match: the captured pieces by name, in the order they appear."""

    def __init__(self, m: re.Match[str]) -> None:
        self.text = m.group(0).strip()
        self.values: dict[str, list[str]] = {}
        for group, value in sorted(
            ((g, v) for g, v in m.groupdict().items() if v is not None),
            key=lambda gv: m.start(gv[0]),
        ):
            self.values.setdefault(group.rsplit("_", 1)[0], []).append(value)

    def get(self, name: str) -> str | None:
        found = self.values.get(name)
        return found[0] if found else None

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])


@cache
def _rules() -> tuple[_Rule, ...]:
    pieces: dict[str, str] = {}
    rules: list[tuple[str, str]] = []
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, pattern = line.split("\t", 1)
        if name.startswith("@"):
            pieces[name[1:]] = pattern.strip()
        else:
            rules.append((name, pattern.strip()))
    counter = [0]

    def expand(pattern: str) -> str:
        def piece(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in pieces:
                return m.group(0)  # a regex quantifier such as {1,3}
            body = expand(pieces[name])
            if name.islower():
                counter[0] += 1
                return f"(?P<{name}_{counter[0]}>{body})"
            return f"(?:{body})"

        return _PIECE.sub(piece, pattern)

    return tuple(
        _Rule(name, re.compile(rf"(?<!\w){expand(pattern)}(?!\w)")) for name, pattern in rules
    )


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"\bhàng(?=\s+(?:ngày|tuần|tháng|quý|năm)\b)", "hằng", text)
    text = text.replace("quí", "quý").replace("\u2013", "-")
    return re.sub(r"\s+", " ", text)


def _number(value: str) -> int:
    return int(value) if value.isdigit() else _NUMBER_WORDS[value]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return _safe_date(day.year + index // 12, index % 12 + 1, day.day)


def _period(start: dt.date, end: dt.date, pos: str | None, issued: dt.date, text: str) -> Deadline:
    """A period read through its modifier: "trong" (or none) the whole period, "trước" the day
    before it, "cuối"/"đến"/"hết" its last day, "đầu"/"giữa" its first or middle third."""
    pos = pos or ""
    if pos == "trước":
        return Deadline(text=text, due=start - dt.timedelta(days=1))
    if pos in ("cuối", "đến", "tới", "hết", "đến hết", "chậm nhất", "chậm nhất là"):
        return Deadline(text=text, due=end)
    span = (end - start).days + 1
    if pos == "đầu":
        return Deadline(text=text, start=start, due=start + dt.timedelta(days=span // 3 - 1))
    if pos == "giữa":
        return Deadline(
            text=text,
            start=start + dt.timedelta(days=span // 3),
            due=start + dt.timedelta(days=2 * span // 3 - 1),
        )
    if pos == "nửa đầu":
        return Deadline(text=text, start=start, due=start + dt.timedelta(days=span // 2 - 1))
    if pos == "nửa cuối":
        return Deadline(text=text, start=start + dt.timedelta(days=span // 2), due=end)
    return Deadline(text=text, start=start, due=end)


def _from_now(m: _Match, found: Deadline, issued: dt.date) -> Deadline:
    """ "Từ nay đến …": the period runs from the issue date to the expression's last day."""
    if m.get("fromnow") is None or found.due is None:
        return found
    return found.model_copy(update={"start": issued})


def _year_of(m: _Match, issued: dt.date, bounds: Callable[[int], tuple[dt.date, dt.date]]) -> int:
    """The year written, else the issue year; the next year when the period it names has
    passed by the issue date or has less than a sixth of it left (a resolution of 20 December
    means next year's "6 tháng cuối năm")."""
    if (year := m.get("y")) is not None:
        return int(year)
    start, end = bounds(issued.year)
    left, length = (end - issued).days + 1, (end - start).days + 1
    return issued.year if 6 * left >= length else issued.year + 1


def _quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)


def _rel_shift(rel: str | None) -> int:
    return 1 if rel in ("tới", "sau", "kế tiếp", "tiếp theo") else 0


# -- resolvers: one per rule name in the table -------------------------------------------------


def _recur(m: _Match, issued: dt.date) -> Deadline | None:
    return Deadline(text=m.text, every=_FREQ[m.get("freq") or "tháng"])


def _recur_day(m: _Match, issued: dt.date) -> Deadline | None:
    return Deadline(text=m.text, every=_FREQ[m.get("freq") or "tháng"], day=int(m.get("d") or 0))


def _recur_months(m: _Match, issued: dt.date) -> Deadline | None:
    every = _MONTHS_EVERY.get(_number(m.get("n") or "1"))
    return Deadline(text=m.text, every=every) if every else None


def _within(m: _Match, issued: dt.date) -> Deadline | None:
    count, unit = _number(m.get("n") or "0"), m.get("unit") or "ngày"
    if count == 0:
        return None
    if unit == "ngày làm việc":
        day, left = issued, count
        while left:
            day += dt.timedelta(days=1)
            left -= day.weekday() < 5
        return Deadline(text=m.text, due=day)
    if unit == "ngày":
        return Deadline(text=m.text, due=issued + dt.timedelta(days=count))
    if unit == "tuần":
        return Deadline(text=m.text, due=issued + dt.timedelta(weeks=count))
    months = count * (12 if unit == "năm" else 1)
    return Deadline(text=m.text, due=_add_months(issued, months))


def _event(m: _Match, issued: dt.date) -> Deadline | None:
    """Words that look like a time limit but give none (counted from another event, a
    reviewed period, a start without an end): taken so that no shorter rule reads them."""
    return Deadline(text=m.text)


def _recur_week(m: _Match, issued: dt.date) -> Deadline | None:
    return Deadline(text=m.text, every=Every.weekly)


def _today(m: _Match, issued: dt.date) -> Deadline | None:
    return Deadline(text=m.text, due=issued)


def _day_month(m: _Match, issued: dt.date, index: int = 0) -> tuple[int, int, str | None]:
    days, months, years = m.all("d"), m.all("m"), m.all("y")
    return int(days[index]), int(months[index]), years[index] if index < len(years) else None


def _date(m: _Match, issued: dt.date) -> Deadline | None:
    day, month, year = _day_month(m, issued)
    if year is None:
        year_n = issued.year if _safe_date(issued.year, month, day) >= issued else issued.year + 1
    else:
        year_n = int(year)
    try:
        due = dt.date(year_n, month, day)
    except ValueError:
        return None
    return _from_now(m, Deadline(text=m.text, due=due), issued)


def _range(m: _Match, issued: dt.date) -> Deadline | None:
    days, months, years = m.all("d"), m.all("m"), m.all("y")
    end_year = int(years[-1]) if years else None
    if end_year is None:
        first = _safe_date(issued.year, int(months[0]), int(days[0]))
        end_year = issued.year if first >= issued else issued.year + 1
    start_year = int(years[0]) if len(years) == 2 else end_year
    try:
        start = dt.date(start_year, int(months[0]), int(days[0]))
        due = dt.date(end_year, int(months[1]), int(days[1]))
    except ValueError:
        return None
    if due < start:
        start = start.replace(year=start.year - 1)
    return Deadline(text=m.text, start=start, due=due)


def _bare_day(m: _Match, issued: dt.date) -> Deadline | None:
    day = int(m.get("d") or 1)
    due = _safe_date(issued.year, issued.month, day)
    if due < issued:
        nxt = _add_months(issued.replace(day=1), 1)
        due = _safe_date(nxt.year, nxt.month, day)
    return Deadline(text=m.text, due=due)


def _week(m: _Match, issued: dt.date) -> Deadline | None:
    month = int(m.get("m") or 1)
    year = _year_of(m, issued, lambda y: (dt.date(y, month, 1), _month_end(y, month)))
    which = m.get("wk") or "đầu"
    if which == "cuối":
        end = _month_end(year, month)
        return Deadline(text=m.text, start=end - dt.timedelta(days=6), due=end)
    index = {"đầu": 1, "thứ nhất": 1, "thứ hai": 2, "thứ ba": 3, "thứ tư": 4}.get(which)
    n = index or int(which)
    start = dt.date(year, month, 7 * (n - 1) + 1)
    return Deadline(text=m.text, start=start, due=start + dt.timedelta(days=6))


def _month(m: _Match, issued: dt.date) -> Deadline | None:
    month = int(m.get("m") or 1)
    year = _year_of(m, issued, lambda y: (dt.date(y, month, 1), _month_end(y, month)))
    found = _period(dt.date(year, month, 1), _month_end(year, month), m.get("pos"), issued, m.text)
    return _from_now(m, found, issued)


def _month_rel(m: _Match, issued: dt.date) -> Deadline | None:
    first = _add_months(issued.replace(day=1), _rel_shift(m.get("rel")))
    found = _period(first, _month_end(first.year, first.month), m.get("pos"), issued, m.text)
    return _from_now(m, found, issued)


def _quarter(m: _Match, issued: dt.date) -> Deadline | None:
    q = m.get("q") or "1"
    quarter = _ROMAN.get(q) or int(q)
    year = _year_of(m, issued, lambda y: _quarter_bounds(y, quarter))
    start, end = _quarter_bounds(year, quarter)
    return _from_now(m, _period(start, end, m.get("pos"), issued, m.text), issued)


def _quarter_rel(m: _Match, issued: dt.date) -> Deadline | None:
    quarter = (issued.month - 1) // 3 + 1 + _rel_shift(m.get("rel"))
    year = issued.year + (quarter - 1) // 4
    start, end = _quarter_bounds(year, (quarter - 1) % 4 + 1)
    return _from_now(m, _period(start, end, m.get("pos"), issued, m.text), issued)


def _half(m: _Match, issued: dt.date) -> Deadline | None:
    first = m.get("half") == "đầu"
    end_month = 6 if first else 12
    if m.get("rel") is not None:
        year = issued.year + _rel_shift(m.get("rel"))
    else:
        year = _year_of(
            m, issued, lambda y: (dt.date(y, end_month - 5, 1), _month_end(y, end_month))
        )
    start = dt.date(year, 1 if first else 7, 1)
    return Deadline(text=m.text, start=start, due=_month_end(year, end_month))


def _year(m: _Match, issued: dt.date) -> Deadline | None:
    year = int(m.get("y") or issued.year)
    found = _period(dt.date(year, 1, 1), dt.date(year, 12, 31), m.get("pos"), issued, m.text)
    return _from_now(m, found, issued)


def _year_rel(m: _Match, issued: dt.date) -> Deadline | None:
    year = issued.year + _rel_shift(m.get("rel"))
    found = _period(dt.date(year, 1, 1), dt.date(year, 12, 31), m.get("pos"), issued, m.text)
    return _from_now(m, found, issued)


def _span(m: _Match, issued: dt.date) -> Deadline | None:
    first, last = int(m.get("y") or issued.year), int(m.get("y2") or issued.year)
    return Deadline(text=m.text, start=dt.date(first, 1, 1), due=dt.date(last, 12, 31))


_RESOLVERS: dict[str, Callable[[_Match, dt.date], Deadline | None]] = {
    "recur": _recur,
    "recur_day": _recur_day,
    "recur_months": _recur_months,
    "within": _within,
    "event": _event,
    "topic": _event,
    "start": _event,
    "recur_week": _recur_week,
    "today": _today,
    "date": _date,
    "range": _range,
    "bare_day": _bare_day,
    "week": _week,
    "month": _month,
    "month_rel": _month_rel,
    "quarter": _quarter,
    "quarter_rel": _quarter_rel,
    "half": _half,
    "year": _year,
    "year_rel": _year_rel,
    "span": _span,
}


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    rule: str
    deadline: Deadline


def _find(text: str, issued: dt.date) -> list[_Found]:
    """Every expression in the text, leftmost-longest, not overlapping."""
    normal = _normal(text)
    candidates: list[tuple[int, int, int, str, re.Match[str]]] = []
    for order, rule in enumerate(_rules()):
        for m in rule.pattern.finditer(normal):
            if m.group(0).strip():
                candidates.append((m.start(), -(m.end() - m.start()), order, rule.name, m))
    found: list[_Found] = []
    taken_until = -1
    for start, _neg_len, _order, name, m in sorted(candidates, key=lambda c: c[:3]):
        if start < taken_until:
            continue
        deadline = _RESOLVERS[name](_Match(m), issued)
        if deadline is None:
            continue
        found.append(_Found(start, m.end(), name, deadline))
        taken_until = m.end()
    return found


def _dated(deadline: Deadline) -> bool:
    return deadline.due is not None or deadline.every is not None


def find_deadlines(text: str, issued: dt.date) -> list[Deadline]:
    """Every time expression in `text` that gives a date or a recurrence, in order, resolved
    against `issued` (one counted from another event, "sau đại hội", gives none)."""
    return [f.deadline for f in _find(text, issued) if _dated(f.deadline)]


def parse_deadline(text: str, issued: dt.date) -> Deadline | None:
    """The one deadline a sentence sets: a recurrence combined with the day it names ("hằng
    tháng … trước ngày 25"); else the expression marked as a limit ("trước", "chậm nhất",
    "đến"); else the first one."""
    found = [f for f in _find(text, issued) if _dated(f.deadline)]
    if not found:
        return None
    normal = _normal(text)
    recurring = [f for f in found if f.deadline.every is not None]
    if recurring:
        first = recurring[0].deadline
        if first.day is None:
            for f in found:
                if f.rule == "bare_day" and f.deadline.due is not None:
                    return first.model_copy(update={"day": f.deadline.due.day})
        return first

    def rank(f: _Found) -> int:
        before = normal[max(0, f.start - 14) : f.start]
        if _DUE_CUE.search(before) or _DUE_START.match(f.deadline.text):
            return 2
        return 1 if _IN_CUE.search(before) or _IN_START.match(f.deadline.text) else 0

    best = max(rank(f) for f in found)
    return next(f.deadline for f in found if rank(f) == best)
