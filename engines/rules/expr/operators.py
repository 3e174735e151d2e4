"""Every operator of the language, registered in `OPERATORS`.

The JsonLogic core is a port of json-logic-js 2.0 (its `operations` table and the lazy branches
of its `apply`), with JavaScript coercions from `values`. Documented departures: division or
modulo by zero gives null (not Infinity/NaN), and `var` reads only a value's own keys (never a
JavaScript prototype property). The extensions follow Excel where Excel has the function.

Eager operators are `fn(args, ctx)`; lazy ones are `fn(nodes, data, run, ctx)` and call
`run(node, data)` on just the nodes they need.
"""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from . import dates, safe_regex
from .registry import (
    ANY,
    ARRAY,
    BOOLEAN,
    DATEISH,
    NUMBER,
    ROWS,
    TEXT,
    operator,
)
from .textformat import format_value
from .values import (
    JS_WHITESPACE,
    NAN,
    compare,
    from_data,
    is_number,
    loose_equals,
    parse_float,
    strict_equals,
    to_number,
    to_string,
    truthy,
)

# --- accessors ------------------------------------------------------------------------------


def get_path(data: Any, key: Any, default: Any = None) -> Any:
    """json-logic-js `var`: dotted path, array indexes, `length` of arrays and strings."""
    if key is None or key == "":
        return data
    parts = to_string(key).split(".")
    current = data
    for part in parts:
        if current is None:
            return default
        current = _child(current, part)
        if current is _UNDEFINED:
            return default
    return from_data(current)


_UNDEFINED = object()


def _child(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        return value.get(key, _UNDEFINED)
    if isinstance(value, list | str):
        if key == "length":
            return len(value)
        if key.isdigit() and (key == "0" or not key.startswith("0")):
            index = int(key)
            return value[index] if index < len(value) else _UNDEFINED
    return _UNDEFINED


@operator("var", args=(0, 2), lazy=True, formula="VAR")
def _var(nodes: list[Any], data: Any, run: Any, ctx: Any) -> Any:
    key = run(nodes[0], data) if nodes else None
    default = run(nodes[1], data) if len(nodes) > 1 else None
    return get_path(data, key, default)


def _missing_keys(keys: list[Any], data: Any) -> list[Any]:
    if keys and isinstance(keys[0], list):
        keys = keys[0]
    return [key for key in keys if get_path(data, key) in (None, "")]


@operator("missing", lazy=True, returns=ARRAY, formula="MISSING")
def _missing(nodes: list[Any], data: Any, run: Any, ctx: Any) -> list[Any]:
    return _missing_keys([run(node, data) for node in nodes], data)


@operator("missing_some", args=(2, 2), lazy=True, params=((NUMBER,), (ARRAY,)), returns=ARRAY,
          formula="MISSING_SOME")  # fmt: skip
def _missing_some(nodes: list[Any], data: Any, run: Any, ctx: Any) -> list[Any]:
    need, options = run(nodes[0], data), run(nodes[1], data)
    options = options if isinstance(options, list) else [options]
    missing = _missing_keys([options], data)
    if compare(">=", len(options) - len(missing), need):
        return []
    return missing


# --- logic (lazy) ---------------------------------------------------------------------------


def _if(nodes: list[Any], data: Any, run: Any, ctx: Any) -> Any:
    i = 0
    while i < len(nodes) - 1:
        if truthy(run(nodes[i], data)):
            return run(nodes[i + 1], data)
        i += 2
    if len(nodes) == i + 1:
        return run(nodes[i], data)
    return None


operator("if", lazy=True, formula="IF")(_if)
operator("?:", lazy=True)(_if)


@operator("and", args=(1, None), lazy=True, formula="AND")
def _and(nodes: list[Any], data: Any, run: Any, ctx: Any) -> Any:
    current = None
    for node in nodes:
        current = run(node, data)
        if not truthy(current):
            return current
    return current


@operator("or", args=(1, None), lazy=True, formula="OR")
def _or(nodes: list[Any], data: Any, run: Any, ctx: Any) -> Any:
    current = None
    for node in nodes:
        current = run(node, data)
        if truthy(current):
            return current
    return current


@operator("!", args=(1, 1), returns=BOOLEAN, formula="NOT")
def _not(args: list[Any], ctx: Any) -> bool:
    return not truthy(args[0])


@operator("!!", args=(1, 1), returns=BOOLEAN, formula="BOOL")
def _notnot(args: list[Any], ctx: Any) -> bool:
    return truthy(args[0])


@operator("coalesce", args=(1, None), lazy=True, formula="COALESCE")
def _coalesce(nodes: list[Any], data: Any, run: Any, ctx: Any) -> Any:
    for node in nodes:
        value = run(node, data)
        if value is not None:
            return value
    return None


@operator("switch", args=(3, None), lazy=True, formula="SWITCH")
def _switch(nodes: list[Any], data: Any, run: Any, ctx: Any) -> Any:
    """Excel SWITCH(value, match1, result1, ..., [default]); matches with `===`."""
    value = run(nodes[0], data)
    rest = nodes[1:]
    i = 0
    while i < len(rest) - 1:
        if strict_equals(value, run(rest[i], data)):
            return run(rest[i + 1], data)
        i += 2
    return run(rest[i], data) if len(rest) == i + 1 else None


# --- comparison -----------------------------------------------------------------------------

operator("==", args=(2, 2), returns=BOOLEAN, formula="EQ")(lambda a, ctx: loose_equals(a[0], a[1]))
operator("!=", args=(2, 2), returns=BOOLEAN, formula="NE")(
    lambda a, ctx: not loose_equals(a[0], a[1])
)
operator("===", args=(2, 2), returns=BOOLEAN, formula="EXACT_EQ")(
    lambda a, ctx: strict_equals(a[0], a[1])
)
operator("!==", args=(2, 2), returns=BOOLEAN, formula="EXACT_NE")(
    lambda a, ctx: not strict_equals(a[0], a[1])
)
operator(">", args=(2, 2), returns=BOOLEAN, formula="GT")(lambda a, ctx: compare(">", a[0], a[1]))
operator(">=", args=(2, 2), returns=BOOLEAN, formula="GE")(lambda a, ctx: compare(">=", a[0], a[1]))


def _between(op: str) -> Any:
    def fn(args: list[Any], ctx: Any) -> bool:
        if len(args) == 2:
            return compare(op, args[0], args[1])
        return compare(op, args[0], args[1]) and compare(op, args[1], args[2])

    return fn


operator("<", args=(2, 3), returns=BOOLEAN, formula="LT")(_between("<"))
operator("<=", args=(2, 3), returns=BOOLEAN, formula="LE")(_between("<="))

# --- arithmetic (JavaScript doubles) ---------------------------------------------------------


@operator("+", params=((NUMBER, TEXT),), returns=NUMBER, formula="PLUS")
def _plus(args: list[Any], ctx: Any) -> float:
    total = 0.0
    for value in args:
        total = total + parse_float(value)
    return total


@operator("*", args=(1, None), params=((NUMBER, TEXT),), returns=NUMBER, formula="PRODUCT")
def _times(args: list[Any], ctx: Any) -> Any:
    if len(args) == 1:
        return args[0]  # Array.reduce without an initial value returns the only element
    product = parse_float(args[0])
    for value in args[1:]:
        product = product * parse_float(value)
    return product


@operator("-", args=(1, 2), params=((NUMBER, TEXT),), returns=NUMBER, formula="MINUS")
def _minus(args: list[Any], ctx: Any) -> float:
    if len(args) == 1:
        return -to_number(args[0])
    return to_number(args[0]) - to_number(args[1])


@operator("/", args=(2, 2), params=((NUMBER, TEXT),), returns=NUMBER, formula="DIVIDE")
def _divide(args: list[Any], ctx: Any) -> float | None:
    a, b = to_number(args[0]), to_number(args[1])
    if b == 0:
        return None  # JavaScript gives ±Infinity or NaN; Tessera gives null (documented)
    return a / b


@operator("%", args=(2, 2), params=((NUMBER, TEXT),), returns=NUMBER, formula="REMAINDER")
def _remainder(args: list[Any], ctx: Any) -> float | None:
    a, b = to_number(args[0]), to_number(args[1])
    if b == 0:
        return None
    if math.isnan(a) or math.isnan(b) or math.isinf(a):
        return NAN
    if math.isinf(b):
        return a
    return math.fmod(a, b)  # sign of the dividend, as JavaScript's %


def _js_min_max(args: list[Any], pick: Any, empty: float) -> float:
    numbers = [to_number(v) for v in args]
    if any(math.isnan(x) for x in numbers):
        return NAN
    return pick(numbers) if numbers else empty


operator("min", params=((NUMBER,),), returns=NUMBER, formula="LOGIC_MIN")(
    lambda a, ctx: _js_min_max(a, min, math.inf)
)
operator("max", params=((NUMBER,),), returns=NUMBER, formula="LOGIC_MAX")(
    lambda a, ctx: _js_min_max(a, max, -math.inf)
)

# --- arrays ---------------------------------------------------------------------------------


@operator("merge", returns=ARRAY, formula="MERGE")
def _merge(args: list[Any], ctx: Any) -> list[Any]:
    out: list[Any] = []
    for value in args:
        if isinstance(value, list):
            out.extend(value)
        else:
            out.append(value)
    return out


@operator("in", args=(2, 2), returns=BOOLEAN, formula="IN")
def _in(args: list[Any], ctx: Any) -> bool:
    needle, haystack = args
    if isinstance(haystack, str):  # json-logic-js: `if (!b) return false`, so "" holds nothing
        return haystack != "" and to_string(needle) in haystack
    if isinstance(haystack, list):
        return any(strict_equals(needle, item) for item in haystack)
    return False


def _scoped_array(nodes: list[Any], data: Any, run: Any) -> list[Any] | None:
    value = run(nodes[0], data)
    return value if isinstance(value, list) else None


@operator("map", args=(2, 2), lazy=True, scoped=True, returns=ARRAY, formula="MAP")
def _map(nodes: list[Any], data: Any, run: Any, ctx: Any) -> list[Any]:
    items = _scoped_array(nodes, data, run)
    return [] if items is None else [run(nodes[1], from_data(item)) for item in items]


@operator("filter", args=(2, 2), lazy=True, scoped=True, returns=ARRAY, formula="FILTER")
def _filter(nodes: list[Any], data: Any, run: Any, ctx: Any) -> list[Any]:
    items = _scoped_array(nodes, data, run)
    if items is None:
        return []
    return [item for item in items if truthy(run(nodes[1], from_data(item)))]


@operator("reduce", args=(2, 3), lazy=True, scoped=True, formula="REDUCE")
def _reduce(nodes: list[Any], data: Any, run: Any, ctx: Any) -> Any:
    items = _scoped_array(nodes, data, run)
    accumulator = run(nodes[2], data) if len(nodes) > 2 else None
    if items is None:
        return accumulator
    for item in items:
        accumulator = run(nodes[1], {"current": from_data(item), "accumulator": accumulator})
    return accumulator


@operator("all", args=(2, 2), lazy=True, scoped=True, returns=BOOLEAN, formula="ALL")
def _all(nodes: list[Any], data: Any, run: Any, ctx: Any) -> bool:
    items = _scoped_array(nodes, data, run)
    if not items:
        return False  # all of an empty set is false, as in json-logic-js
    return all(truthy(run(nodes[1], from_data(item))) for item in items)


@operator("some", args=(2, 2), lazy=True, scoped=True, returns=BOOLEAN, formula="SOME")
def _some(nodes: list[Any], data: Any, run: Any, ctx: Any) -> bool:
    return len(_filter(nodes, data, run, ctx)) > 0


@operator("none", args=(2, 2), lazy=True, scoped=True, returns=BOOLEAN, formula="NONE")
def _none(nodes: list[Any], data: Any, run: Any, ctx: Any) -> bool:
    return len(_filter(nodes, data, run, ctx)) == 0


# --- strings --------------------------------------------------------------------------------


@operator("cat", returns=TEXT, formula="CONCATENATE")
def _cat(args: list[Any], ctx: Any) -> str:
    return "".join("" if v is None else to_string(v) for v in args)


def _js_integer(value: Any) -> float:
    number = to_number(value)
    if math.isnan(number):
        return 0.0
    return float(math.trunc(number)) if not math.isinf(number) else number


def _js_substr(text: str, start: Any, length: Any = None, *, has_length: bool) -> str:
    size = len(text)
    begin = _js_integer(start)
    begin = max(size + begin, 0) if begin < 0 else min(begin, size)
    count = float(size) if not has_length else _js_integer(length)
    count = min(max(count, 0), size - begin)
    if count <= 0:
        return ""
    return text[int(begin) : int(begin + count)]


@operator("substr", args=(2, 3), params=((ANY,), (NUMBER,)), returns=TEXT, formula="SUBSTR")
def _substr(args: list[Any], ctx: Any) -> str:
    text = to_string(args[0])
    if len(args) == 3 and compare("<", args[2], 0):
        head = _js_substr(text, args[1], has_length=False)
        return _js_substr(head, 0, len(head) + to_number(args[2]), has_length=True)
    return _js_substr(text, args[1], args[2] if len(args) == 3 else None, has_length=len(args) == 3)


def text_of(value: Any) -> str:
    """Extensions read null as the empty string (Excel's blank), other values via String()."""
    return "" if value is None else to_string(value)


def _count(value: Any) -> int | None:
    number = to_number(value)
    if math.isnan(number):
        return None
    return max(0, int(min(number, 1e9))) if not math.isinf(number) else (10**9 if number > 0 else 0)


@operator("length", args=(1, 1), returns=NUMBER, formula="LEN")
def _length(args: list[Any], ctx: Any) -> int:
    value = args[0]
    return len(value) if isinstance(value, list) else len(text_of(value))


@operator("left", args=(1, 2), params=((ANY,), (NUMBER,)), returns=TEXT, formula="LEFT")
def _left(args: list[Any], ctx: Any) -> str | None:
    count = _count(args[1]) if len(args) > 1 else 1
    return None if count is None else text_of(args[0])[:count]


@operator("right", args=(1, 2), params=((ANY,), (NUMBER,)), returns=TEXT, formula="RIGHT")
def _right(args: list[Any], ctx: Any) -> str | None:
    count = _count(args[1]) if len(args) > 1 else 1
    if count is None:
        return None
    text = text_of(args[0])
    return text[max(len(text) - count, 0) :] if count else ""


@operator("mid", args=(3, 3), params=((ANY,), (NUMBER,), (NUMBER,)), returns=TEXT, formula="MID")
def _mid(args: list[Any], ctx: Any) -> str | None:
    """Excel MID(text, start, count): start counts from 1."""
    start, count = _count(args[1]), _count(args[2])
    if start is None or count is None or start < 1:
        return None
    return text_of(args[0])[start - 1 : start - 1 + count]


operator("upper", args=(1, 1), returns=TEXT, formula="UPPER")(lambda a, ctx: text_of(a[0]).upper())
operator("lower", args=(1, 1), returns=TEXT, formula="LOWER")(lambda a, ctx: text_of(a[0]).lower())
operator("trim", args=(1, 1), returns=TEXT, formula="TRIM")(
    lambda a, ctx: text_of(a[0]).strip(JS_WHITESPACE)
)
operator("contains", args=(2, 2), returns=BOOLEAN, formula="CONTAINS")(
    lambda a, ctx: text_of(a[1]) in text_of(a[0])
)
operator("starts_with", args=(2, 2), returns=BOOLEAN, formula="STARTS_WITH")(
    lambda a, ctx: text_of(a[0]).startswith(text_of(a[1]))
)
operator("ends_with", args=(2, 2), returns=BOOLEAN, formula="ENDS_WITH")(
    lambda a, ctx: text_of(a[0]).endswith(text_of(a[1]))
)


@operator("regex_match", args=(2, 2), params=((ANY,), (TEXT,)), returns=BOOLEAN,
          formula="REGEX_MATCH")  # fmt: skip
def _regex_match(args: list[Any], ctx: Any) -> bool | None:
    if not isinstance(args[1], str):
        return None
    return safe_regex.search(args[1], text_of(args[0]))


@operator("text", args=(1, 2), params=((ANY,), (TEXT,)), returns=TEXT, formula="TEXT")
def _text(args: list[Any], ctx: Any) -> str | None:
    if len(args) == 1:
        return text_of(args[0])
    return format_value(args[0], args[1])


@operator("to_number", args=(1, 1), returns=NUMBER, formula="VALUE")
def _to_number(args: list[Any], ctx: Any) -> float | None:
    if args[0] is None or (isinstance(args[0], str) and args[0].strip(JS_WHITESPACE) == ""):
        return None
    number = to_number(args[0])
    return None if math.isnan(number) else number


# --- numbers --------------------------------------------------------------------------------


def _decimal_round(value: Any, digits: Any, rounding: str) -> float | None:
    number = to_number(value)
    places = _js_integer(0 if digits is None else digits)
    if math.isnan(number) or math.isinf(number) or math.isnan(places) or abs(places) > 15:
        return None
    if abs(number) >= 1e15 and places >= 0:
        return number  # a double this large has no fractional part left to round
    try:
        exact = Decimal(repr(number))  # the shortest decimal, so round(2.675, 2) is 2.68
        quantum = Decimal(1).scaleb(-int(places))
        return float(exact.quantize(quantum, rounding=rounding))
    except InvalidOperation:
        return None


def _digits(args: list[Any]) -> Any:
    return args[1] if len(args) > 1 else 0


operator("round", args=(1, 2), params=((NUMBER,),), returns=NUMBER, formula="ROUND")(
    lambda a, ctx: _decimal_round(a[0], _digits(a), ROUND_HALF_UP)
)
operator("floor", args=(1, 2), params=((NUMBER,),), returns=NUMBER, formula="FLOOR")(
    lambda a, ctx: _decimal_round(a[0], _digits(a), ROUND_FLOOR)
)
operator("ceil", args=(1, 2), params=((NUMBER,),), returns=NUMBER, formula="CEILING")(
    lambda a, ctx: _decimal_round(a[0], _digits(a), ROUND_CEILING)
)
operator("abs", args=(1, 1), params=((NUMBER,),), returns=NUMBER, formula="ABS")(
    lambda a, ctx: abs(to_number(a[0]))
)


@operator("mod", args=(2, 2), params=((NUMBER,),), returns=NUMBER, formula="MOD")
def _mod(args: list[Any], ctx: Any) -> float | None:
    """Excel MOD: the result has the sign of the divisor."""
    a, b = to_number(args[0]), to_number(args[1])
    if b == 0 or math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return None
    return a - b * math.floor(a / b)


def _integer_power(base: float, exponent: int) -> float | None:
    """Exponentiation by squaring: the same multiplications, so the same bits, as the browser
    (libm's pow and V8's differ in the last digit on some inputs)."""
    result, k = 1.0, abs(exponent)
    while k:
        if k % 2:
            result *= base
        base *= base
        k //= 2
    if exponent < 0:
        result = math.inf if result == 0 else 1.0 / result
    return None if math.isinf(result) else result


@operator("power", args=(2, 2), params=((NUMBER,),), returns=NUMBER, formula="POWER")
def _power(args: list[Any], ctx: Any) -> float | None:
    a, b = to_number(args[0]), to_number(args[1])
    if b == 0:
        return 1.0  # JavaScript's Math.pow: x ** 0 is 1, even for NaN
    if math.isnan(a) or math.isnan(b) or (abs(a) == 1 and math.isinf(b)):
        return NAN  # where C's pow gives 1, JavaScript gives NaN
    if b.is_integer() and abs(b) <= 2**31:
        return _integer_power(a, int(b))
    try:
        result = math.pow(a, b)
    except (OverflowError, ValueError):
        return None
    return None if math.isinf(result) else result


# --- aggregates over sub-form rows ----------------------------------------------------------


def column_values(args: list[Any]) -> list[Any]:
    """`[rows, "column"]` -> that column's values; `[values]` -> the values themselves."""
    rows = args[0]
    if not isinstance(rows, list):
        rows = [] if rows is None else [rows]
    if len(args) < 2:
        return [from_data(v) for v in rows]
    column = to_string(args[1])
    return [get_path(row, column) if isinstance(row, dict) else None for row in rows]


def _js_sum(numbers: list[float]) -> float:
    total = 0.0
    for number in numbers:  # left to right, as JavaScript's reduce (not math.fsum)
        total += number
    return total


def numbers_of(args: list[Any]) -> list[float]:
    """Aggregates read numbers only (as Excel's SUM over a range): text, blanks, booleans skip."""
    numbers = (to_number(v) for v in column_values(args) if is_number(v))
    return [x for x in numbers if not math.isnan(x)]


_AGG = {"params": ((ROWS, ARRAY), (TEXT,)), "args": (1, 2)}
operator("sum", **_AGG, returns=NUMBER, formula="SUMOF")(lambda a, ctx: _js_sum(numbers_of(a)))
operator("count", **_AGG, returns=NUMBER, formula="COUNTOF")(
    lambda a, ctx: sum(1 for v in column_values(a) if v is not None and v != "")
)


@operator("avg", **_AGG, returns=NUMBER, formula="AVERAGEOF")
def _avg(args: list[Any], ctx: Any) -> float | None:
    numbers = numbers_of(args)
    return _js_sum(numbers) / len(numbers) if numbers else None


operator("min_of", **_AGG, returns=NUMBER, formula="MINOF")(
    lambda a, ctx: min(numbers_of(a), default=None)
)
operator("max_of", **_AGG, returns=NUMBER, formula="MAXOF")(
    lambda a, ctx: max(numbers_of(a), default=None)
)

# --- null handling --------------------------------------------------------------------------


@operator("is_empty", args=(1, 1), returns=BOOLEAN, formula="ISBLANK")
def _is_empty(args: list[Any], ctx: Any) -> bool:
    value = args[0]
    return value is None or value == "" or value == []


# --- dates ----------------------------------------------------------------------------------

operator("today", args=(0, 0), returns="date", formula="TODAY")(
    lambda a, ctx: dates.today(ctx.clock)
)
operator("now", args=(0, 0), returns="datetime", formula="NOW")(lambda a, ctx: dates.now(ctx.clock))
operator("date", args=(3, 3), params=((NUMBER,),), returns="date", formula="DATE")(
    lambda a, ctx: dates.make_date(*a)
)
operator("date_add", args=(3, 3), params=(DATEISH, (NUMBER,), (TEXT,)), returns=ANY,
         formula="DATE_ADD")(lambda a, ctx: dates.add(*a))  # fmt: skip
operator("date_diff", args=(3, 3), params=(DATEISH, DATEISH, (TEXT,)), returns=NUMBER,
         formula="DATEDIF")(lambda a, ctx: dates.diff(*a))  # fmt: skip
operator("year", args=(1, 1), params=(DATEISH,), returns=NUMBER, formula="YEAR")(
    lambda a, ctx: dates.part(a[0], "year")
)
operator("month", args=(1, 1), params=(DATEISH,), returns=NUMBER, formula="MONTH")(
    lambda a, ctx: dates.part(a[0], "month")
)
operator("day", args=(1, 1), params=(DATEISH,), returns=NUMBER, formula="DAY")(
    lambda a, ctx: dates.part(a[0], "day")
)
operator("weekday", args=(1, 2), params=(DATEISH, (NUMBER,)), returns=NUMBER,
         formula="WEEKDAY")(lambda a, ctx: dates.weekday(*a))  # fmt: skip
operator("start_of", args=(2, 2), params=(DATEISH, (TEXT,)), returns="date",
         formula="START_OF")(lambda a, ctx: dates.start_of(*a))  # fmt: skip
