"""A tiny stand-in for ``engines.rules`` (a JsonLogic subset), so the form engine's wiring
of conditions and formulas is tested on its own. The real language is tested in
tests/unit/rules and, when present, end to end in test_expressions.py."""

from __future__ import annotations

import types
from decimal import Decimal
from typing import Any


def evaluate(expr: Any, data: dict[str, Any], clock: Any = None) -> Any:
    if isinstance(expr, list):
        return [evaluate(e, data, clock) for e in expr]
    if not isinstance(expr, dict):
        return expr
    [(op, args)] = expr.items()
    if op == "var":
        return data.get(args)
    if op == "today":
        return clock.date().isoformat()
    if op == "if":
        cond, yes, no = args
        return evaluate(yes if evaluate(cond, data, clock) else no, data, clock)
    vals = [evaluate(a, data, clock) for a in (args if isinstance(args, list) else [args])]
    if op == "sum_rows":
        rows, key = vals
        return sum(Decimal(str(r.get(key) or 0)) for r in rows or [])
    ops = {
        "==": lambda a, b: a == b, ">": lambda a, b: a is not None and b is not None and a > b,
        "+": lambda *a: sum(Decimal(str(x or 0)) for x in a),
        "*": lambda a, b: Decimal(str(a or 0)) * Decimal(str(b or 0)),
        "!": lambda a: not a, "boom": lambda: 1 / 0,
    }
    return ops[op](*vals)


def parse_formula(text: str) -> Any:
    raise ValueError(f"no formula syntax in the stub: {text}")


def module() -> types.ModuleType:
    mod = types.ModuleType("stub_rules")
    mod.evaluate = evaluate  # type: ignore[attr-defined]
    mod.parse_formula = parse_formula  # type: ignore[attr-defined]
    return mod
