"""Date and datetime values: parsing, canonical text, calendar arithmetic.

Typing rules (docs/expressions.md, "Dates"):
- a date is the text `YYYY-MM-DD`; a datetime is ISO 8601 text with a time; results are
  written canonically: `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), so that
  comparing two canonical values as text (which is what JsonLogic's `<` does) is chronological;
- a datetime with an offset is converted to UTC; one without is taken as UTC;
- anything that does not parse (including 2025-02-30) is not a date: functions return null.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from .values import format_datetime, to_number

Clock = Callable[[], dt.datetime]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?\Z"
)
UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "month": "months", "months": "months",
    "q": "quarters", "quarter": "quarters", "quarters": "quarters",
    "y": "years", "year": "years", "years": "years",
    "h": "hours", "hour": "hours", "hours": "hours",
    "min": "minutes", "minute": "minutes", "minutes": "minutes",
}  # fmt: skip


def default_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def parse(value: Any) -> dt.date | dt.datetime | None:
    """A date (`datetime.date`) or a UTC naive datetime, or None when `value` is not one."""
    if isinstance(value, dt.datetime):
        return _to_utc_naive(value)
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        if _DATE.match(value):
            return dt.date.fromisoformat(value)
        if _DATETIME.match(value):
            return _to_utc_naive(dt.datetime.fromisoformat(value))
    except ValueError:
        return None
    return None


def _to_utc_naive(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def is_date_literal(value: Any) -> bool:
    return isinstance(value, str) and _DATE.match(value) is not None and parse(value) is not None


def is_datetime_literal(value: Any) -> bool:
    if not isinstance(value, str) or _DATETIME.match(value) is None:
        return False
    return parse(value) is not None


def render(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    return value.isoformat()


def as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def today(clock: Clock) -> str:
    """The calendar date of the clock's own time zone (the platform passes the tenant's)."""
    return clock().date().isoformat()


def now(clock: Clock) -> str:
    return format_datetime(clock())


def unit_of(value: Any) -> str | None:
    return UNITS.get(value.lower()) if isinstance(value, str) else None


def whole(value: Any) -> int | None:
    """A count for date arithmetic: Number(value) truncated toward zero; None when not finite."""
    number = to_number(value)
    if math.isnan(number) or math.isinf(number) or abs(number) > 1e7:
        return None
    return int(number)


def add_months(value: dt.date | dt.datetime, months: int) -> dt.date | dt.datetime | None:
    """Calendar months, clamping the day (Jan 31 + 1 month = Feb 28/29), as Excel's EDATE."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        return None
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def add(value: Any, amount: Any, unit: Any) -> str | None:
    base, count, unit_name = parse(value), whole(amount), unit_of(unit)
    if base is None or count is None or unit_name is None:
        return None
    try:
        if unit_name in ("months", "quarters", "years"):
            factor = {"months": 1, "quarters": 3, "years": 12}[unit_name]
            result = add_months(base, count * factor)
        elif unit_name in ("hours", "minutes"):
            if not isinstance(base, dt.datetime):
                base = dt.datetime.combine(base, dt.time())
            result = base + dt.timedelta(**{unit_name: count})
        else:
            result = base + dt.timedelta(**{unit_name: count})
    except OverflowError:
        return None
    return None if result is None else render(result)


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def diff(start: Any, end: Any, unit: Any) -> int | None:
    """Whole units from `start` to `end` (negative when end is earlier), like DATEDIF."""
    a, b, unit_name = parse(start), parse(end), unit_of(unit)
    if a is None or b is None or unit_name is None:
        return None
    if unit_name in ("hours", "minutes"):
        a_dt = a if isinstance(a, dt.datetime) else dt.datetime.combine(a, dt.time())
        b_dt = b if isinstance(b, dt.datetime) else dt.datetime.combine(b, dt.time())
        seconds = (b_dt - a_dt).total_seconds()
        size = 3600 if unit_name == "hours" else 60
        return int(seconds / size)
    da, db = as_date(a), as_date(b)
    if unit_name in ("days", "weeks"):
        days = (db - da).days
        return days if unit_name == "days" else int(days / 7)
    sign = 1
    if db < da:
        da, db, sign = db, da, -1
    months = _months_between(da, db)
    size = {"months": 1, "quarters": 3, "years": 12}[unit_name]
    return sign * (months // size)


def part(value: Any, name: str) -> int | None:
    parsed = parse(value)
    if parsed is None:
        return None
    return int(getattr(parsed, name))


def weekday(value: Any, return_type: Any = 1) -> int | None:
    """Excel's WEEKDAY: type 1 Sunday=1..Saturday=7 (default), 2 Monday=1..7, 3 Monday=0..6."""
    parsed = parse(value)
    kind = whole(return_type)
    if parsed is None or kind not in (1, 2, 3):
        return None
    iso = parsed.isoweekday()  # Monday=1 .. Sunday=7
    if kind == 1:
        return iso % 7 + 1
    return iso if kind == 2 else iso - 1


def start_of(value: Any, unit: Any) -> str | None:
    """First day of the week (Monday), month, quarter or year containing `value`, as a date."""
    parsed, unit_name = parse(value), unit_of(unit)
    if parsed is None or unit_name is None:
        return None
    day = as_date(parsed)
    if unit_name in ("days", "hours", "minutes"):
        return day.isoformat()
    if unit_name == "weeks":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    if unit_name == "months":
        return day.replace(day=1).isoformat()
    if unit_name == "quarters":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1).isoformat()
    return day.replace(month=1, day=1).isoformat()


def make_date(year: Any, month: Any, day: Any) -> str | None:
    """Excel's DATE(y, m, d): months and days roll over (DATE(2024, 13, 1) = 2025-01-01)."""
    y, m, d = whole(year), whole(month), whole(day)
    if y is None or m is None or d is None or not 1 <= y <= 9999:
        return None
    first = add_months(dt.date(y, 1, 1), m - 1)
    if first is None:
        return None
    try:
        return (first + dt.timedelta(days=d - 1)).isoformat()
    except OverflowError:
        return None
