"""JavaScript value semantics, the reference for every back end.

JsonLogic is defined by json-logic-js, so its operators inherit JavaScript's coercions
(`==` vs `===`, `<` on mixed types, `String(x)`, `parseFloat`). This module reproduces exactly
those coercions for JSON values in Python, so the evaluator can be a line-by-line port.

Numbers are JavaScript doubles: every arithmetic result is a `float` inside the evaluator and
is turned back into an `int` when integral (see `export`). NaN and ±Infinity exist inside an
evaluation, as in JavaScript, and become `None` at the boundary (JSON has neither).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

MAX_SAFE_INTEGER = 2**53
NAN = float("nan")

# ECMAScript StrWhiteSpaceChar: what Number(" 1 ") and String.prototype.trim() strip.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL_LITERAL = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\Z")
_RADIX_LITERAL = re.compile(r"0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)\Z")
_PARSE_FLOAT_PREFIX = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_object(value: Any) -> bool:
    return isinstance(value, dict | list)


def truthy(value: Any) -> bool:
    """JsonLogic truthiness: JavaScript's, except that an empty array is false."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        return value != ""
    if isinstance(value, list):
        return len(value) > 0
    return True


# --- number <-> string ----------------------------------------------------------------------


def to_number(value: Any) -> float:
    """JavaScript `Number(value)`."""
    if value is None or value is False:
        return 0.0
    if value is True:
        return 1.0
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        return string_to_number(value)
    if isinstance(value, list):
        return string_to_number(to_string(value))
    return NAN  # objects


def string_to_number(text: str) -> float:
    text = text.strip(JS_WHITESPACE)
    if text == "":
        return 0.0
    if _DECIMAL_LITERAL.match(text):
        return float(text.replace("Infinity", "inf"))
    radix = _RADIX_LITERAL.match(text)
    if radix:
        digits = radix.group(1)
        base = {"x": 16, "o": 8, "b": 2}[digits[0].lower()]
        return float(int(digits[1:], base))
    return NAN


def parse_float(value: Any) -> float:
    """JavaScript `parseFloat(value)`: the longest decimal prefix of `String(value)`."""
    if is_number(value):
        return to_number(value)
    text = to_string(value).lstrip(JS_WHITESPACE)
    match = _PARSE_FLOAT_PREFIX.match(text)
    if not match:
        return NAN
    literal = match.group(0)
    # parseFloat("1e") is 1: the exponent needs digits, so back off to the mantissa.
    return float(literal.replace("Infinity", "inf"))


def number_to_string(number: float) -> str:
    """JavaScript `String(number)` (Number::toString, radix 10)."""
    if isinstance(number, int):
        if abs(number) < 10**21:
            return str(number)
        number = to_number(number)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    number = abs(number)
    digits, exponent = _shortest_digits(number)
    k = len(digits)
    n = exponent  # the value is 0.digits * 10**n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    exp = f"e{'+' if e >= 0 else '-'}{abs(e)}"
    if k == 1:
        return sign + digits + exp
    return sign + digits[0] + "." + digits[1:] + exp


def _shortest_digits(number: float) -> tuple[str, int]:
    """Shortest round-trip digits and the decimal exponent n with value = 0.d1d2... * 10**n."""
    mantissa, _, exp = f"{number!r}".partition("e")
    if "." in mantissa:
        whole, frac = mantissa.split(".")
    else:
        whole, frac = mantissa, ""
    frac = frac.rstrip("0")
    exponent = int(exp) if exp else 0
    digits = (whole + frac).lstrip("0")
    leading_zeros = len(whole + frac) - len((whole + frac).lstrip("0"))
    n = len(whole) + exponent - leading_zeros
    return digits.rstrip("0") or "0", n


def to_string(value: Any) -> str:
    """JavaScript `String(value)` for JSON values (arrays join with "," and drop nulls)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return number_to_string(value)
    if isinstance(value, list):
        return ",".join("" if item is None else to_string(item) for item in value)
    return "[object Object]"


def to_primitive(value: Any) -> Any:
    """ToPrimitive for JSON values: arrays and objects become their strings."""
    if isinstance(value, list | dict):
        return to_string(value)
    return value


# --- equality and order -----------------------------------------------------------------------


def strict_equals(a: Any, b: Any) -> bool:
    """JavaScript `===`."""
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if is_number(a) and is_number(b):
        return a == b  # NaN != NaN as in JavaScript
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if is_object(a) and is_object(b):
        return a is b  # identity, as for JavaScript objects
    return False


def loose_equals(a: Any, b: Any) -> bool:
    """JavaScript `==` (IsLooselyEqual) restricted to JSON values."""
    if a is None or b is None:
        return a is None and b is None
    if _same_type(a, b):
        return strict_equals(a, b)
    if isinstance(a, bool):
        return loose_equals(1.0 if a else 0.0, b)
    if isinstance(b, bool):
        return loose_equals(a, 1.0 if b else 0.0)
    if is_number(a) and isinstance(b, str):
        return a == string_to_number(b)
    if isinstance(a, str) and is_number(b):
        return string_to_number(a) == b
    if is_object(a) and not is_object(b):
        return loose_equals(to_primitive(a), b)
    if is_object(b) and not is_object(a):
        return loose_equals(a, to_primitive(b))
    return False


def _same_type(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if is_number(a):
        return is_number(b)
    if is_object(a):
        return is_object(b)
    return type(a) is type(b)


def less_than(a: Any, b: Any) -> bool | None:
    """JavaScript's IsLessThan: True, False, or None for "undefined" (a NaN was involved)."""
    a, b = to_primitive(a), to_primitive(b)
    if isinstance(a, str) and isinstance(b, str):
        return utf16_key(a) < utf16_key(b)
    x, y = to_number(a), to_number(b)
    if math.isnan(x) or math.isnan(y):
        return None
    return x < y


def compare(op: str, a: Any, b: Any) -> bool:
    """JavaScript `a < b`, `a <= b`, `a > b`, `a >= b`."""
    if op == "<":
        return less_than(a, b) is True
    if op == ">":
        return less_than(b, a) is True
    if op == "<=":
        r = less_than(b, a)
        return r is False
    if op == ">=":
        r = less_than(a, b)
        return r is False
    raise ValueError(op)


def utf16_key(text: str) -> bytes:
    """Sort key equal to JavaScript's string order (UTF-16 code units)."""
    return text.encode("utf-16-be", "surrogatepass")


# --- data in, results out ---------------------------------------------------------------------


def from_data(value: Any) -> Any:
    """Normalise one value read from data: dates to ISO strings, Decimal to float, unknown to None.

    Data never makes evaluation raise: anything that is not a JSON value is read as null.
    """
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, dict | list):
        return value
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, tuple):
        return list(value)
    return None


def export(value: Any) -> Any:
    """Turn an evaluation result into plain JSON: integral floats to int, NaN/Infinity to None."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value.is_integer() and abs(value) <= MAX_SAFE_INTEGER:
            return int(value)
        return value
    if isinstance(value, list):
        return [export(v) for v in value]
    if isinstance(value, dict):
        return {str(k): export(from_data(v)) for k, v in value.items()}
    return from_data(value)


def format_datetime(value: dt.datetime) -> str:
    """Canonical datetime text: UTC, whole seconds, `YYYY-MM-DDTHH:MM:SSZ`.

    Naive datetimes are taken as UTC. One fixed shape keeps string order chronological.
    """
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"
