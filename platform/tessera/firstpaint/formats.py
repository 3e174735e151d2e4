"""Numbers, dates and times written exactly as the browser's form writes them.

Two browser rules are reproduced, each from its own source file:

- the number editor's text (`fields/types/number.tsx` `numberText`): JavaScript's
  `String(n)` without a precision, `n.toFixed(precision)` with one, money grouped by
  thousands on top;
- the read-only value of a computed field (`fields/display/decimal.ts` `formatDecimal`, which
  is Intl's output for en and zh-CN): the shortest round-trip digits rounded half away from
  zero, grouped, `¥` before and `%` after.

No Babel/CLDR here: both languages write numbers alike (groups of three with ",", "." for
decimals), which is why the browser's own fast path needs no Intl either. Values the browser
would format some other way (past 2^53, exponents, currencies it asks Intl about) raise
`CannotDraw`, so such a page is drawn by the browser.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from engines.form import RecordContext
from tessera.firstpaint.templates import CannotDraw

#: The zone of the business calendar, Asia/Shanghai: the engines' RecordContext default, which
#: the platform leaves as it is (no tenant has a zone of its own yet), and the browser's
#: SERVER_TIME_ZONE (frontend/src/form/visibility.ts). Datetimes are drawn in it; the app
#: re-draws them in the browser's own zone when it takes over, if that differs.
TIME_ZONE = ZoneInfo(RecordContext().timezone)
SAFE_INTEGER = 2**53
_GROUPS = re.compile(r"\B(?=(\d{3})+(?!\d))")
#: narrow currency symbols that read the same in en and zh-CN (decimal.ts NARROW_SYMBOLS)
NARROW_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "JPY": "¥", "GBP": "£", "HKD": "$"}


def js_number(value: object) -> float | int:
    """A JSON number as the browser holds it; CannotDraw for anything else or anything a
    double would not hold exactly as the server sent it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CannotDraw(f"not a number: {value!r}")
    if isinstance(value, int) and abs(value) > SAFE_INTEGER:
        raise CannotDraw("an integer past 2^53")
    if isinstance(value, float) and not (abs(value) < 1e21):  # also NaN and infinities
        raise CannotDraw("a number JavaScript writes with an exponent")
    return value


def js_string(value: float | int) -> str:
    """JavaScript's `String(n)` for a finite number below 1e21 (Number::toString): the
    shortest round-trip digits, which Python's `repr` also gives, laid out JavaScript's way."""
    if isinstance(value, int):
        return str(value)
    if value == 0:
        return "0"  # String(-0) is "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + int(exponent)  # n: the value is 0.digits × 10^n
    if len(digits) <= point <= 21:
        body = digits + "0" * (point - len(digits))
    elif 0 < point <= 21:
        body = digits[:point] + "." + digits[point:]
    elif -6 < point <= 0:
        body = "0." + "0" * -point + digits
    else:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        body = f"{mantissa}e{'+' if point - 1 >= 0 else '-'}{abs(point - 1)}"
    return ("-" if sign else "") + body


def to_fixed(value: float | int, places: int) -> str:
    """JavaScript's `n.toFixed(places)`: the double's exact value rounded to `places`
    decimals, a tie going away from zero."""
    if not 0 <= places <= 100:
        raise CannotDraw(f"toFixed({places})")
    if value == 0:
        value = 0  # (-0).toFixed(2) is "0.00"
    exact = Decimal(value)  # a float's exact binary value, not its shortest digits
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{rounded:f}"


def group_thousands(text: str) -> str:
    """"1234567.5" -> "1,234,567.5": the money editor's formatter (decimals untouched)."""
    whole, dot, decimals = text.partition(".")
    return _GROUPS.sub(",", whole) + dot + decimals


def number_text(value: object, precision: int | None, money: bool) -> str:
    """What the number editor (`numberText`) shows: fixed to the precision, money grouped."""
    if value is None:
        return ""
    number = js_number(value)
    fixed = js_string(number) if precision is None else to_fixed(number, precision)
    return group_thousands(fixed) if money else fixed


def fraction_to_percent(fraction: float | int) -> float | int:
    """A stored fraction as the percent people type (`fractionToPercent`): 0.15 -> 15, as
    `Number((fraction * 100).toPrecision(12))` (half away from zero on the exact value)."""
    product = js_number(fraction) * 100
    if product == 0:
        return 0
    exact = Decimal(product)
    rounded = exact.quantize(Decimal(1).scaleb(exact.adjusted() - 11), rounding=ROUND_HALF_UP)
    result = float(rounded)
    return int(result) if result.is_integer() and abs(result) <= SAFE_INTEGER else result


def intl_number(value: object, *, min_digits: int = 0, max_digits: int = 10,
                style: str = "decimal", currency: str | None = None) -> str:
    """`formatDecimal` (Intl.NumberFormat in en / zh-CN) of a JSON number: its shortest digits
    rounded half away from zero to `max_digits` decimals, at least `min_digits`, grouped."""
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value):
        raise CannotDraw("an exact decimal string (Intl formats it digit by digit)")
    number = js_number(value)
    symbol = NARROW_SYMBOLS.get(currency or "") if style == "currency" else ""
    if symbol is None or not 0 <= min_digits <= max_digits <= 20 or abs(number) >= SAFE_INTEGER:
        raise CannotDraw("a number format the browser leaves to Intl")
    negative = number < 0 or (isinstance(number, float) and str(number) == "-0.0")
    exact = Decimal(js_string(abs(number)) if number else "0")
    if style == "percent":
        exact = exact.scaleb(2)
    rounded = exact.quantize(Decimal(1).scaleb(-max_digits), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:f}".partition(".")
    fraction = fraction.rstrip("0").ljust(min_digits, "0")
    body = _GROUPS.sub(",", whole) + ("." + fraction if fraction else "")
    return ("-" if negative else "") + symbol + body + ("%" if style == "percent" else "")


# -- dates and times -------------------------------------------------------------------------

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_date(value: object) -> date:
    """A date field's value (`2026-11-25`), as dayjs reads it: the calendar day itself."""
    if not isinstance(value, str):
        raise CannotDraw(f"not a date: {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CannotDraw(f"not a date: {value!r}") from None


def parse_instant(value: object) -> datetime:
    """A datetime field's value (ISO 8601 with an offset) in the business zone."""
    if not isinstance(value, str):
        raise CannotDraw(f"not a datetime: {value!r}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CannotDraw(f"not a datetime: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TIME_ZONE)  # written without an offset: that zone's
    return moment.astimezone(TIME_ZONE)


def date_input(value: object) -> str:
    """The date picker's text: `YYYY-MM-DD`."""
    return parse_date(value).isoformat()


def datetime_input(value: object) -> str:
    """The date-time picker's text: `YYYY-MM-DD HH:mm` in the business zone."""
    return parse_instant(value).strftime("%Y-%m-%d %H:%M")


def time_input(value: object) -> str:
    """The time picker's text: `HH:mm` (dayjs on today's date: hours may run past 23 only in
    text the server never stores)."""
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise CannotDraw(f"not a time: {value!r}")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise CannotDraw(f"a time dayjs would roll over: {value!r}")
    return f"{hour:02d}:{minute:02d}"


def date_label(day: date, locale: str) -> str:
    """A date as read-only values show it (`display/temporal.tsx` dateLabel):
    `2026年11月25日` / `Nov 25, 2026`."""
    if locale == "zh-CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{_EN_MONTHS[day.month - 1]} {day.day}, {day.year}"


def datetime_label(value: object, locale: str) -> str:
    moment = parse_instant(value)
    return f"{date_label(moment.date(), locale)} {moment:%H:%M}"
