"""The shared golden cases against the Python evaluator, tree-walking and compiled."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engines.rules import compile_expr, evaluate
from engines.rules.conformance import cases, clock

CASES = cases()


def same(got: Any, expected: Any) -> bool:
    """JSON equality that tells true from 1 (Python's == does not)."""
    return json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True) or (
        got == expected and type(got) is not bool and type(expected) is not bool
    )


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_evaluate(case: dict[str, Any]) -> None:
    got = evaluate(case["expr"], case["data"], clock=clock())
    assert same(got, case["expected"]), got


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_compiled(case: dict[str, Any]) -> None:
    got = compile_expr(case["expr"])(case["data"], clock=clock())
    assert same(got, case["expected"]), got


def test_the_file_has_enough_sql_cases() -> None:
    assert sum(1 for c in CASES if c.get("sql")) >= 100


def test_the_file_lists_the_registry_for_the_browser() -> None:
    """cases.json carries the operator table and limits the TypeScript module checks against."""
    from engines.rules import MAX_DEPTH, MAX_NODES, OPERATORS
    from engines.rules.conformance import document

    listed = document()["operators"]
    assert listed == {
        name: [OPERATORS.get(name).min_args, OPERATORS.get(name).max_args]
        for name in OPERATORS.types()
    }
    assert document()["limits"] == {"depth": MAX_DEPTH, "nodes": MAX_NODES}


def test_random_cases_still_give_the_recorded_results() -> None:
    """random_cases.json (replayed by the browser suite) is Python's behaviour, unchanged."""
    import datetime as dt

    from engines.rules.conformance.random_cases import CLOCK, load

    clock_ = dt.datetime.fromisoformat(CLOCK)
    for case in load()["cases"]:
        got = evaluate(case["expr"], case["data"], clock=clock_)
        assert same(got, case["expected"]), case
