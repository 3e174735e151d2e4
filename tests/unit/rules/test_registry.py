"""A contract every registered operator must pass (STYLE.md: one test over registry.types())."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engines.rules import OPERATORS, evaluate, format_formula, parse_formula
from engines.rules.expr.registry import Operator, OperatorRegistry

ODD_VALUES: list[Any] = [None, 0, -1.5, "", "abc", "2026-02-30", True, [], [1, None], {"var": "x"}]


@pytest.mark.parametrize("name", sorted(OPERATORS.types()))
def test_operator_is_total_on_odd_arguments(name: str) -> None:
    op = OPERATORS.get(name)
    counts = {op.min_args, min(op.max_args if op.max_args is not None else 4, op.min_args + 2)}
    for count in counts:
        for value in ODD_VALUES:
            expr = {name: [value] * count}
            result = evaluate(expr, {"x": [{"a": 1}], "a": "b"})
            json.dumps(result, allow_nan=False)  # plain JSON, never NaN


@pytest.mark.parametrize("name", sorted(OPERATORS.types()))
def test_operator_can_be_written_as_a_formula(name: str) -> None:
    op = OPERATORS.get(name)
    expr = {name: [{"var": "a"}] * max(op.min_args, 2 if op.max_args is None else op.min_args)}
    if name == "var":
        expr = {"var": "a"}
    again = parse_formula(format_formula(expr))
    assert evaluate(again, {"a": 2}) == evaluate(expr, {"a": 2})


def test_registry_errors() -> None:
    registry = OperatorRegistry()
    registry.register(Operator("x", fn=lambda a, ctx: 1))
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Operator("x", fn=lambda a, ctx: 1))
    with pytest.raises(KeyError):
        registry.get("y")
    assert list(registry.types()) == ["x"]
