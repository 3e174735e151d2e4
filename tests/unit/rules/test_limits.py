"""Bad input: deep or huge expressions, non-JSON values, hostile regexes, odd data."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from engines.rules import MAX_DEPTH, MAX_NODES, ExpressionError, evaluate, fields_read


def nested(depth: int) -> object:
    expr: object = 1
    for _ in range(depth):
        expr = {"!": [expr]}
    return expr


def test_depth_limit_is_a_clear_error_not_a_recursion_crash() -> None:
    assert evaluate(nested(MAX_DEPTH - 1)) is False
    with pytest.raises(ExpressionError, match="nested too deeply"):
        evaluate(nested(MAX_DEPTH + 1))
    with pytest.raises(ExpressionError, match="nested too deeply"):
        evaluate(nested(1_000_000))
    deep_list: object = 1
    for _ in range(100_000):
        deep_list = [deep_list]
    with pytest.raises(ExpressionError, match="nested too deeply"):
        fields_read(deep_list)


def test_size_limit() -> None:
    assert evaluate({"+": [1] * (MAX_NODES - 2)}) == MAX_NODES - 2
    with pytest.raises(ExpressionError, match="too large"):
        evaluate({"+": [1] * (MAX_NODES + 1)})


@pytest.mark.parametrize(
    "bad",
    [
        {"==": [{1, 2}, 1]},
        {"var": object()},
        {"+": [math.nan, 1]},
        {"+": [math.inf]},
        {"==": [Decimal("1"), 1]},
        {"==": [dt.date(2026, 1, 1), 1]},
    ],
)
def test_non_json_values_in_an_expression_are_refused(bad: object) -> None:
    with pytest.raises(ExpressionError, match=r"not a JSON value|NaN"):
        evaluate(bad)


def test_unknown_operator_and_bad_nodes() -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate({"if": [True, {"drop_table": []}]})
    assert caught.value.path == ("if", 1)
    assert str(caught.value.path) == "if[1]"
    with pytest.raises(ExpressionError, match="exactly one key"):
        evaluate({})


def test_data_never_makes_evaluation_raise() -> None:
    odd = {
        "d": dt.date(2026, 1, 2),
        "t": dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        "n": Decimal("1.50"),
        "x": object(),
        "s": {1, 2},
        "big": 10**400,
    }
    assert evaluate({"var": "d"}, odd) == "2026-01-02"
    assert evaluate({"var": "t"}, odd) == "2026-01-01T19:04:05Z"
    assert evaluate({"+": [{"var": "n"}, 1]}, odd) == 2.5
    assert evaluate({"var": "x"}, odd) is None
    assert evaluate({"var": "s"}, odd) is None
    assert evaluate({"*": [{"var": "big"}, 2]}, odd) is None
    assert evaluate({"year": [{"var": "d"}]}, odd) == 2026
    assert evaluate({"var": "a.b"}, "not a dict") is None
    assert evaluate({"date_add": ["2026-01-01", 1e300, "days"]}) is None
    assert evaluate({"date_add": ["9999-12-31", 1, "days"]}) is None
    assert evaluate({"round": [1e300, 2]}) == 1e300
    assert evaluate({"left": ["abc", 1e300]}) == "abc"


def test_division_by_zero_is_null() -> None:
    assert evaluate({"/": [1, 0]}) is None
    assert evaluate({"%": [1, 0]}) is None
    assert evaluate({"mod": [1, 0]}) is None
    assert evaluate({"<": [{"/": [1, 0]}, 1]}) is True  # null compares as 0


def test_catastrophic_regexes_are_refused_and_runtime_is_linear() -> None:
    assert evaluate({"regex_match": ["a" * 50_000 + "!", "(a+)+$"]}) is None
    assert evaluate({"regex_match": ["a" * 50_000 + "!", "(a|aa)*b"]}) is False  # RE2
    assert evaluate({"regex_match": ["x", "(?<=x)"]}) is None
    assert evaluate({"regex_match": ["x", "\\1"]}) is None
    assert evaluate({"regex_match": ["x", "x" * 300]}) is None
    assert evaluate({"regex_match": ["x", {"var": "p"}]}, {"p": 5}) is None


def test_injectable_clock() -> None:
    fixed = dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert evaluate({"today": []}, clock=fixed) == "2026-11-24"  # the clock's own date
    assert evaluate({"now": []}, clock=lambda: fixed) == "2026-11-24T15:30:00Z"
